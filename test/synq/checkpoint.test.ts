import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuContext } from '../../src/gpu/context.ts';
import { createNodeGpu } from '../../src/gpu/node.ts';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/io/checkpoint.ts';
import type { SynqMnistConfig } from '../../src/synq/config.ts';
import { synqMnistCheckpointParts, synqMnistStateFromParts, type SynqMnistState } from '../../src/synq/mnist-checkpoint.ts';
import { mnistLayout } from '../../src/synq/mnist-task.ts';
import { trainSynqMnistGpu } from '../../src/synq/train-gpu.ts';
import { trainSynqMnist, type SynqMnistSummary } from '../../src/synq/train-mnist.ts';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await createNodeGpu();
});
afterAll(() => ctx?.destroy());

// Crosses a minibatch redraw (every 7), the alpha_s switch (10) and the start check (5) on either
// side of the checkpoint at 12; the table is trained, so the saved tables matter.
const CFG: Partial<SynqMnistConfig> = {
  hidden: 4, replicas: 2, seed: 5, iterations: 24, evalEvery: 6, maxSamples: 1000, batchSize: 100, batchInterval: 7,
  alphaS: 2e-3, alphaSSwitchIteration: 10, alphaSSwitched: 1e-3, failCheckIteration: 5, failCheckAccuracy: 0, policy: 'train',
};
const numSynapses = (h: number) => mnistLayout(h).numSynapses;

/** Through the binary container and back, as a file would carry it. */
const viaBytes = (s: SynqMnistState) =>
  synqMnistStateFromParts(decodeCheckpoint(encodeCheckpoint(synqMnistCheckpointParts(s)), 'synq-mnist'), numSynapses);

function expectSameRun(a: SynqMnistSummary, b: SynqMnistSummary): void {
  expect(b.validAccuracy).toEqual(a.validAccuracy);
  expect(b.validLoss).toEqual(a.validLoss);
  expect(b.batchLoss).toEqual(a.batchLoss);
  expect(b.table).toEqual(a.table);
  expect(b.curve).toEqual(a.curve);
  expect(b.failCheck).toEqual(a.failCheck);
  expect(b.iterationsRun).toBe(a.iterationsRun);
}

describe('checkpoint container', () => {
  it('round-trips a header and typed arrays; rejects other files, other kinds and truncation', () => {
    const arrays = { a: Float32Array.of(1.5, -2), b: Uint32Array.of(7), c: Int32Array.of(-3, 4, 5), d: Uint8Array.of(9, 8, 7) };
    const bytes = encodeCheckpoint({ kind: 'k', header: { x: 1, y: [2, 3] }, arrays });
    const back = decodeCheckpoint(bytes, 'k', 'f.bin');
    expect(back.header).toEqual({ x: 1, y: [2, 3] });
    for (const [k, v] of Object.entries(arrays)) {
      expect(back.arrays[k]).toBeInstanceOf(v.constructor);
      expect(Array.from(back.arrays[k])).toEqual(Array.from(v));
    }
    expect(() => decodeCheckpoint(new TextEncoder().encode('{"kind":"k"}'), 'k', 'f.bin')).toThrow(/f\.bin: not a hedonist checkpoint/);
    expect(() => decodeCheckpoint(bytes, 'other', 'f.bin')).toThrow(/f\.bin: holds a 'k' checkpoint, expected 'other'/);
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 8), 'k', 'f.bin')).toThrow(/array 'd' cut short/);
    // A Node Buffer (what readFileSync returns) shares a larger pool: arrays must still be their own size.
    const pooled = Buffer.concat([Buffer.alloc(24, 1), Buffer.from(bytes)]).subarray(24);
    expect(Array.from(decodeCheckpoint(pooled, 'k').arrays.c)).toEqual([-3, 4, 5]);
  });
});

describe('synaptic-RL MNIST checkpoints: stopping and going on changes nothing', () => {
  it('CPU twins: 12 + 12 iterations through a checkpoint = 24 straight, bit for bit', async () => {
    const straight = await trainSynqMnist(CFG);
    let at12: SynqMnistState | undefined;
    const first = await trainSynqMnist({ ...CFG, iterations: 12 }, {}, { onCheckpoint: (s) => void (at12 = s) });
    expect(first.iterationsRun).toBe(12);
    expect(at12!.iteration).toBe(12);
    const resumed = await trainSynqMnist(CFG, {}, { resume: viaBytes(at12!) });
    expect(resumed.resumedFrom).toBe(12);
    expectSameRun(straight, resumed);
  });

  it('WebGPU: a checkpoint taken mid-run (checkpointEvery) resumes to the straight run, bit for bit', async () => {
    const seen: number[] = [];
    let at12: SynqMnistState | undefined;
    const straight = await trainSynqMnistGpu(ctx, CFG, {}, {
      checkpointEvery: 12,
      onCheckpoint: (s) => {
        seen.push(s.iteration);
        if (s.iteration === 12) at12 = viaBytes(s);
      },
    });
    expect(seen).toEqual([12, 24]);
    const resumed = await trainSynqMnistGpu(ctx, CFG, {}, { resume: at12 });
    expectSameRun(straight, resumed);
  });

  it('a checkpoint taken on one backend continues on the other with the same discrete state', async () => {
    let cpuAt12: SynqMnistState | undefined;
    await trainSynqMnist({ ...CFG, iterations: 12 }, {}, { onCheckpoint: (s) => void (cpuAt12 = s) });
    let gpuAt12: SynqMnistState | undefined;
    await trainSynqMnistGpu(ctx, { ...CFG, iterations: 12 }, {}, { onCheckpoint: (s) => void (gpuAt12 = s) });
    // The parity contract: spikes / actions / states exact, floats within tolerance.
    expect(Array.from(gpuAt12!.stateWords)).toEqual(Array.from(cpuAt12!.stateWords));
    expect(Array.from(gpuAt12!.rewardCodes)).toEqual(Array.from(cpuAt12!.rewardCodes));
    expect(Array.from(gpuAt12!.batchIdx)).toEqual(Array.from(cpuAt12!.batchIdx));
    expect(gpuAt12!.batchRngPositions).toEqual(cpuAt12!.batchRngPositions);
    for (let i = 0; i < cpuAt12!.weights.length; i++) expect(Math.abs(gpuAt12!.weights[i] - cpuAt12!.weights[i])).toBeLessThan(1e-6);
    const onCpu = await trainSynqMnist(CFG, {}, { resume: gpuAt12 });
    const onGpu = await trainSynqMnistGpu(ctx, CFG, {}, { resume: cpuAt12 });
    expect(onCpu.iterationsRun).toBe(24);
    expect(onGpu.iterationsRun).toBe(24);
    for (let r = 0; r < 2; r++) expect(Math.abs(onCpu.validAccuracy[r] - onGpu.validAccuracy[r])).toBeLessThan(0.02);
  });

  it('refuses a resume whose run differs, naming the field and both values', async () => {
    let s: SynqMnistState | undefined;
    await trainSynqMnist({ ...CFG, iterations: 3 }, {}, { onCheckpoint: (x) => void (s = x) });
    await expect(trainSynqMnist({ ...CFG, epsilon: 0.2 }, {}, { resume: s })).rejects.toThrow(/epsilon 0.2 \(checkpoint: 0.1\)/);
    await expect(trainSynqMnist({ ...CFG, iterations: 2 }, {}, { resume: s })).rejects.toThrow(/iterations must be >= the checkpoint's 3/);
    const parts = synqMnistCheckpointParts(s!);
    parts.arrays.weights = parts.arrays.weights.subarray(1);
    expect(() => synqMnistStateFromParts(parts, numSynapses, 'c.bin')).toThrow(/c\.bin: array 'weights' has \d+ elements, expected/);
  });
});
