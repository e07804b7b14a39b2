import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { killAndResume } from '../cli/kill-resume.ts';
import { setFlags } from '../cli/run-cli.ts';

const PRESET = 'experiments/synq-mnist.json';
// A tiny MNIST run on the CPU twins (a table trained from zero, minibatches redrawn every 100
// iterations, validation every 250 on 250 images): a few seconds, long enough to kill midway.
const TINY = setFlags(
  'run.backend="cpu"',
  'run.seed=3',
  'rule.policy="train"',
  'rule.iterations=2500',
  'rule.evalEvery=250',
  'rule.task.hidden=4',
  'rule.task.maxSamples=1000',
  'rule.task.batchSize=100',
  'rule.task.batchInterval=100',
);

describe('hedonist run experiments/synq-mnist.json', () => {
  it('killed with SIGKILL midway after a checkpoint and resumed, ends with the same metrics.jsonl as a straight run', async () => {
    try {
      const { straight: a, resumed: b } = await killAndResume([PRESET, ...TINY], 'test-synq', { lines: 2500, every: 500, killAfter: 800, untilMs: 120_000 });
      expect(b.resumedFrom).toBeGreaterThan(0);
      for (const k of ['validAccuracy', 'validLoss', 'batchLoss', 'curve', 'table', 'iterationsRun']) expect(b[k], k).toEqual(a[k]);
      expect(b.envSteps).toBe(2500);
    } finally {
      for (const n of ['test-synq-straight', 'test-synq-killed']) rmSync(`runs/${n}`, { recursive: true, force: true });
    }
  }, 300_000);
});
