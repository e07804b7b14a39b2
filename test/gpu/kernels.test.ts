import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuContext } from '../../src/gpu/context.ts';
import { createNodeGpu } from '../../src/gpu/node.ts';
import { rngParity } from '../parity/rng-parity.ts';
import { spikeParity } from '../parity/spike-parity.ts';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await createNodeGpu({ debug: true });
});
afterAll(() => ctx?.destroy());

describe('kernels on a WebGPU device in Node (Dawn)', () => {
  it('rng-stream: u32 streams identical to the TypeScript RNG', async () => {
    const r = await rngParity(ctx);
    expect(r.exactMismatches).toBe(0);
    expect(r.maxAbsError).toBe(0);
  });

  it('spike-sample dense: spikes identical, probabilities within 1e-5', async () => {
    const r = await spikeParity(ctx, { sparse: false });
    expect(r.exactMismatches).toBe(0);
    expect(r.maxAbsError).toBeLessThan(1e-5);
    expect(r.notes!.knifeEdge).toBeLessThan(r.count * 1e-3);
  });

  it('spike-sample sparse fan-in: spikes identical, probabilities within 1e-5', async () => {
    const r = await spikeParity(ctx, { sparse: true, neurons: 2048, fanIn: 16 });
    expect(r.exactMismatches).toBe(0);
    expect(r.maxAbsError).toBeLessThan(1e-5);
  });
});
