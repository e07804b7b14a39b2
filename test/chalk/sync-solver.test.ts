import { describe, expect, it } from 'vitest';
import { solveExact } from '../../src/chalk/exact-solver.ts';
import { type ChalkProblem, countsProblem } from '../../src/chalk/problem.ts';

// Synchronous exact solver (src/chalk/exact-solver.ts, syncSoftSweep): product transition kernel,
// per-neuron soft policy improvement with nu-weighted Q over the neuron's own previous state.
describe('chalk synchronous exact solver', () => {
  it('N = 1: sync and async are the same chain and give the same solution', () => {
    const p: ChalkProblem = { neurons: 1, inputs: 2, inputPrior: Float64Array.from([0.5, 0.5]), switchProb: 0.3, reward: Float64Array.from([1, 0, 0, 1]), inputLabels: ['0', '1'], update: 'async' };
    const a = solveExact(p, 0.5);
    const s = solveExact({ ...p, update: 'sync' }, 0.5);
    expect(s.converged).toBe(true);
    for (let k = 0; k < a.piOne.length; k++) expect(s.piOne[k]).toBeCloseTo(a.piOne[k]!, 6);
    expect(s.gain).toBeCloseTo(a.gain, 6);
  });

  it('reaches the 2/6 targets at small lambda (8 neurons), gain = <r> - lambda * cost', () => {
    const lambda = 0.15;
    const p = countsProblem({ neurons: 8, targets: [2, 6], reward: 'exact', switchProb: 0.02, pInputPlus: 0.5, update: 'sync' });
    const s = solveExact(p, lambda, { valueTol: 1e-8, marginalTol: 1e-6 });
    expect(s.converged).toBe(true);
    const cd = s.analysis.countDist;
    expect(cd[0]!.indexOf(Math.max(...cd[0]!))).toBe(2);
    expect(cd[1]!.indexOf(Math.max(...cd[1]!))).toBe(6);
    expect(cd[0]![2]).toBeGreaterThan(0.9);
    expect(cd[1]![6]).toBeGreaterThan(0.9);
    expect(s.gain).toBeCloseTo(s.analysis.averageReward - lambda * s.analysis.costPerStep, 5);
  }, 60_000);

  it('rejects N > 10 for sync with a clear error', () => {
    const p = countsProblem({ neurons: 11, targets: [2, 6], reward: 'exact', switchProb: 0.02, pInputPlus: 0.5, update: 'sync' });
    expect(() => solveExact(p, 0.2)).toThrow(/neurons must be <= 10 for the synchronous exact solver/);
  });
});
