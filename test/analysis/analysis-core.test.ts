import { Matrix } from 'ml-matrix';
import { beforeAll, describe, expect, it } from 'vitest';
import { unitClass } from '../../src/analysis/ablation.ts';
import { linearCka } from '../../src/analysis/cka.ts';
import { evaluate, untrainedRun, type TrainedRun } from '../../src/analysis/evaluate.ts';
import { irlRecovery } from '../../src/analysis/irl-recovery.ts';
import { populationPca } from '../../src/analysis/pca.ts';
import { activityMatrix, chalkTrain, parseActivityFile, recordingCsv } from '../../src/analysis/recording.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import { CounterRng, Stream } from '../../src/rng/counter-rng.ts';

// A small dense network on chemotaxis at its initial weights: 6 hidden + 12 action units.
let run: TrainedRun;
beforeAll(() => {
  run = untrainedRun(parseExperiment({ env: { name: 'chemotaxis' }, population: { hidden: [6] }, rule: { name: 'reinforce' }, run: { seed: 2, replicas: 2, backend: 'cpu' } }));
});

describe('evaluate (a frozen network on the CPU twins)', () => {
  it('is deterministic per seed, silences exactly the units asked, and replays its own inputs when clamped', () => {
    const a = evaluate(run, { episodes: 4, seed: 7, record: true });
    expect(a.units).toEqual([...Array.from({ length: 6 }, (_, i) => `h0.${i}`), ...Array.from({ length: 12 }, (_, i) => `out.${i}`)]);
    expect(a.actions).toEqual(Array.from({ length: 12 }, (_, i) => 6 + i)); // the env reads the 12 out.* spikes
    expect(a.episodes.map((e) => e.steps)).toEqual([100, 100, 100, 100]); // chemotaxis truncates at 100
    const b = evaluate(run, { episodes: 4, seed: 7, record: true });
    expect(b.episodes.map((e) => e.return)).toEqual(a.episodes.map((e) => e.return));
    expect(evaluate(run, { episodes: 4, seed: 8 }).episodes.map((e) => e.return)).not.toEqual(a.episodes.map((e) => e.return));
    // Returns are the sum of the recorded rewards.
    for (const e of a.episodes) expect(e.reward!.reduce((s, v) => s + v, 0)).toBeCloseTo(e.return, 3);
    const s = evaluate(run, { episodes: 4, seed: 7, record: true, silence: [1, 6] });
    const U = a.units.length;
    let otherSpikes = 0;
    for (const e of s.episodes)
      for (let t = 0; t < e.steps; t++) {
        expect(e.spikes![t * U + 1]).toBe(0);
        expect(e.spikes![t * U + 6]).toBe(0);
        otherSpikes += e.spikes![t * U + 2]! + e.spikes![t * U + 7]!;
      }
    expect(otherSpikes).toBeGreaterThan(0);
    // Fed seed 7's observations under seed 9, the hidden layer (which reads only the observation)
    // fires with seed 7's probabilities; left to its own env under seed 9 it does not.
    const hiddenProb = (e: { prob?: Float32Array }) => Array.from(e.prob!).filter((_, i) => i % U < 6);
    const c = evaluate(run, { episodes: 4, seed: 9, record: true, inputs: a.episodes.map((e) => e.obs!) });
    const d = evaluate(run, { episodes: 4, seed: 9, record: true });
    expect(hiddenProb(c.episodes[2]!)).toEqual(hiddenProb(a.episodes[2]!));
    expect(hiddenProb(d.episodes[2]!)).not.toEqual(hiddenProb(a.episodes[2]!));
    expect(Array.from(c.episodes[2]!.obs!)).toEqual(Array.from(a.episodes[2]!.obs!));
    expect(() => evaluate(run, { episodes: 2, seed: 0, replica: 2 })).toThrow(/replica/);
    expect(() => evaluate(run, { episodes: 2, seed: 0, silence: [18] })).toThrow(/out of range/);
  });
});

describe('recording formats', () => {
  it('the CSV reads back to the same matrix; the Chalk train changes one unit per row and ends each step on its state', () => {
    const ev = evaluate(run, { episodes: 3, seed: 1, record: true });
    const m = activityMatrix(ev);
    const back = parseActivityFile(recordingCsv(ev), 'x.csv');
    expect(back.units).toEqual(ev.units);
    expect(back.rows).toBe(300);
    expect(Array.from(back.data)).toEqual(Array.from(m.data));
    expect(() => parseActivityFile('a,b\n1,2\n', 'x.csv')).toThrow(/episode,t,reward/);
    const chosen = [6, 7, 8, 9, 10];
    const c = chalkTrain(ev, chosen, 3);
    const N = chosen.length;
    for (let r = 1; r < c.train.steps; r++) {
      let diff = 0;
      for (let i = 0; i < N; i++) diff += c.train.sigma[r * N + i] !== c.train.sigma[(r - 1) * N + i] ? 1 : 0;
      expect(diff).toBeLessThanOrEqual(1);
    }
    expect(c.train.steps).toBeGreaterThan(300); // many steps change several units at once
    for (let k = 0; k < 300; k++) for (let i = 0; i < N; i++) expect(c.train.sigma[c.rowOfStep[k]! * N + i]).toBe(m.data[k * m.units.length + chosen[i]!]);
  });
});

describe('PCA and CKA', () => {
  it('PCA: the variance explained sums to 1 and falls; constant units are left out', () => {
    const ev = evaluate(run, { episodes: 3, seed: 1, record: true });
    const p = populationPca(activityMatrix(ev, 'prob'));
    expect(p.explained.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    expect(p.cumulative.at(-1)).toBeCloseTo(1, 9);
    for (let i = 1; i < p.explained.length; i++) expect(p.explained[i]!).toBeLessThanOrEqual(p.explained[i - 1]! + 1e-12);
    expect(p.pc1.length).toBe(300);
    // A unit that never changes carries no variance.
    const a = activityMatrix(ev);
    for (let r = 0; r < a.rows; r++) a.data[r * a.units.length] = 1;
    expect(populationPca(a).constant).toEqual(['h0.0']);
  });

  it('linear CKA: 1 with itself and under rotation and scale, symmetric, near 0 for unrelated data', () => {
    const rng = new CounterRng(5, Stream.init, 0);
    const rand = (r: number, c: number) => new Matrix(Array.from({ length: r }, () => Array.from({ length: c }, () => rng.normal())));
    const x = rand(400, 6),
      y = rand(400, 9);
    expect(linearCka(x, x)).toBeCloseTo(1, 10);
    const q = new Matrix([
      [Math.cos(1), -Math.sin(1)],
      [Math.sin(1), Math.cos(1)],
    ]);
    const x2 = x.subMatrix(0, 399, 0, 1);
    expect(linearCka(x2, x2.mmul(q).mul(3))).toBeCloseTo(1, 10);
    expect(linearCka(x, y)).toBeCloseTo(linearCka(y, x), 12);
    expect(linearCka(x, y)).toBeLessThan(0.1);
    expect(linearCka(x, x.mmul(rand(6, 9)))).toBeGreaterThan(0.5);
    expect(() => linearCka(x, rand(10, 2))).toThrow(/same samples/);
  });
});

describe('unit classes', () => {
  it('strips the worm names to their classes and generated names to their layer', () => {
    expect(['AVAL', 'AVAR', 'SMDDL', 'SMDVR', 'RMDDL', 'VA12', 'IL2DL', 'ASEL', 'AVL', 'RIVL', 'PVR', 'h0.3', 'out.11'].map(unitClass)).toEqual([
      'AVA',
      'AVA',
      'SMD',
      'SMD',
      'RMD',
      'VA',
      'IL2',
      'ASE',
      'AVL',
      'RIV',
      'PVR',
      'h0',
      'out',
    ]);
  });
});

describe('inverse RL on recorded spikes', () => {
  it('scores the recorded spikes and each time-shifted control; p counts the controls at or above', () => {
    const ev = evaluate(run, { episodes: 6, seed: 1, record: true });
    const s = irlRecovery(ev, [6, 7, 8, 9, 10, 11], { lambda: 1, shifts: 4, seed: 2 });
    expect(s.shifted).toHaveLength(4);
    for (const v of [s.observed, ...s.shifted]) {
      expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(v)).toBeLessThanOrEqual(1);
    }
    expect(s.p).toBe((1 + s.shifted.filter((v) => v >= s.observed).length) / 5);
    expect(s.transitions).toBeGreaterThan(600);
    // A control shifts by at least one episode: one episode is too short for it.
    expect(() => irlRecovery(evaluate(run, { episodes: 1, seed: 1, record: true }), [6], { lambda: 1, shifts: 1, seed: 1 })).toThrow(/2 episodes/);
  });
});
