import { describe, expect, it } from 'vitest';
import { CHEMOTAXIS_V0, ChemotaxisCpu, chemotaxisParams, chemotaxisAction, startConcentration, successConcentration } from '../../src/envs/chemotaxis.ts';
import { chemotaxisEnv, ENVS } from '../../src/envs/registry.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import { expNegF32 } from '../../src/kernels/f32-math.ts';
import { rngUniform, Stream } from '../../src/rng/counter-rng.ts';

const p = CHEMOTAXIS_V0;
const conc = (x: number, y: number) => Math.exp(-((x - p.peakX) ** 2 + (y - p.peakY) ** 2) / (2 * p.sigma ** 2));
/** The action mask from named groups: forward (AVB), reversal (AVA), dorsal and ventral spikes. */
const mask = (o: { fwd?: number; rev?: number; dor?: number; ven?: number }) => {
  const slots = new Float32Array(12);
  for (let k = 0; k < (o.fwd ?? 0); k++) slots[k] = 1;
  for (let k = 0; k < (o.rev ?? 0); k++) slots[2 + k] = 1;
  for (let k = 0; k < (o.dor ?? 0); k++) slots[4 + k] = 1;
  for (let k = 0; k < (o.ven ?? 0); k++) slots[8 + k] = 1;
  return chemotaxisAction(slots, 0);
};

describe('exp_neg (the shared exp polynomial)', () => {
  it('is within 1e-5 relative of exp(-u) over [0, 80] (the f32 rounding of u log2 e dominates), 1e-6 below u = 8', () => {
    let worst = 0;
    for (let u = 0; u <= 80; u += 0.0137) worst = Math.max(worst, Math.abs(expNegF32(u) / Math.exp(-u) - 1));
    expect(worst).toBeLessThan(1e-5);
    let near = 0;
    for (let u = 0; u < 8; u += 0.0013) near = Math.max(near, Math.abs(expNegF32(u) / Math.exp(-u) - 1));
    expect(near).toBeLessThan(1e-6);
    expect(expNegF32(-5)).toBe(1);
  });
});

describe('ChemotaxisCpu (point worm on a Gaussian salt peak)', () => {
  it('resets at startDistance from the peak with a uniform angle and heading, from the counter RNG', () => {
    const env = new ChemotaxisCpu(64);
    env.reset(5);
    for (let i = 0; i < 64; i++) {
      expect(Math.hypot(env.x[i]!, env.y[i]!)).toBeCloseTo(p.startDistance, 5);
      expect(env.conc[i]).toBeCloseTo(startConcentration(), 6);
      expect(Math.abs(env.heading[i]!)).toBeLessThanOrEqual(Math.PI + 1e-6);
    }
    const angle = 2 * Math.PI * rngUniform(5, Stream.envReset, 3 * 5, 0);
    expect(env.x[3]).toBeCloseTo(p.startDistance * Math.cos(angle), 5);
    const other = new ChemotaxisCpu(64);
    other.reset(6);
    expect(other.x).not.toEqual(env.x);
  });

  it('moves forward, reverses with a pirouette, steers by dorsal minus ventral; reward and observation follow the concentration change', () => {
    const env = new ChemotaxisCpu(1);
    env.reset(0);
    env.setState([-1, 0, 0, conc(-1, 0), 0, 0, 0, 0]); // heading +x, towards the peak
    env.step([mask({ fwd: 2 })]);
    expect(env.x[0]).toBeCloseTo(-1 + p.speed, 6);
    expect(env.y[0]).toBeCloseTo(0, 6);
    const dc = conc(-1 + p.speed, 0) - conc(-1, 0);
    expect(env.reward[0]).toBeCloseTo(p.rewardGain * dc, 4);
    const obs = env.observations();
    expect(obs[0]).toBeCloseTo(p.obsGain * dc, 4); // ASEL: rose
    expect(obs[1]).toBe(0);
    // Steering: 3 dorsal - 1 ventral spikes turn by 2 x steerGain, still forward (fwd 1 >= rev 1).
    env.setState([-1, 0, 0, conc(-1, 0), 0, 0, 0, 0]);
    env.step([mask({ fwd: 1, rev: 1, dor: 3, ven: 1 })]);
    expect(env.heading[0]).toBeCloseTo(2 * p.steerGain, 6);
    expect(env.x[0]).toBeCloseTo(-1 + p.speed * Math.cos(2 * p.steerGain), 6);
    // Reversal: AVA beats AVB: back along the new heading, turned by the pirouette angle.
    env.setState([-1, 0, 0, conc(-1, 0), 0, 0, 0, 0]);
    env.step([mask({ rev: 2 })]);
    expect(env.heading[0]).toBeCloseTo(p.pirouetteAngle, 6);
    expect(env.x[0]).toBeCloseTo(-1 - p.reverseSpeed * Math.cos(p.pirouetteAngle), 6);
    expect(env.y[0]).toBeCloseTo(-p.reverseSpeed * Math.sin(p.pirouetteAngle), 6);
    expect(env.reward[0]).toBeLessThan(0); // moved away
    expect(env.observations()[1]).toBeGreaterThan(0); // ASER: fell
  });

  it('with ticks per move: sums the motor spikes over the ticks, moves on every ticks-th step (steering per spike / ticks), holds the observation and pays 0 in between', () => {
    const env = new ChemotaxisCpu(1, chemotaxisParams(3));
    env.reset(0);
    env.setState([-1, 0, 0, conc(-1, 0), 0, 0, 0, 0]);
    env.step([mask({ fwd: 2, dor: 2 })]); // tick 1: no move
    expect([env.x[0], env.heading[0], env.reward[0]]).toEqual([-1, 0, 0]);
    expect([env.fwdSum[0], env.revSum[0], env.turnSum[0]]).toEqual([2, 0, 2]);
    env.step([mask({ rev: 2, dor: 1, ven: 2 })]); // tick 2: no move
    expect(env.x[0]).toBe(-1);
    expect([env.fwdSum[0], env.revSum[0], env.turnSum[0]]).toEqual([2, 2, 1]);
    env.step([mask({ rev: 1, dor: 4 })]); // tick 3: rev 3 > fwd 2: reversal, turn 5 spikes x steerGain / 3
    const h = p.pirouetteAngle + (5 * p.steerGain) / 3;
    expect(env.heading[0]).toBeCloseTo(h, 6);
    expect(env.x[0]).toBeCloseTo(-1 - p.reverseSpeed * Math.cos(h), 6);
    expect([env.fwdSum[0], env.revSum[0], env.turnSum[0]]).toEqual([0, 0, 0]);
    expect(env.reward[0]).toBeCloseTo(p.rewardGain * (env.conc[0]! - conc(-1, 0)), 4);
    const obs = [...env.observations()];
    env.step([mask({ fwd: 2 })]); // between moves the observation is held
    expect([...env.observations()]).toEqual(obs);
    expect(env.reward[0]).toBe(0);
    // An episode is maxEpisodeSteps moves: 3 x 100 steps.
    env.reset(1);
    for (let t = 0; t < 3 * p.maxEpisodeSteps - 1; t++) env.step([mask({ fwd: 2 })]);
    expect(env.truncated[0]).toBe(0);
    env.step([mask({ fwd: 2 })]);
    expect(env.truncated[0]).toBe(1);
    expect(Math.hypot(env.x[0]! - p.peakX, env.y[0]! - p.peakY)).not.toBeCloseTo(p.startDistance, 2);
  });

  it('truncates at maxEpisodeSteps (no terminal state) and autoresets on the next step', () => {
    const env = new ChemotaxisCpu(2);
    env.reset(1);
    for (let t = 0; t < p.maxEpisodeSteps; t++) env.step([mask({ fwd: 2 }), mask({ rev: 2 })]);
    expect([...env.truncated]).toEqual([1, 1]);
    expect([...env.terminated]).toEqual([0, 0]);
    env.step([0, 0]);
    expect([...env.steps]).toEqual([0, 0]);
    expect([...env.episodes]).toEqual([2, 2]);
  });

  it('the return of an episode is rewardGain x (C_end - C_start); the success radius maps to a concentration', () => {
    const env = new ChemotaxisCpu(1);
    env.reset(2);
    const c0 = env.conc[0]!;
    let ret = 0;
    for (let t = 0; t < 40; t++) {
      env.step([mask({ fwd: 2, dor: t % 3 === 0 ? 1 : 0 })]);
      ret += env.reward[0]!;
    }
    expect(ret).toBeCloseTo(p.rewardGain * (env.conc[0]! - c0), 3);
    expect(successConcentration()).toBeCloseTo(Math.exp(-(p.successRadius ** 2) / (2 * p.sigma ** 2)), 6);
  });

  it('is registered: 2 sensory channels, 12 motor slots of one spike each; a population of 12 action neurons drives it', () => {
    expect(ENVS.chemotaxis).toMatchObject({ obsDim: 2, numActions: 2, actionSlots: 12, stateFloats: 8, maxEpisodeSteps: 100 });
    expect(chemotaxisEnv(4)).toMatchObject({ obsDim: 2, actionSlots: 12, maxEpisodeSteps: 400 });
    expect(() => buildModel(parseExperiment({ env: { name: 'cartpole', ticks: 2 }, rule: { name: 'reinforce' } }))).toThrow(/env.ticks applies to env chemotaxis only/);
    const m = buildModel(parseExperiment({ env: { name: 'chemotaxis' }, population: { hidden: [8] }, rule: { name: 'reinforce' }, run: { replicas: 2 } }));
    const act = m.program.buffers.find((b) => b.name === 'act-a')!;
    expect(act.length).toBe(2 * (2 + 8 + 12)); // [obs 2 | hidden 8 | action 12]
  });

  it('refuses a connectome wiring whose inputs or outputs do not fit the env, or hidden layers beside it (one line, the field)', () => {
    const base = { env: { name: 'chemotaxis' }, rule: { name: 'reinforce' }, run: { replicas: 1 } };
    const w = { kind: 'connectome', edges: '0 0 1 E', neurons: ['ASEL'] };
    expect(() => buildModel(parseExperiment({ ...base, population: { hidden: [4], wiring: [w, w] } }))).toThrow(/population.hidden must be \[\] with a connectome wiring/);
    expect(() => buildModel(parseExperiment({ ...base, population: { hidden: [], wiring: [{ ...w, inputs: ['ASEL'] }] } }))).toThrow(/inputs must name 2 neurons/);
    expect(() => buildModel(parseExperiment({ ...base, population: { hidden: [], wiring: [{ ...w, outputs: ['AVAL'] }] } }))).toThrow(/outputs must name 12 neurons/);
    expect(() => buildModel(parseExperiment({ ...base, population: { hidden: [], wiring: [{ kind: 'connectome' }] } }))).toThrow(/must be read into 'edges'/);
  });
});
