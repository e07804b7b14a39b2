import { describe, expect, it } from 'vitest';
import { nodeGpuForFile } from '../gpu/file-gpu.ts';
import { decodeCheckpoint, encodeCheckpoint, type CheckpointParts } from '../../src/io/checkpoint.ts';
import type { SynqMnistSummary } from '../../src/rules/synq-decoders.ts';
import { RUN_CHECKPOINT } from '../../src/run/loop.ts';
import { train, type Rec } from './train.ts';

const dawn = nodeGpuForFile();

// Crosses a minibatch redraw (every 7), the alpha_s switch (10) and the start check (5) on either
// side of the checkpoint at 12; the table is trained, so the saved tables matter.
const RULE = {
  name: 'synaptic-q',
  task: { kind: 'mnist', hidden: 4, maxSamples: 1000, batchSize: 100, batchInterval: 7, failCheckIteration: 5, failCheckAccuracy: 0 },
  policy: 'train',
  iterations: 24,
  evalEvery: 6,
  alphaS: 2e-3,
  alphaSSwitchIteration: 10,
  alphaSSwitched: 1e-3,
};
const RUN = (backend: string) => ({ seed: 5, replicas: 2, backend });
const rule = (iterations: number) => ({ ...RULE, iterations });

/** Through the binary container and back, as a file would carry it. */
const viaBytes = (p: CheckpointParts) => decodeCheckpoint(encodeCheckpoint(p), RUN_CHECKPOINT);

function expectSameRun(a: SynqMnistSummary, b: SynqMnistSummary): void {
  for (const k of ['validAccuracy', 'validLoss', 'batchLoss', 'table', 'curve', 'failCheck', 'iterationsRun'] as const) expect(b[k], k).toEqual(a[k]);
}

/** 12 iterations ending in a checkpoint, then the run resumed with a budget of 24 (metrics cut back to the checkpoint). */
async function twoParts(backend: string, resumeOn = backend) {
  let at12: CheckpointParts | undefined;
  const first = await train(rule(12), RUN(backend), { ctx: dawn.ctx, checkpointEvery: 12, saveCheckpoint: (p) => void (at12 = viaBytes(p)) });
  expect(at12!.header.stepCount).toBe(12);
  const records: Rec[] = first.records.slice(0, at12!.header.metricsAt as number);
  const resumed = await train<SynqMnistSummary>(rule(24), RUN(resumeOn), { ctx: dawn.ctx, resume: at12, records });
  return { at12: at12!, resumed };
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

describe('synaptic-RL MNIST checkpoints through the core: stopping and going on changes nothing', () => {
  it.each(['cpu', 'webgpu'])('%s: 12 iterations, a checkpoint, then resumed with a budget of 24 = 24 straight, records and summary bit for bit', async (backend) => {
    const straight = await train<SynqMnistSummary>(rule(24), RUN(backend), { ctx: dawn.ctx });
    const { resumed } = await twoParts(backend);
    expect(resumed.summary.resumedFrom).toBe(12);
    expectSameRun(straight.summary, resumed.summary);
    expect(resumed.records).toEqual(straight.records);
    expect(resumed.result.envSteps).toBe(24); // the loop never runs past the run
  });

  it('WebGPU: checkpoints every 12 iterations land on 12 and 24 exactly', async () => {
    const seen: number[] = [];
    await train(rule(24), RUN('webgpu'), { ctx: dawn.ctx, checkpointEvery: 12, saveCheckpoint: (p) => void seen.push(p.header.stepCount as number) });
    expect(seen).toEqual([12, 24, 24]); // the cadence, then the end
  });

  it('a checkpoint taken on one backend goes on on the other with the same discrete state', async () => {
    const cpu = await twoParts('cpu', 'webgpu');
    const gpu = await twoParts('webgpu', 'cpu');
    // The parity contract: actions / states / rewards exact, floats within tolerance.
    for (const name of ['state', 'actions', 'reward-codes', 'positives', 'clock']) expect(Array.from(gpu.at12.arrays[name]!), name).toEqual(Array.from(cpu.at12.arrays[name]!));
    const [wc, wg] = [cpu.at12.arrays.weights!, gpu.at12.arrays.weights!];
    for (let i = 0; i < wc.length; i++) expect(Math.abs(wg[i]! - wc[i]!)).toBeLessThan(1e-6);
    expect(cpu.resumed.summary.iterationsRun).toBe(24);
    expect(gpu.resumed.summary.iterationsRun).toBe(24);
    for (let r = 0; r < 2; r++) expect(Math.abs(cpu.resumed.summary.validAccuracy[r]! - gpu.resumed.summary.validAccuracy[r]!)).toBeLessThan(0.02);
  });

  it('refuses a checkpoint of another rule or of another shape, naming what differs', async () => {
    let p: CheckpointParts | undefined;
    await train(rule(3), RUN('cpu'), { checkpointEvery: 3, saveCheckpoint: (x) => void (p = x) });
    await expect(train({ name: 'gd', task: { kind: 'mnist', maxSamples: 1000 }, iterations: 5 }, RUN('cpu'), { resume: p })).rejects.toThrow("checkpoint holds a 'synaptic-q' run, not 'gd'");
    await expect(train(rule(24), { ...RUN('cpu'), replicas: 3 }, { resume: p })).rejects.toThrow(/checkpoint lacks buffer 'weights' of \d+ elements/);
  });
});
