import { existsSync, readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hedonist as cli } from './run-cli.ts';

describe('hedonist CLI', () => {
  it('info --json names the adapter and its limits', async () => {
    const r = await cli(['info', '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.adapter).toMatch(/\w/);
    expect(info.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
    expect(Array.isArray(info.features)).toBe(true);
  });

  it('train cartpole-reinforce --json prints one summary and writes metrics.jsonl', async () => {
    rmSync('runs/test-cli-cartpole', { recursive: true, force: true });
    const r = await cli(['train', 'cartpole-reinforce', '--episodes', '40', '--replicas', '2', '--seed', '3', '--name', 'test-cli-cartpole', '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    for (const k of ['backend', 'adapter', 'seed', 'replicas', 'episodes', 'wallSeconds', 'last100MeanReturn']) expect(s).toHaveProperty(k);
    expect(s.seed).toBe(3);
    expect(s.last100MeanReturn).toHaveLength(2);
    const lines = readFileSync('runs/test-cli-cartpole/metrics.jsonl', 'utf8').trim().split('\n');
    expect(lines).toHaveLength(80);
    expect(JSON.parse(lines[0]!)).toHaveProperty(['charts/episodic_return']);
    expect(existsSync('runs/test-cli-cartpole/summary.json')).toBe(true);
  });

  it.each([
    [['train', 'cartpole-reinforce', '--replicas', '0'], /--replicas must be an integer in \[1, 1048576\], got '0'/],
    [['train', 'cartpole-reinforce', '--backend', 'tpu'], /--backend must be one of auto\|webgpu\|cpu, got 'tpu'/],
    [['train', 'cartpole-reinforce', '--bogus'], /unknown flag --bogus/],
    [['train', 'no-such-preset'], /unknown train target 'no-such-preset'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('%j fails with one clear line and exit code 2', async (args, msg) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(msg);
  });
});
