import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuContext } from '../../src/gpu/context.ts';
import { createNodeGpu } from '../../src/gpu/node.ts';
import { trainGdMnist, trainGdMnistGpu } from '../../src/synq/train-gd.ts';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await createNodeGpu();
});
afterAll(() => ctx?.destroy());

describe('GD baseline on WebGPU (trainGdMnistGpu)', () => {
  it('trains the same replicas as the CPU reference: same splits and init, losses within f32 noise, same validation accuracy', async () => {
    const cfg = { hidden: 8, iterations: 6, evalEvery: 3, replicas: 2, maxSamples: 2000, seed: 3 };
    const cpu = await trainGdMnist(cfg);
    const gpu = await trainGdMnistGpu(ctx, cfg);
    expect(gpu.curve.map((c) => c.iteration)).toEqual([3, 6]);
    for (let r = 0; r < 2; r++) {
      expect(Math.abs(gpu.trainLoss[r] - cpu.trainLoss[r]) / cpu.trainLoss[r]).toBeLessThan(1e-5);
      expect(gpu.validAccuracy[r]).toBeCloseTo(cpu.validAccuracy[r], 3);
    }
    // It learned: the training loss fell below ln 10 (chance) on every replica.
    for (const l of gpu.trainLoss) expect(l).toBeLessThan(Math.log(10));
    expect(gpu.curve[1].trainLoss[0]).toBeLessThan(gpu.curve[0].trainLoss[0]);
  });
});
