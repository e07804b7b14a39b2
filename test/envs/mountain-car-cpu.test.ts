import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/validate.ts';
import { MOUNTAIN_CAR_V0, MountainCarCpu } from '../../src/envs/mountain-car.ts';
import { mountainCarAction } from '../../src/envs/mountain-car-gpu.ts';
import { ENVS, envOps } from '../../src/envs/registry.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import { rngU32, rngUniform, Stream } from '../../src/rng/counter-rng.ts';
import { CpuExecutor } from '../../src/run/executor-cpu.ts';

const f = Math.fround;

/** Gymnasium MountainCarEnv.step transcribed in float64 (the reference the f32 twin is held to). */
function gymStep(position: number, velocity: number, action: number): [number, number, boolean] {
  velocity += (action - 1) * 0.001 + Math.cos(3 * position) * -0.0025;
  velocity = Math.min(Math.max(velocity, -0.07), 0.07);
  position += velocity;
  position = Math.min(Math.max(position, -1.2), 0.6);
  if (position === -1.2 && velocity < 0) velocity = 0;
  return [position, velocity, position >= 0.5 && velocity >= 0];
}

describe('MountainCarCpu (Gymnasium MountainCar-v0)', () => {
  it('resets the position uniformly in [-0.6, -0.4) with velocity 0, from the counter RNG', () => {
    const a = new MountainCarCpu(256).reset(7);
    expect(a).toEqual(new MountainCarCpu(256).reset(7));
    expect(a).not.toEqual(new MountainCarCpu(256).reset(8));
    for (let i = 0; i < 256; i++) {
      expect(a[i * 2]!).toBeGreaterThanOrEqual(f(-0.6));
      expect(a[i * 2]!).toBeLessThan(f(-0.4));
      expect(a[i * 2 + 1]).toBe(0);
    }
    // Keyed (seed, envReset, env * 2, episode), low + (high - low) * u in f32.
    const u = rngUniform(7, Stream.envReset, 5 * 2, 0);
    expect(a[5 * 2]).toBe(f(f(-0.6) + f(f(f(-0.4) - f(-0.6)) * u)));
  });

  it('follows hand-computed Gymnasium steps (float64 values, within f32 rounding)', () => {
    const env = new MountainCarCpu(1);
    env.reset(0);
    env.setState([-0.5, 0]);
    // gymnasium MountainCarEnv.step from state (-0.5, 0) with actions 2, 2, 0 (float64).
    const want = [
      [-0.49917684300416926, 0.0008231569958307428],
      [-0.49753668667935325, 0.0016401563248160246],
      [-0.4970917969323474, 0.00044488974700586273],
    ];
    [2, 2, 0].forEach((a, k) => {
      env.step([a]);
      expect(env.position[0]).toBeCloseTo(want[k]![0]!, 7);
      expect(env.velocity[0]).toBeCloseTo(want[k]![1]!, 8);
      expect(env.reward[0]).toBe(-1);
      expect(env.terminated[0]).toBe(0);
    });
    // 150 steps of mixed actions stay within f32 rounding of the float64 reference.
    let [p, v] = [f(-0.45), 0];
    env.setState([p, v]);
    let maxErr = 0;
    for (let t = 0; t < 150; t++) {
      const a = rngU32(1, Stream.test, 0, t) % 3;
      [p, v] = gymStep(p, v, a);
      env.step([a]);
      maxErr = Math.max(maxErr, Math.abs(env.position[0]! - p), Math.abs(env.velocity[0]! - v));
    }
    expect(maxErr).toBeLessThan(1e-5);
  });

  it('stops at the left wall (velocity zeroed) and clips the velocity to +-0.07', () => {
    const env = new MountainCarCpu(2);
    env.reset(0);
    env.setState([-1.19, -0.05, -Math.PI / 6, 0.0695]);
    env.step([0, 2]);
    expect(env.position[0]).toBe(f(-1.2));
    expect(env.velocity[0]).toBe(0);
    expect(env.velocity[1]).toBe(f(0.07));
    expect(env.position[1]).toBeCloseTo(-0.4535987755982988, 6);
    // From rest at the wall gravity pulls the car back out, whatever the action.
    env.setState([-1.2, 0, -0.5, 0]);
    env.step([0, 1]);
    expect(env.velocity[0]).toBeGreaterThan(0);
    expect(env.position[0]).toBeGreaterThan(f(-1.2));
  });

  it('terminates at the goal with velocity >= 0 (reward -1), then autoresets on the next step', () => {
    const env = new MountainCarCpu(3);
    env.reset(4);
    // env 0 reaches the goal; env 1 is past it but moving left (not terminated); env 2 hits the right clip.
    env.setState([0.49, 0.02, 0.55, -0.001, 0.59, 0.07]);
    env.step([1, 0, 2]);
    expect(env.position[0]).toBeCloseTo(0.5097484356665327, 6);
    expect(Array.from(env.terminated)).toEqual([1, 0, 1]);
    expect(env.position[1]).toBeCloseTo(0.5481978022220169, 6);
    expect(env.velocity[1]).toBeLessThan(0);
    expect(env.position[2]).toBe(f(0.6));
    expect(Array.from(env.reward)).toEqual([-1, -1, -1]);
    expect(Array.from(env.autoresetPending)).toEqual([1, 0, 1]);
    env.step([2, 1, 2]);
    expect(env.reward[0]).toBe(0);
    expect(env.terminated[0] + env.truncated[0]!).toBe(0);
    expect(env.steps[0]).toBe(0);
    expect(env.episodes[0]).toBe(2);
    expect(env.velocity[0]).toBe(0);
    expect(env.position[0]).toBe(f(f(-0.6) + f(f(f(-0.4) - f(-0.6)) * rngUniform(4, Stream.envReset, 0, 1))));
    expect(env.steps[1]).toBe(2);
    expect(env.reward[1]).toBe(-1);
  });

  it('truncates at 200 steps', () => {
    const env = new MountainCarCpu(1);
    env.reset(2);
    for (let s = 0; s < MOUNTAIN_CAR_V0.maxEpisodeSteps; s++) {
      expect(env.truncated[0]).toBe(0);
      env.setState([-0.5, 0]);
      env.step([s % 3]);
    }
    expect(env.steps[0]).toBe(200);
    expect(env.truncated[0]).toBe(1);
    expect(env.terminated[0]).toBe(0);
    env.step([1]);
    expect(env.steps[0]).toBe(0);
    expect(env.truncated[0]).toBe(0);
  });

  it('rejects bad actions before any env moves, naming them', () => {
    const env = new MountainCarCpu(2);
    const before = env.reset(0);
    for (const bad of [
      [0, 3],
      [-1, 0],
      [1.5, 0],
      [Number.NaN, 1],
    ])
      expect(() => env.step(bad)).toThrow(/actions\[\d\] must be an integer in \[0, 3\)/);
    expect(() => env.step([1])).toThrow(/numEnvs/);
    expect(env.observations()).toEqual(before);
    expect(Array.from(env.steps)).toEqual([0, 0]);
    expect(() => new MountainCarCpu(0)).toThrow(/numEnvs/);
    expect(() => env.setState([0])).toThrow(/numEnvs \* 2/);
  });
});

describe("'mountain-car' in the env registry", () => {
  it('reads the action slot as the kernel does: round half to even, clamp to [0, 2]', () => {
    const cases: [number, number][] = [
      [0, 0],
      [1, 1],
      [2, 2],
      [-3, 0],
      [-0.4, 0],
      [0.5, 0],
      [1.4, 1],
      [1.5, 2],
      [2.5, 2],
      [9, 2],
      [Number.NaN, 0],
    ];
    for (const [x, a] of cases) expect(mountainCarAction(x), String(x)).toBe(a);
  });

  it('runs through the CPU executor as MountainCarCpu does, writing only the observation slot', async () => {
    const env = ENVS['mountain-car'];
    expect([env.obsDim, env.numActions, env.maxEpisodeSteps, env.stateFloats]).toEqual([2, 3, 200, 2]);
    const E = 5,
      ops = envOps(env, E, 9, { act: 'act', actSlot: { stride: 2, offset: 1 }, obs: 'obs', obsSlot: { stride: 3, offset: 1 }, resetObs: 'obs' });
    const x = new CpuExecutor({
      buffers: [...ops.buffers, { name: 'act', type: 'f32', length: E * 2 }, { name: 'obs', type: 'f32', length: E * 3, init: new Float32Array(E * 3).fill(-7) }],
      reset: [ops.reset],
      step: [ops.step],
      metrics: 'env.counters',
    });
    const ref = new MountainCarCpu(E);
    ref.reset(9);
    x.reset();
    const act = new Float32Array(E * 2);
    for (let t = 0; t < 450; t++) {
      const a = Array.from({ length: E }, (_, e) => rngU32(3, Stream.test, e, t) % 3);
      a.forEach((v, e) => (act[e * 2 + 1] = v));
      x.write('act', act);
      await x.chunk(1, () => {});
      ref.step(a);
      expect(x.arrays['env.state']).toEqual(new Float32Array([...ref.position, ...ref.velocity]));
      expect(x.arrays['env.counters']).toEqual(new Uint32Array([...ref.steps, ...ref.episodes, ...ref.autoresetPending, ...ref.terminated, ...ref.truncated]));
      expect(x.arrays['env.reward']).toEqual(ref.reward);
      const obs = x.arrays['obs']!,
        want = ref.observations();
      for (let e = 0; e < E; e++) expect([obs[e * 3], obs[e * 3 + 1], obs[e * 3 + 2]]).toEqual([-7, want[e * 2], want[e * 2 + 1]]);
    }
    expect(ref.episodes[0]).toBe(3); // truncated twice at 200
  });

  it("is a valid experiment env; the 'reinforce' rule (one spiking action neuron) refuses its 3 actions", () => {
    const x = parseExperiment({ env: { name: 'mountain-car' }, rule: { name: 'reinforce' } });
    expect(() => buildModel(x)).toThrow(ConfigError);
    expect(() => buildModel(x)).toThrow("env.name 'mountain-car' has 3 actions; logistic-neurons act with one spiking action neuron (2 actions)");
  });
});
