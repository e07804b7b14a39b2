import { describe, expect, it } from 'vitest';
import { predictCellDeath } from '../../src/chalk/cell-death.ts';
import { countsProblemFromConfig } from '../../src/chalk/counts.ts';
import { mergeCountsConfig } from '../../src/chalk/config.ts';
import { simulate } from '../../src/chalk/dynamics.ts';
import { solveExact } from '../../src/chalk/exact-solver.ts';
import { inferReward } from '../../src/chalk/infer.ts';
import { countTransitions, empiricalPolicy } from '../../src/chalk/inverse.ts';

describe('chalk inverse RL on example (a), lambda = 0.5 known', () => {
  const lambda = 0.5;
  const p = countsProblemFromConfig(mergeCountsConfig({ lambda }));
  const sol = solveExact(p, lambda);

  it('empirical flip rates estimate the policy (N * flips / visits)', () => {
    const train = simulate(p, sol.piOne, { steps: 200_000, seed: 3 });
    const c = countTransitions(train, 2);
    const pol = empiricalPolicy(c);
    let err = 0;
    let w = 0;
    for (let k = 0; k < pol.piOne.length; k++) {
      err += pol.observations[k]! * Math.abs(pol.piOne[k]! - sol.piOne[k]!);
      w += pol.observations[k]!;
    }
    expect(err / w).toBeLessThan(0.03);
    expect(c.switchProb).toBeGreaterThan(0.015);
    expect(c.switchProb).toBeLessThan(0.025);
  });

  it('Bellman inversion recovers the 2/6 targets with error shrinking with samples', () => {
    const errors: number[] = [];
    for (const T of [10_000, 100_000, 1_000_000]) {
      const train = simulate(p, sol.piOne, { steps: T, seed: 7 });
      const res = inferReward({ spikes: train, lambda, method: 'bellman', inputs: 2, trueReward: p.reward });
      expect(res.bellman!.inferredTarget).toEqual({ '-1': 2, '+1': 6 });
      errors.push(res.bellman!.error!);
    }
    expect(errors[1]!).toBeLessThan(errors[0]!);
    expect(errors[2]!).toBeLessThan(errors[1]!);
    expect(errors[2]!).toBeLessThan(0.06);
  }, 60_000);

  it('maximum likelihood (one-hot count x input) recovers the targets; cell death keeps count 6 at x=+1', () => {
    const train = simulate(p, sol.piOne, { steps: 200_000, seed: 11 });
    const res = inferReward({ spikes: train, lambda, method: 'ml', inputs: 2, trueReward: p.reward, iterations: 15 });
    expect(res.ml!.inferredTarget).toEqual({ '-1': 2, '+1': 6 });
    expect(res.ml!.error!).toBeLessThan(0.08);
    // Kill 2 neurons: to keep 6 active at x=+1 the 6 survivors must all fire more.
    const pred = predictCellDeath(p, sol.piOne, res.tables.ml!, lambda, [6, 7]);
    for (let k = 0; k < 6; k++) expect(pred.ratesAfter['+1']![k]!).toBeGreaterThan(pred.ratesBefore['+1']![k]! + 0.15);
    expect(pred.countDistAfter['+1']![6]!).toBeGreaterThan(0.8);
    expect(pred.countDistAfter['-1']![2]!).toBeGreaterThan(0.8);
    expect(pred.countDistAfter['+1']![6]!).toBeGreaterThan(pred.countDistNoAdaptation['+1']![6]!);
  }, 60_000);
});
