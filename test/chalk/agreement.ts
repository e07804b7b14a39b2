import { expect } from 'vitest';
import { totalVariation } from '../../src/chalk/analysis.ts';
import type { ExactSolution } from '../../src/chalk/exact-solver.ts';
import { viewIndex } from '../../src/chalk/problem.ts';
import type { SampledRun } from '../../src/chalk/sampling-learner.ts';

/**
 * The sampling learner against the exact solver on the 8-neuron counts problem: spike-count
 * distributions (analysed and empirical) within total variation 0.05, the policy error weighted by
 * the exact pre-action distribution below 0.02, and the gain within 0.02. Returns the policy error.
 */
export function expectSampledAgreesWithExact(ex: ExactSolution, sm: SampledRun): number {
  for (let x = 0; x < 2; x++) {
    expect(totalVariation(ex.analysis.countDist[x]!, sm.analysis.countDist[x]!)).toBeLessThan(0.05);
    expect(totalVariation(ex.analysis.countDist[x]!, sm.empiricalCountDist[x]!)).toBeLessThan(0.05);
  }
  const S = 256;
  const nV = 256;
  let err = 0;
  for (let i = 0; i < 8; i++) {
    for (let x = 0; x < 2; x++) {
      for (let s = 0; s < S; s++) {
        const k = i * nV + viewIndex(8, s, x, i);
        err += (ex.analysis.nu[x * S + s]! * Math.abs(ex.piOne[k]! - sm.piOne[k]!)) / 8;
      }
    }
  }
  expect(err).toBeLessThan(0.02);
  expect(Math.abs(sm.gain - ex.gain)).toBeLessThan(0.02);
  return err;
}
