import { describe, expect, it } from 'vitest';
import { analysePolicy, totalVariation } from '../../src/chalk/analysis.ts';
import { simulate } from '../../src/chalk/dynamics.ts';
import { solveExact } from '../../src/chalk/exact-solver.ts';
import { countsProblem, popcount } from '../../src/chalk/problem.ts';
import { formatSpikeFile, parseSpikeFile } from '../../src/chalk/spike-file.ts';
import { invertBellman } from '../../src/chalk/inverse.ts';

// Synchronous updates: every neuron samples from its policy each step. Supported by simulate (spike
// trains) and analysePolicy (exact stationary analysis), and the exact solver (sync-solver.test.ts);
// the tabular sampling learner and inverse RL are async only.
describe('chalk synchronous updates', () => {
  const base = { neurons: 6, targets: [1, 4] as const, reward: 'exact' as const, switchProb: 0.05, pInputPlus: 0.5 };
  const asyncP = countsProblem({ ...base, update: 'async' });
  const syncP = countsProblem({ ...base, update: 'sync' });
  const pi = solveExact(asyncP, 0.3).piOne;

  it('simulated sync spike counts match the exact sync stationary distribution, and differ from async', () => {
    const T = 200_000;
    const train = simulate(syncP, pi, { steps: T, seed: 3 });
    const n = 6;
    const hist = [new Array(n + 1).fill(0), new Array(n + 1).fill(0)];
    let multi = 0;
    let prev = 0;
    for (let t = 1; t < T; t++) {
      let s = 0;
      for (let i = 0; i < n; i++) s |= train.sigma[t * n + i]! << i;
      hist[train.input[t]!]![popcount(s)]++;
      if (popcount(s ^ prev) > 1) multi++;
      prev = s;
    }
    expect(multi).toBeGreaterThan(T / 20); // several neurons change in one step
    const sync = analysePolicy(syncP, pi);
    const asy = analysePolicy(asyncP, pi);
    for (let x = 0; x < 2; x++) {
      const tot = hist[x]!.reduce((a, b) => a + b, 0);
      const emp = hist[x]!.map((v) => v / tot);
      expect(totalVariation(emp, sync.countDist[x]!)).toBeLessThan(0.02);
      expect(totalVariation(sync.countDist[x]!, asy.countDist[x]!)).toBeGreaterThan(0.05);
    }
  });

  it('a sync spike train round-trips through the file format and is rejected by the async inverse', () => {
    const train = simulate(syncP, pi, { steps: 200, seed: 1 });
    const back = parseSpikeFile(formatSpikeFile(train));
    expect(Array.from(back.sigma)).toEqual(Array.from(train.sigma));
    expect(() => invertBellman(back, 0.3)).toThrow(/neurons changed in one step/);
  });
});
