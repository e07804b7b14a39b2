import { describe, expect, it } from 'vitest';
import { countsProblemFromConfig } from '../../src/chalk/counts.ts';
import { mergeCountsConfig } from '../../src/chalk/config.ts';
import { solveExact } from '../../src/chalk/exact-solver.ts';
import { chalkCriticApplyKernel, chalkCriticScatter, createLearner } from '../../src/chalk/sampling-learner.ts';
import { expectSampledAgreesWithExact } from './agreement.ts';
import { trainCodingCost } from './train.ts';

/** The sampling learner through the coding-cost rule on the CPU executor (seed 1, as runSampler's default was). */
const sample = async (sampled: Record<string, unknown>, seed = 1) => (await trainCodingCost({ lambda: 0.15, solver: 'sampled', sampled }, { seed })).trained.sampled!;

describe('chalk sampling learner vs exact solver (8 neurons, lambda = 0.15)', () => {
  const cfg = mergeCountsConfig({ lambda: 0.15 });
  const p = countsProblemFromConfig(cfg);

  it('agrees on spike-count distribution (TV < 0.05) and policy', async () => {
    const ex = solveExact(p, 0.15);
    const sm = await sample({ chains: 128, steps: 12_000 });
    expectSampledAgreesWithExact(ex, sm);
  }, 60_000);

  it('is reproducible from the seed and the critic scatter equals the per-state kernel', async () => {
    const a = await sample({ chains: 8, steps: 50 });
    const b = await sample({ chains: 8, steps: 50 });
    const c = await sample({ chains: 8, steps: 50 }, 2);
    expect(Array.from(a.state.h)).toEqual(Array.from(b.state.h));
    expect(Array.from(a.state.post)).not.toEqual(Array.from(c.state.post));
    const st1 = createLearner(p, 0.15, 16, 3);
    for (let r = 0; r < 16; r++) {
      st1.tdIndex[r] = r % 5;
      st1.tdDelta[r] = (r - 7) / 10;
    }
    const st2 = { ...st1, h: Float32Array.from(st1.h) };
    chalkCriticScatter(st1, 0.3, new Float64Array(st1.h.length), new Uint32Array(st1.h.length));
    for (let s = 0; s < st2.h.length; s++) chalkCriticApplyKernel(st2, s, 0.3);
    expect(Array.from(st1.h)).toEqual(Array.from(st2.h));
    expect(st1.h[0]).not.toBe(0);
  });
});
