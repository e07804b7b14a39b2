import { existsSync, readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { killAndResume } from '../cli/kill-resume.ts';
import { hedonist as cli, setFlags } from '../cli/run-cli.ts';

const PRESET = 'experiments/chalk-counts.json';
// The tabular sampling learner, 16 chains x 30000 steps on the CPU twins: a few seconds, long enough to kill midway.
const SAMPLED = setFlags('rule.solver="sampled"', 'rule.sampled.chains=16', 'rule.sampled.steps=30000', 'run.stepsPerChunk=100', 'run.backend="cpu"', 'run.seed=5');

describe('hedonist run experiments/chalk-counts.json (coding-cost rule on the core)', () => {
  it('killed with SIGKILL midway after a checkpoint and resumed, ends with the same metrics as a straight run', async () => {
    // One progress record per 100 steps, then the final record.
    const { straight: a, resumed: b } = await killAndResume([PRESET, ...SAMPLED], 'test-chalk', { lines: 301, every: 3000, killAfter: 90 });
    expect(b.gain).toBe(a.gain);
    expect(b.marginals).toEqual(a.marginals);
    expect(b.envSteps).toBe(30_000);
  });

  it('runs the exact solver (no steps) and the pixels preset from their files, each ending with its final record', async () => {
    for (const n of ['test-chalk-exact', 'test-chalk-pixels']) rmSync(`runs/${n}`, { recursive: true, force: true });
    const e = await cli(['run', PRESET, '--set', 'run.backend="cpu"', '--name', 'test-chalk-exact']);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/^chalk-counts, solver exact, lambda 0.15, targets 2\/6/);
    const last = JSON.parse(readFileSync('runs/test-chalk-exact/metrics.jsonl', 'utf8').trim());
    expect(last).toMatchObject({ final: true, massOnTarget: { '-1': expect.any(Number), '+1': expect.any(Number) } });
    const p = await cli(['run', 'experiments/chalk-pixels.json', '--name', 'test-chalk-pixels', '--json']);
    expect(p.code, p.stderr).toBe(0);
    expect(JSON.parse(p.stdout).decodingAccuracy).toBeGreaterThan(0.9);
    expect(JSON.parse(readFileSync('runs/test-chalk-pixels/metrics.jsonl', 'utf8').trim()).final).toBe(true);
  });

  it.each([
    [[PRESET, '--set', 'rule.task.neurons=20'], "neurons must be an integer in [1, 12] with policy 'tabular' (2^N states; use policy 'logistic' for larger N), got 20"],
    [['experiments/chalk-pixels.json', '--set', 'rule.solver="sampled"'], "rule.solver must be 'exact' with task 'pixels'"],
    [[PRESET, '--set', 'rule.sampled.chains=0'], 'rule.sampled.chains must be an integer in [1, 65536], got 0'],
    [[PRESET, '--set', 'rule.task.update="sync"', '--set', 'rule.solver="sampled"'], "update 'sync' with the sampled solver needs policy 'logistic'"],
  ])('%j fails with one line naming the field, exit 2', async (args, msg) => {
    const r = await cli(['run', ...args, '--name', 'test-chalk-refused']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(msg);
    expect(existsSync('runs/test-chalk-refused')).toBe(false);
  });
});
