import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuContext } from '../../src/gpu/context.ts';
import { createNodeGpu } from '../../src/gpu/node.ts';
import { trainSynqMnistGpu } from '../../src/synq/train-gpu.ts';
import { trainSynqMnist } from '../../src/synq/train-mnist.ts';

// The reference code's failed-start rule (training accuracy < threshold at the check iteration).
const small = { hidden: 0, iterations: 40, maxSamples: 600, batchSize: 100, evalEvery: 10, replicas: 2, failCheckIteration: 20 };

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await createNodeGpu();
});
afterAll(() => ctx?.destroy());

describe('MNIST failed-start check', () => {
  it('stops when every replica is below the threshold, on both backends, with the same verdict', async () => {
    const c = { ...small, failCheckAccuracy: 1 }; // nobody reaches 100%: all fail
    const cpu = await trainSynqMnist(c);
    const gpu = await trainSynqMnistGpu(ctx, c);
    for (const s of [cpu, gpu]) {
      expect(s.iterationsRun).toBe(20);
      expect(s.failCheck?.iteration).toBe(20);
      expect(s.failCheck?.failed).toEqual([true, true]);
      expect(s.curve[s.curve.length - 1].iteration).toBe(20);
    }
    // same weights at the check on both backends -> the same training accuracies
    for (let r = 0; r < 2; r++) expect(gpu.failCheck!.trainAccuracy[r]).toBeCloseTo(cpu.failCheck!.trainAccuracy[r], 2);
  });

  it('runs to the end when some replica passes, and reports who failed', async () => {
    // threshold between the two replicas' accuracies at the check: one fails, one passes
    const probe = await trainSynqMnist({ ...small, failCheckAccuracy: 0 });
    expect(probe.iterationsRun).toBe(40);
    expect(probe.failCheck?.failed).toEqual([false, false]);
    const [a, b] = probe.failCheck!.trainAccuracy;
    expect(a).not.toBe(b);
    const s = await trainSynqMnist({ ...small, failCheckAccuracy: (a + b) / 2 });
    expect(s.iterationsRun).toBe(40);
    expect(s.failCheck?.failed).toEqual([a < b, b < a]);
  });

  it('is skipped with failCheckIteration 0 and rejects a bad threshold by name', async () => {
    const s = await trainSynqMnist({ ...small, failCheckIteration: 0, failCheckAccuracy: 1 });
    expect(s.iterationsRun).toBe(40);
    expect(s.failCheck).toBeNull();
    await expect(trainSynqMnist({ ...small, failCheckAccuracy: 2 })).rejects.toThrow(/failCheckAccuracy must be in \[0, 1\], got 2/);
  });
});
