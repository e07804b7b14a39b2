import { readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hedonist as cli } from './run-cli.ts';

describe('hedonist train ott-cartpole', () => {
  it.each(['cpu', 'webgpu'])('runs on %s and logs return, firing rates and every reward term per episode', async (backend) => {
    const name = `test-cli-ott-${backend}`;
    rmSync(`runs/${name}`, { recursive: true, force: true });
    const r = await cli(['train', 'ott-cartpole', '--layers', '1', '--rewards', 'all', '--replicas', '2', '--episodes', '12', '--backend', backend, '--name', name, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.config.replicas).toBe(2);
    expect(s.backend).toBe(backend);
    expect(s.replicas).toHaveLength(2);
    const rows = readFileSync(`runs/${name}/metrics.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.length).toBe(24);
    const keys = Object.keys(rows[0]).join(' ');
    for (const k of ['return', 'firing_rate', 'reward_task', 'reward_activity', 'reward_sparsity', 'reward_prediction', 'reward_trace']) expect(keys).toContain(k);
    for (const row of rows) expect(Number.isFinite(row.return ?? row['charts/episodic_return'])).toBe(true);
  });

  it('rejects an unknown reward mode with one line naming the flag (exit 2)', async () => {
    const r = await cli(['train', 'ott-cartpole', '--rewards', 'pleasure']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("hedonist: --rewards must be one of task|bio|all|bio_then_all, got 'pleasure'");
  });
});

describe('hedonist run experiments/ott-cartpole.json', () => {
  it('trains the ott rule from the preset, with --set overrides', async () => {
    const name = 'test-cli-ott-preset';
    rmSync(`runs/${name}`, { recursive: true, force: true });
    const r = await cli([
      'run',
      'experiments/ott-cartpole.json',
      '--set',
      'run.replicas=2',
      '--set',
      'run.episodes=6',
      '--set',
      'run.backend=cpu',
      '--set',
      'population.agents=logistic-neurons',
      '--name',
      name,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('trials per replica: 6 6');
    const rows = readFileSync(`runs/${name}/metrics.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.length).toBe(12);
    expect(Object.keys(rows[0])).toContain('reward_trace');
  });
});
