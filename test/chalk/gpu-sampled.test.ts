import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countsProblemFromConfig } from '../../src/chalk/counts.ts';
import { mergeCountsConfig } from '../../src/chalk/config.ts';
import { solveExact } from '../../src/chalk/exact-solver.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { createNodeGpu } from '../../src/gpu/node.ts';
import { expectSampledAgreesWithExact } from './agreement.ts';
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
    const err = expectSampledAgreesWithExact(ex, sm);
    console.log(`gpu sampled vs exact: policy err ${err.toFixed(4)}, gain ${sm.gain.toFixed(4)} vs ${ex.gain.toFixed(4)}`);
  }, 120_000);
});
