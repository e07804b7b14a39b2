import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { meanStd, permutationTest, welch } from '../../src/analysis/two-sample.ts';
import { scoreReturns, type WormRun, wormComparisonOf } from '../../src/connectome/worm-comparison.ts';
import { CHEMOTAXIS_V0, startConcentration, successConcentration } from '../../src/envs/chemotaxis.ts';
import { BIN } from '../cli/run-cli.ts';

const run = promisify(execFile);

describe('two-sample statistics', () => {
  it("Welch's t and df, and the exact permutation p, on hand-checked samples", () => {
    const w = welch([1, 2, 3], [4, 5, 6]);
    expect(w.t).toBeCloseTo(-3 / Math.sqrt(2 / 3), 10);
    expect(w.df).toBeCloseTo(4, 10);
    // 20 splits of 6 values into 3 + 3; only the observed split and its mirror are as extreme.
    expect(permutationTest([1, 2, 3], [4, 5, 6])).toEqual({ p: 0.1, exact: true, splits: 20 });
    expect(permutationTest([1, 5, 3], [2, 4, 3]).p).toBe(1); // equal means: every split is as extreme
    expect(meanStd([1, 2, 3]).std).toBe(1);
    // Past the exact limit: seeded random relabellings, close to the exact answer.
    const a = [3.1, 2.2, 4.5, 3.9, 2.8, 3.3],
      b = [1.2, 2.4, 0.9, 1.8, 2.1, 1.5];
    const exact = permutationTest(a, b);
    const mc = permutationTest(a, b, { exactLimit: 10, draws: 20000, seed: 1 });
    expect(exact.exact).toBe(true);
    expect(mc.exact).toBe(false);
    expect(Math.abs(mc.p - exact.p)).toBeLessThan(0.01);
  });
});

describe('worm comparison scoring', () => {
  it('pools finished runs into rows and tests (wormComparisonOf): per-wiring mean and std over seeds, connectome vs each other wiring', () => {
    const r = (variant: WormRun['variant'], seed: number, c: number, s: number): WormRun => ({
      variant,
      seed,
      untrained: { concentration: 0.3, success: 0 },
      trained: { concentration: c, success: s },
      wallSeconds: 2,
    });
    const runs = [r('connectome', 0, 1, 0.1), r('connectome', 1, 2, 0.2), r('connectome', 2, 3, 0.3), r('random', 0, 4, 0.4), r('random', 1, 5, 0.5), r('random', 2, 6, 0.6)];
    const c = wormComparisonOf(runs, ['connectome', 'random'], 100, 10);
    expect(c.rows.map((x) => [x.variant, x.seeds, x.trainedConcentration.mean, x.trainedConcentration.std])).toEqual([
      ['connectome', 3, 2, 1],
      ['random', 3, 5, 1],
    ]);
    const t = c.tests.find((x) => x.metric === 'trained concentration')!;
    expect([t.b, t.meanDiff, t.p, t.exact]).toEqual(['random', -3, 0.1, true]);
    expect(t.welchT).toBeCloseTo(-3 / Math.sqrt(2 / 3), 10);
    expect(c.wallSeconds).toBe(12);
    expect(wormComparisonOf(runs.slice(0, 1).concat(runs.slice(3, 4)), ['connectome', 'random'], 100, 10).tests).toEqual([]);
  });

  it('maps returns to end concentrations and counts the episodes within the success radius', () => {
    const g = CHEMOTAXIS_V0.rewardGain,
      c0 = startConcentration(),
      cs = successConcentration();
    const returns = [g * (0.1 - c0), g * (cs + 0.01 - c0), g * (0.99 - c0), g * (0.5 - c0)];
    const first = scoreReturns(returns, 2, 'first'),
      last = scoreReturns(returns, 2, 'last');
    expect(first.success).toBe(0.5);
    expect(first.concentration).toBeCloseTo((0.1 + cs + 0.01) / 2, 6);
    expect(last.success).toBe(0.5);
    expect(last.concentration).toBeCloseTo((0.99 + 0.5) / 2, 6);
  });
});

describe('hedonist reproduce worm-chemotaxis (CLI, a tiny budget)', () => {
  it('trains each wiring per seed, writes the table and the tests; bad flags exit 2 with one line', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'worm-'));
    try {
      const r = await run('node', [BIN, 'reproduce', 'worm-chemotaxis', '--seeds', '2', '--episodes', '3', '--eval-episodes', '2', '--variants', 'connectome,random', '--name', 'w', '--json'], {
        cwd,
        timeout: 600_000,
        maxBuffer: 1 << 26,
      });
      const out = JSON.parse(r.stdout);
      expect(out.runs.map((x: { variant: string; seed: number }) => `${x.variant}/${x.seed}`)).toEqual(['connectome/0', 'connectome/1', 'random/0', 'random/1']);
      expect(out.rows.map((x: { variant: string; seeds: number }) => [x.variant, x.seeds])).toEqual([
        ['connectome', 2],
        ['random', 2],
      ]);
      expect(out.tests.map((t: { b: string; metric: string; exact: boolean }) => [t.b, t.metric, t.exact])).toEqual([
        ['random', 'trained concentration', true],
        ['random', 'trained success', true],
      ]);
      for (const x of out.runs) expect(x.trained.concentration).toBeGreaterThanOrEqual(0);
      expect(readFileSync(join(cwd, 'runs/w/comparison.md'), 'utf8')).toMatch(/\| connectome \| 2 \|/);
      expect(readFileSync(join(cwd, 'runs/w/metrics.jsonl'), 'utf8').trim().split('\n').length).toBe(12);
      // The same name again is refused without --overwrite.
      const again = await run('node', [BIN, 'reproduce', 'worm-chemotaxis', '--seeds', '1', '--episodes', '1', '--eval-episodes', '1', '--name', 'w'], { cwd }).catch((e) => e);
      expect(again.code).toBe(2);
      const bad = await run('node', [BIN, 'reproduce', 'worm-chemotaxis', '--episodes', '3', '--eval-episodes', '5'], { cwd }).catch((e) => e);
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toMatch(/--eval-episodes must be at most the episodes per run \(3\)/);
      expect(existsSync(join(cwd, 'runs/w/summary.json'))).toBe(true);

      // Seeds 0 and 1 run as two processes, combined with --from: the same runs, rows and tests as one run of both.
      const tiny = ['--seeds', '1', '--episodes', '3', '--eval-episodes', '2', '--variants', 'connectome,random'];
      await run('node', [BIN, 'reproduce', 'worm-chemotaxis', ...tiny, '--seed', '0', '--name', 'a'], { cwd, timeout: 600_000 });
      await run('node', [BIN, 'reproduce', 'worm-chemotaxis', ...tiny, '--seed', '1', '--name', 'b'], { cwd, timeout: 600_000 });
      const both = JSON.parse((await run('node', [BIN, 'reproduce', 'worm-chemotaxis', '--from', 'runs/b', '--from', 'runs/a', '--name', 'ab', '--json'], { cwd })).stdout);
      const strip = (runs: { wallSeconds: number }[]) => runs.map(({ wallSeconds: _w, ...r }) => r);
      expect(strip(both.runs)).toEqual(strip(out.runs));
      expect(both.rows).toEqual(out.rows);
      expect(both.tests).toEqual(out.tests);
      expect(readFileSync(join(cwd, 'runs/ab/comparison.md'), 'utf8')).toMatch(/\| connectome \| 2 \|/);
      // A run given twice, a directory without a comparison: one line, exit 2.
      const twice = await run('node', [BIN, 'reproduce', 'worm-chemotaxis', '--from', 'runs/a', '--from', 'runs/a', '--name', 'aa'], { cwd }).catch((e) => e);
      expect(twice.code).toBe(2);
      expect(twice.stderr.trim()).toMatch(/^.*--from: connectome seed 0 is in more than one comparison$/);
      const none = await run('node', [BIN, 'reproduce', 'worm-chemotaxis', '--from', 'nowhere', '--name', 'n'], { cwd }).catch((e) => e);
      expect(none.code).toBe(2);
      expect(none.stderr.trim().split('\n')).toHaveLength(1);
      expect(none.stderr).toMatch(/--from: cannot read 'nowhere\/comparison.json'/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 600_000);
});
