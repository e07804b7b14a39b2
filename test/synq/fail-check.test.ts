import { describe, expect, it } from 'vitest';
import { nodeGpuForFile } from '../gpu/file-gpu.ts';
import type { SynqMnistSummary } from '../../src/rules/synq-decoders.ts';
import { experiment, train } from './train.ts';

// The reference code's failed-start rule (training accuracy < threshold at the check iteration).
const small = (failCheckAccuracy: number, failCheckIteration = 20) => ({
  name: 'synaptic-q',
  task: { kind: 'mnist', hidden: 0, maxSamples: 600, batchSize: 100, failCheckIteration, failCheckAccuracy },
  iterations: 40,
  evalEvery: 10,
});
const RUN = { replicas: 2, seed: 1 };

const dawn = nodeGpuForFile();

describe('MNIST failed-start check', () => {
  it('stops when every replica is below the threshold, on both backends, with the same verdict', async () => {
    const cpu = await train<SynqMnistSummary>(small(1), RUN); // nobody reaches 100%: all fail
    const gpu = await train<SynqMnistSummary>(small(1), { ...RUN, backend: 'webgpu' }, { ctx: dawn.ctx });
    for (const { summary: s, records, result } of [cpu, gpu]) {
      expect(s.iterationsRun).toBe(20);
      expect(result.envSteps).toBe(20); // the loop waited for the check and ran no further
      expect(s.failCheck?.iteration).toBe(20);
      expect(s.failCheck?.failed).toEqual([true, true]);
      expect(s.curve[s.curve.length - 1]!.iteration).toBe(20);
      // The check's record comes before its iteration's records, as the reference trainer wrote it.
      expect(records.findIndex((m) => m.event === 'failCheck')).toBe(2 * 19);
    }
    // same weights at the check on both backends -> the same training accuracies
    for (let r = 0; r < 2; r++) expect(gpu.summary.failCheck!.trainAccuracy[r]).toBeCloseTo(cpu.summary.failCheck!.trainAccuracy[r]!, 2);
  });

  it('runs to the end when some replica passes, and reports who failed', async () => {
    // threshold between the two replicas' accuracies at the check: one fails, one passes
    const probe = (await train<SynqMnistSummary>(small(0), RUN)).summary;
    expect(probe.iterationsRun).toBe(40);
    expect(probe.failCheck?.failed).toEqual([false, false]);
    const [a, b] = probe.failCheck!.trainAccuracy as [number, number];
    expect(a).not.toBe(b);
    const s = (await train<SynqMnistSummary>(small((a + b) / 2), RUN)).summary;
    expect(s.iterationsRun).toBe(40);
    expect(s.failCheck?.failed).toEqual([a < b, b < a]);
  });

  it('is skipped with failCheckIteration 0 and rejects a bad threshold by name', async () => {
    const s = (await train<SynqMnistSummary>(small(1, 0), RUN)).summary;
    expect(s.iterationsRun).toBe(40);
    expect(s.failCheck).toBeNull();
    expect(() => experiment(small(2), RUN)).toThrow(/rule\.task\.failCheckAccuracy must be a number in \[0, 1\], got 2/);
  });
});
