import { describe, expect, it } from 'vitest';
import { totalVariation } from '../../src/chalk/analysis.ts';
import { solveExact } from '../../src/chalk/exact-solver.ts';
import {
  countLevelProblem,
  createLogisticLearner,
  LOGISTIC_DEFAULTS,
  logisticActorScatter,
  logisticChainKernel,
  logisticLearnKernel,
  logisticPolicyTable,
  validateLogisticConfig,
} from '../../src/chalk/logistic-learner.ts';
import { countsProblem, insertBit } from '../../src/chalk/problem.ts';
import { trainCodingCost } from './train.ts';

describe('chalk logistic (function-approximation) learner', () => {
  it('at N = 8 lands close to the exact solver (async, lambda 0.15, one-hot counts)', async () => {
    const lambda = 0.15;
    const base = { neurons: 8, targets: [2, 6] as const, reward: 'exact' as const, switchProb: 0.02, pInputPlus: 0.5, update: 'async' as const };
    const { trained } = await trainCodingCost(
      { lambda, solver: 'sampled', policy: 'logistic', task: { name: 'counts', ...base }, logistic: { chains: 128, steps: 8_000, countBins: 8, marginalWarmup: 3_000 } },
      { seed: 1 },
    );
    const run = trained.logistic!;
    const tab = logisticPolicyTable(run.state);
    const ex = solveExact(countsProblem(base), lambda);
    let err = 0;
    for (let i = 0; i < 8; i++) {
      for (let x = 0; x < 2; x++) {
        for (let rest = 0; rest < 128; rest++) {
          const k = i * 256 + x * 128 + rest;
          const w = ex.analysis.nu[x * 256 + insertBit(rest, i, 0)]! + ex.analysis.nu[x * 256 + insertBit(rest, i, 1)]!;
          err += (w * Math.abs(ex.piOne[k]! - tab.piOne[k]!)) / 8;
        }
      }
    }
    for (let x = 0; x < 2; x++) {
      expect(totalVariation(tab.analysis.countDist[x]!, ex.analysis.countDist[x]!)).toBeLessThan(0.03);
      expect(totalVariation(run.countDist[x]!, ex.analysis.countDist[x]!)).toBeLessThan(0.05);
    }
    expect(err).toBeLessThan(0.02);
    expect(Math.abs(run.gain - ex.gain)).toBeLessThan(0.03);
    console.log(
      `logistic N=8 vs exact: policy err ${err.toFixed(4)}, TV ${totalVariation(tab.analysis.countDist[0]!, ex.analysis.countDist[0]!).toFixed(4)} / ${totalVariation(tab.analysis.countDist[1]!, ex.analysis.countDist[1]!).toFixed(4)}, gain ${run.gain.toFixed(4)} vs ${ex.gain.toFixed(4)}`,
    );
  }, 120_000);

  it('sync N = 128 with the actor trust region holds the count near the targets 32 / 96 (smooth reward)', async () => {
    const task = { name: 'counts', neurons: 128, targets: [32, 96], reward: 'smooth', switchProb: 0.02, pInputPlus: 0.5, update: 'sync' };
    const { trained } = await trainCodingCost(
      { lambda: 0.008, solver: 'sampled', policy: 'logistic', task, logistic: { chains: 16, steps: 2_000, countBins: 32, actorTrust: 0.5, marginalWarmup: 600 } },
      { seed: 1 },
    );
    const run = trained.logistic!;
    for (const [x, t] of [
      [0, 32],
      [1, 96],
    ] as const) {
      let near = 0;
      for (let k = t - 8; k <= t + 8; k++) near += run.countDist[x]![k]!;
      const mean = run.countDist[x]!.reduce((a, v, k) => a + v * k, 0);
      expect(near).toBeGreaterThan(0.7);
      expect(Math.abs(mean - t)).toBeLessThan(4);
    }
    expect(() => validateLogisticConfig({ ...LOGISTIC_DEFAULTS, actorTrust: -1 })).toThrow(/logistic.actorTrust must be a finite number >= 0/);
  }, 120_000);

  it('actor scatter equals the per-feature kernel bit for bit; config errors name the field', () => {
    for (const update of ['async', 'sync'] as const) {
      const p = countLevelProblem({ neurons: 40, targets: [10, 30], reward: 'smooth', switchProb: 0.1, pInputPlus: 0.5, update });
      const cfg = { ...LOGISTIC_DEFAULTS, chains: 6, countBins: 7, steps: 10 };
      const a = createLogisticLearner(p, 0.05, cfg);
      for (let t = 1; t <= 5; t++) for (let r = 0; r < 6; r++) logisticChainKernel(a, r, t, 0);
      const b = { ...a, w: Float32Array.from(a.w) };
      logisticActorScatter(a);
      const K = 2 * 8;
      for (let k = 0; k < 40 * K; k++) logisticLearnKernel(b, k, 1);
      expect(Array.from(a.w)).toEqual(Array.from(b.w));
      expect(a.w.some((v) => v !== 0)).toBe(true);
    }
    expect(() => validateLogisticConfig({ ...LOGISTIC_DEFAULTS, countBins: 0 })).toThrow(/logistic.countBins must be an integer in \[1, 256\]/);
    expect(() => validateLogisticConfig({ ...LOGISTIC_DEFAULTS, countBins: 9 }, 8)).toThrow(/logistic.countBins must be <= neurons \(8\)/);
    expect(() => countLevelProblem({ neurons: 0, targets: [0, 0], reward: 'exact', switchProb: 0.1, pInputPlus: 0.5, update: 'sync' })).toThrow(/neurons must be an integer/);
  });
});
