import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, hedonist as cli } from '../cli/run-cli.ts';

const PRESET = 'experiments/synq-mnist.json';
// A tiny MNIST run on the CPU twins (a table trained from zero, minibatches redrawn every 100
// iterations, validation every 250 on 250 images): a few seconds, long enough to kill midway.
const TINY = [
  '--set',
  'run.backend="cpu"',
  '--set',
  'run.seed=3',
  '--set',
  'rule.policy="train"',
  '--set',
  'rule.iterations=2500',
  '--set',
  'rule.evalEvery=250',
  '--set',
  'rule.task.hidden=4',
  '--set',
  'rule.task.maxSamples=1000',
  '--set',
  'rule.task.batchSize=100',
  '--set',
  'rule.task.batchInterval=100',
];

const lineCount = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').length - 1 : 0);

async function until(cond: () => boolean, ms = 120_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('hedonist run experiments/synq-mnist.json', () => {
  it('killed with SIGKILL midway after a checkpoint and resumed, ends with the same metrics.jsonl as a straight run', async () => {
    for (const n of ['test-synq-straight', 'test-synq-killed']) rmSync(`runs/${n}`, { recursive: true, force: true });
    try {
      const straight = await cli(['run', PRESET, ...TINY, '--name', 'test-synq-straight', '--json']);
      expect(straight.code, straight.stderr).toBe(0);
      expect(lineCount('runs/test-synq-straight/metrics.jsonl')).toBe(2500);

      const child = spawn('node', [BIN, 'run', PRESET, ...TINY, '--name', 'test-synq-killed', '--checkpoint-every', '500'], { stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, signal) => res(signal)));
      // Kill once a checkpoint exists and more metrics were written after it.
      await until(() => existsSync('runs/test-synq-killed/checkpoint.bin') && lineCount('runs/test-synq-killed/metrics.jsonl') > 800);
      child.kill('SIGKILL');
      expect(await exited, 'the run ended before it could be killed: make it longer').toBe('SIGKILL');
      expect(lineCount('runs/test-synq-killed/metrics.jsonl')).toBeLessThan(2500);

      const r = await cli(['run', '--resume', 'runs/test-synq-killed', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync('runs/test-synq-killed/metrics.jsonl', 'utf8')).toBe(readFileSync('runs/test-synq-straight/metrics.jsonl', 'utf8'));
      const a = JSON.parse(straight.stdout),
        b = JSON.parse(r.stdout);
      expect(b.resumedFrom).toBeGreaterThan(0);
      for (const k of ['validAccuracy', 'validLoss', 'batchLoss', 'curve', 'table', 'iterationsRun']) expect(b[k], k).toEqual(a[k]);
      expect(b.envSteps).toBe(2500);
    } finally {
      for (const n of ['test-synq-straight', 'test-synq-killed']) rmSync(`runs/${n}`, { recursive: true, force: true });
    }
  }, 300_000);
});
