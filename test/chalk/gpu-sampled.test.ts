import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totalVariation } from '../../src/chalk/analysis.ts';
import { countsProblemFromConfig } from '../../src/chalk/counts.ts';
import { mergeCountsConfig } from '../../src/chalk/config.ts';
import { solveExact } from '../../src/chalk/exact-solver.ts';
import { viewIndex } from '../../src/chalk/problem.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { createNodeGpu } from '../../src/gpu/node.ts';
import { trainCodingCost } from './train.ts';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await createNodeGpu({ debug: false });
});
afterAll(() => ctx?.destroy());

// Same criteria as the CPU sampled-vs-exact test (test/chalk/sampled.test.ts).
describe('chalk sampling learner on the WebGPU executor vs exact solver (8 neurons, lambda = 0.15)', () => {
  it('agrees on spike-count distribution (TV < 0.05), policy and gain', async () => {
    const cfg = mergeCountsConfig({ lambda: 0.15 });
    const p = countsProblemFromConfig(cfg);
    const ex = solveExact(p, 0.15);
    const { result, records, trained } = await trainCodingCost({ lambda: 0.15, solver: 'sampled', sampled: { chains: 128, steps: 12_000 } }, { seed: 1, backend: 'webgpu', stepsPerChunk: 500 }, ctx);
    const sm = trained.sampled!;
    expect(result.backend).toBe('webgpu');
    expect(result.envSteps).toBe(12_000);
    expect(records.filter((r) => r.step !== undefined).map((r) => r.step)).toEqual(Array.from({ length: 24 }, (_, k) => 500 * (k + 1)));
    expect(records.at(-1)!.final).toBe(true);
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
    console.log(`gpu sampled vs exact: policy err ${err.toFixed(4)}, gain ${sm.gain.toFixed(4)} vs ${ex.gain.toFixed(4)}`);
  }, 120_000);
});
