import { describe, expect, it } from 'vitest';
import { nodeGpuForFile } from '../gpu/file-gpu.ts';
import type { GdMnistSummary } from '../../src/rules/synq-decoders.ts';
import { train } from './train.ts';

const dawn = nodeGpuForFile();

describe('GD baseline on WebGPU (the gd rule through the GPU executor)', () => {
  it('trains the same replicas as the CPU reference: same splits and init, losses within f32 noise, same validation accuracy', async () => {
    const rule = { name: 'gd', task: { kind: 'mnist', hidden: 8, maxSamples: 2000 }, iterations: 6, evalEvery: 3 };
    const run = { replicas: 2, seed: 3 };
    const cpu = (await train<GdMnistSummary>(rule, run)).summary;
    const gpu = await train<GdMnistSummary>(rule, { ...run, backend: 'webgpu' }, { ctx: dawn.ctx });
    const g = gpu.summary;
    expect(g.curve.map((c) => c.iteration)).toEqual([3, 6]);
    expect(gpu.records).toHaveLength(12); // every step of each replica
    for (let r = 0; r < 2; r++) {
      expect(Math.abs(g.trainLoss[r]! - cpu.trainLoss[r]!) / cpu.trainLoss[r]!).toBeLessThan(1e-5);
      expect(g.validAccuracy[r]).toBeCloseTo(cpu.validAccuracy[r]!, 3);
    }
    // It learned: the training loss fell below ln 10 (chance) on every replica.
    for (const l of g.trainLoss) expect(l).toBeLessThan(Math.log(10));
    expect(g.curve[1]!.trainLoss[0]).toBeLessThan(g.curve[0]!.trainLoss[0]!);
  });
});
