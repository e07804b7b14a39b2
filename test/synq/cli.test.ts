import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hedonist } from '../cli/run-cli.ts';

const cli = (args: string[]) => hedonist(args, 120_000);

describe('hedonist train synq-boundary', () => {
  it('trains a table on WebGPU, saves it, and a second run loads it with --policy FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synq-cli-'));
    const table = join(dir, 'table.json');
    rmSync('runs/test-cli-synq', { recursive: true, force: true });
    try {
      const a = await cli([
        'train',
        'synq-boundary',
        '--policy',
        'train',
        '--steps',
        '300',
        '--hidden',
        '8',
        '--points',
        '100',
        '--eval-every',
        '100',
        '--replicas',
        '2',
        '--save-table',
        table,
        '--name',
        'test-cli-synq',
        '--json',
      ]);
      expect(a.code, a.stderr).toBe(0);
      const s = JSON.parse(a.stdout);
      expect(s.backend).toBe('webgpu');
      expect(s.trainPolicy).toBe(true);
      expect(s.curve).toHaveLength(3);
      const saved = JSON.parse(readFileSync(table, 'utf8'));
      expect(saved.Q.flat(4).some((v: number) => v !== 0)).toBe(true); // TD moved the zero table
      const lines = readFileSync('runs/test-cli-synq/metrics.jsonl', 'utf8').trim().split('\n');
      // Every iteration of each replica, on WebGPU too (the log rides back in the metrics buffer); accuracy at the 3 evaluations.
      expect(lines).toHaveLength(600);
      expect(
        lines
          .map((l) => JSON.parse(l))
          .filter((m) => m.accuracy !== undefined)
          .map((m) => m.iteration),
      ).toEqual([100, 100, 200, 200, 300, 300]);
      const b = await cli(['train', 'synq-boundary', '--policy', table, '--steps', '50', '--hidden', '8', '--points', '100', '--backend', 'cpu', '--json', '--name', 'test-cli-synq', '--overwrite']);
      expect(b.code, b.stderr).toBe(0);
      expect(JSON.parse(b.stdout).trainPolicy).toBe(false);
      expect(JSON.parse(b.stdout).table).toEqual(saved.Q === undefined ? undefined : { layout: saved.layout, Q: saved.Q });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync('runs/test-cli-synq', { recursive: true, force: true });
    }
  });

  it('rejects a bad table file with exit 2 and one line naming the problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synq-cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ Q: [[1, 2]] }));
    try {
      const r = await cli(['train', 'synq-boundary', '--policy', bad, '--steps', '5']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/Q has length 1, expected 3/);
      const m = await cli(['train', 'synq-boundary', '--policy', join(dir, 'missing.json')]);
      expect(m.code).toBe(2);
      expect(m.stderr).toMatch(/cannot read table file/);
      expect(existsSync(bad)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hedonist train synq-mnist --checkpoint-every / --resume', () => {
  const common = ['--hidden', '4', '--max-samples', '1000', '--batch', '100', '--batch-interval', '7', '--eval-every', '6', '--policy', 'train', '--replicas', '2', '--seed', '5'];
  it('a run stopped at 12 and resumed to 24 equals a straight run; metrics append; bad resumes exit 2 naming the flag', async () => {
    for (const n of ['test-cli-ckpt', 'test-cli-ckpt-straight']) rmSync(`runs/${n}`, { recursive: true, force: true });
    try {
      const a = await cli(['train', 'synq-mnist', ...common, '--steps', '12', '--checkpoint-every', '6', '--backend', 'cpu', '--name', 'test-cli-ckpt', '--json']);
      expect(a.code, a.stderr).toBe(0);
      expect(JSON.parse(a.stdout).checkpoint).toBe('runs/test-cli-ckpt/checkpoint.bin');
      expect(existsSync('runs/test-cli-ckpt/checkpoint.bin')).toBe(true);
      const b = await cli(['train', 'synq-mnist', '--resume', 'runs/test-cli-ckpt', '--steps', '24', '--backend', 'cpu', '--json']);
      expect(b.code, b.stderr).toBe(0);
      const resumed = JSON.parse(b.stdout);
      expect(resumed.resumedFrom).toBe(12);
      expect(resumed.runDir).toBe('runs/test-cli-ckpt');
      expect(resumed.curve.map((c: { iteration: number }) => c.iteration)).toEqual([6, 12, 18, 24]);
      const lines = readFileSync('runs/test-cli-ckpt/metrics.jsonl', 'utf8').trim().split('\n');
      // The CPU trainer logs every iteration of each replica: 1..12 from the first process, 13..24 appended.
      const its = lines
        .map((l) => JSON.parse(l))
        .filter((m) => m.replica === 0)
        .map((m) => m.iteration);
      expect(its).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
      const straight = await cli(['train', 'synq-mnist', ...common, '--steps', '24', '--backend', 'cpu', '--name', 'test-cli-ckpt-straight', '--json']);
      expect(straight.code, straight.stderr).toBe(0);
      expect(resumed.validAccuracy).toEqual(JSON.parse(straight.stdout).validAccuracy);
      expect(resumed.table).toEqual(JSON.parse(straight.stdout).table);

      const c = await cli(['train', 'synq-mnist', '--resume', 'runs/test-cli-ckpt', '--replicas', '3']);
      expect(c.code).toBe(2);
      expect(c.stderr).toMatch(/--replicas cannot be set with --resume/);
      const d = await cli(['train', 'synq-mnist', '--resume', 'runs/test-cli-ckpt', '--steps', '10']);
      expect(d.code).toBe(2);
      expect(d.stderr).toMatch(/--steps must be >= the checkpoint's 24 steps done, got 10/);
      const e = await cli(['train', 'synq-mnist', '--resume', 'runs/test-cli-ckpt/metrics.jsonl']);
      expect(e.code).toBe(2);
      expect(e.stderr).toMatch(/--resume: runs\/test-cli-ckpt\/metrics.jsonl: not a hedonist checkpoint/);
    } finally {
      for (const n of ['test-cli-ckpt', 'test-cli-ckpt-straight']) rmSync(`runs/${n}`, { recursive: true, force: true });
    }
  });
});

describe('hedonist reproduce bhargava-table1', () => {
  it('runs GD rows on the CPU by default on a software adapter, on WebGPU when asked, with the same accuracy', async () => {
    const base = ['reproduce', 'bhargava-table1', '--experiments', 'gd-0hu', '--replicas', '2', '--gd-steps', '3', '--max-samples', '600', '--json'];
    const a = await cli([...base, '--name', 'test-cli-table1-a']);
    expect(a.code, a.stderr).toBe(0);
    const b = await cli([...base, '--gd-backend', 'webgpu', '--name', 'test-cli-table1-b']);
    expect(b.code, b.stderr).toBe(0);
    const [ra, rb] = [JSON.parse(a.stdout), JSON.parse(b.stdout)];
    expect(ra.gdBackend).toBe('cpu'); // 'auto' on SwiftShader
    expect(rb.gdBackend).toBe('webgpu');
    expect(rb.rows).toHaveLength(1);
    expect(rb.rows[0].experiment).toBe('gd-0hu');
    for (let r = 0; r < 2; r++) expect(rb.rows[0].validAccuracy[r]).toBeCloseTo(ra.rows[0].validAccuracy[r], 3);
    const text = await cli(['reproduce', 'bhargava-table1', '--experiments', 'gd-0hu', '--replicas', '1', '--gd-steps', '1', '--max-samples', '300', '--name', 'test-cli-table1-c']);
    expect(text.stdout).toContain('GD rows on the CPU reference');
    expect(text.stdout).toContain("GD rows start as the authors' GD notebooks do");
    rmSync('runs/test-cli-table1-a', { recursive: true, force: true });
    rmSync('runs/test-cli-table1-b', { recursive: true, force: true });
    rmSync('runs/test-cli-table1-c', { recursive: true, force: true });
  });

  it("runs each GD row for the authors' code's budget by default (5000 steps at 0 HU, 500 at 32 HU) with their init", async () => {
    try {
      const a = await cli(['reproduce', 'bhargava-table1', '--experiments', 'gd-32hu', '--replicas', '1', '--max-samples', '120', '--json', '--name', 'test-cli-table1-d']);
      expect(a.code, a.stderr).toBe(0);
      const row = JSON.parse(a.stdout).rows[0];
      expect(row.iterations).toBe(500);
      const g = await cli(['train', 'gd-mnist', '--hidden', '32', '--max-samples', '120', '--json', '--name', 'test-cli-gd-code']);
      expect(g.code, g.stderr).toBe(0);
      const s = JSON.parse(g.stdout);
      expect([s.iterations, s.init]).toEqual([500, 'code']);
      expect(s.validAccuracy[0]).toBe(row.validAccuracy[0]); // the same run
      const p = await cli(['train', 'gd-mnist', '--hidden', '32', '--init', 'paired', '--steps', '5', '--max-samples', '120', '--json', '--name', 'test-cli-gd-code', '--overwrite']);
      expect(p.code, p.stderr).toBe(0);
      expect(JSON.parse(p.stdout)).toMatchObject({ iterations: 5, init: 'paired' });
      const both = await cli([
        'reproduce',
        'bhargava-table1',
        '--experiments',
        'synrl-0hu,gd-0hu',
        '--replicas',
        '1',
        '--steps',
        '20',
        '--gd-steps',
        '2',
        '--max-samples',
        '300',
        '--backend',
        'cpu',
        '--name',
        'test-cli-table1-d',
        '--overwrite',
      ]);
      expect(both.code, both.stderr).toBe(0);
      expect(both.stdout).toMatch(/SynRL - GD at 0 HU: [+-]\d+\.\d\d points \(paired by replica: [+-]\d+\.\d\d\), (not )?within 2 points; paper \+1\.86/);
      expect(both.stdout).not.toContain('SynRL - GD at 32 HU');
      const bad = await cli(['train', 'gd-mnist', '--init', 'xavier']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--init/);
    } finally {
      for (const n of ['test-cli-table1-d', 'test-cli-gd-code']) rmSync(`runs/${n}`, { recursive: true, force: true });
    }
  });
});
