import { describe, expect, it } from 'vitest';
import { analysePolicy, bernoulliKl } from '../../src/chalk/analysis.ts';
import { validateChalkCountsConfig, mergeCountsConfig, CHALK_COUNTS_PRESET } from '../../src/chalk/config.ts';
import { countsProblemFromConfig } from '../../src/chalk/counts.ts';
import { relativeValueIteration, softPolicy, solveExact } from '../../src/chalk/exact-solver.ts';
import { type ChalkProblem, dropBit, insertBit, popcount } from '../../src/chalk/problem.ts';

/** One neuron, input x in {0,1} with p = 1/2, reward 1 when sigma == x. */
function copyProblem(switchProb: number): ChalkProblem {
  // index x * 2 + sigma
  return { neurons: 1, inputs: 2, inputPrior: Float64Array.from([0.5, 0.5]), switchProb, reward: Float64Array.from([1, 0, 0, 1]), inputLabels: ['0', '1'], update: 'async' };
}

const logistic = (z: number) => 1 / (1 + Math.exp(-z));
const Hb = (p: number) => -p * Math.log(p) - (1 - p) * Math.log(1 - p);

describe('chalk exact solver', () => {
  it('bit helpers: dropBit/insertBit are inverse, popcount counts', () => {
    for (let s = 0; s < 256; s++) {
      for (let i = 0; i < 8; i++) expect(insertBit(dropBit(s, i), i, (s >> i) & 1)).toBe(s);
      expect(popcount(s)).toBe(
        s
          .toString(2)
          .split('')
          .filter((c) => c === '1').length,
      );
    }
  });

  it.each([1, 0.3])('N=1 copy task matches the hand solution (switchProb %s)', (q) => {
    // By hand: h(1,x') - h(0,x') = r(1,x') - r(0,x') = +-1, p = 1/2 by symmetry, so
    // pi(1 | x=1) = logistic(1/lambda), <r> = logistic(1/lambda), I = log 2 - H(<r>),
    // gain = lambda log((1 + e^{1/lambda}) / 2) = <r> - lambda I.
    for (const lambda of [0.25, 1, 3]) {
      const s = solveExact(copyProblem(q), lambda);
      expect(s.converged).toBe(true);
      const rho = logistic(1 / lambda);
      expect(s.piOne[1]).toBeCloseTo(rho, 8); // view index = x
      expect(s.piOne[0]).toBeCloseTo(1 - rho, 8);
      expect(s.marginal[0]).toBeCloseTo(0.5, 8);
      expect(s.analysis.averageReward).toBeCloseTo(rho, 8);
      expect(s.analysis.costPerStep).toBeCloseTo(Math.log(2) - Hb(rho), 8);
      expect(s.gain).toBeCloseTo(lambda * Math.log((1 + Math.exp(1 / lambda)) / 2), 8);
    }
  });

  it('N=1 without input: one Blahut-Arimoto round moves the logit of p by exactly 1/lambda', () => {
    const p: ChalkProblem = { neurons: 1, inputs: 1, inputPrior: Float64Array.from([1]), switchProb: 1, reward: Float64Array.from([0, 1]), inputLabels: ['-'], update: 'async' };
    const lambda = 2;
    const h = new Float64Array(2);
    const m = Float64Array.from([0.3]);
    relativeValueIteration(p, h, m, lambda, 1e-12, 10_000);
    expect(h[1]! - h[0]!).toBeCloseTo(1, 10); // the next step's value does not depend on sigma
    const pi = softPolicy(p, h, m, lambda);
    const a = analysePolicy(p, pi);
    const logit = (v: number) => Math.log(v / (1 - v));
    expect(logit(a.marginal[0]!)).toBeCloseTo(logit(0.3) + 1 / lambda, 9);
    expect(a.costPerStep).toBeCloseTo(0, 12); // a state-independent policy carries no information
  });

  it('gain equals <r> - lambda * cost at the fixed point (8 neurons)', () => {
    const c = mergeCountsConfig({ lambda: 0.5 });
    const s = solveExact(countsProblemFromConfig(c), 0.5);
    expect(s.converged).toBe(true);
    expect(s.gain).toBeCloseTo(s.analysis.averageReward - 0.5 * s.analysis.costPerStep, 7);
    // Marginals are the Blahut-Arimoto fixed point: E_nu KL is minimised at p = E_nu pi.
    for (const m of s.marginal) expect(m).toBeCloseTo(0.5, 6);
    expect(bernoulliKl(0.5, 0.5)).toBe(0);
  });

  it('config validation names the field and range', () => {
    expect(() => validateChalkCountsConfig({ ...CHALK_COUNTS_PRESET, lambda: 0 })).toThrow(/lambda must be/);
    expect(() => mergeCountsConfig({ neurons: 13 })).toThrow(/neurons must be an integer in \[1, 12\]/);
    expect(() => mergeCountsConfig({ targets: [2, 9] })).toThrow(/targets must be integers in \[0, 8\]/);
    expect(() => mergeCountsConfig({ switchProb: 0 })).toThrow(/switchProb must be in \(0, 1\]/);
    expect(() => mergeCountsConfig({ sampled: { chains: 0 } })).toThrow(/sampled\.chains/);
    expect(() => mergeCountsConfig({ exact: { marginalTol: -1 } })).toThrow(/exact\.marginalTol/);
  });
});
