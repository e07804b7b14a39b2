import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hedonistIn } from './cli.ts';

const tmp = mkdtempSync(join(tmpdir(), 'hedonist-ott-sweep-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `hedonist ARGS` run in the temp directory (its runs/ and sweeps/ land there). */
const hedonist = (args: string[]) => hedonistIn(tmp, args);

const lines = (f: string) =>
  readFileSync(f, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/**
 * The same reproduce command in-process (runs/<name>/) and as a local sweep (DIR): both exit 0, the
 * sweep has `cells` cells. Returns the two directories, in-process first.
 */
async function bothWays(args: string[], name: string, cells: number): Promise<[string, string]> {
  const inproc = await hedonist([...args, '--name', name]);
  expect(inproc.code, inproc.stderr).toBe(0);
  const sweepDir = join(tmp, `${name}-sweep`);
  const swept = await hedonist([...args, '--executor', 'local', '--jobs', '2', '--dir', sweepDir, '--json']);
  expect(swept.code, swept.stderr).toBe(0);
  expect(JSON.parse(swept.stdout).cells).toBe(cells);
  return [join(tmp, 'runs', name), sweepDir];
}

describe('hedonist reproduce ott-table1 --executor local', () => {
  it('writes the same table as the in-process command for the same seeds, from the same episodes', async () => {
    const grid = ['reproduce', 'ott-table1', '--replicas', '2', '--episodes', '25', '--layers', '1,2', '--rewards', 'all,task', '--backend', 'cpu', '--policy', 'logistic', '--seed', '7'];
    const [runDir, sweepDir] = await bothWays(grid, 'ott', 2);
    {
      expect(readFileSync(join(sweepDir, 'table1.md'), 'utf8')).toBe(readFileSync(join(runDir, 'table1.md'), 'utf8'));
      // The cells ran the very episodes of the in-process run (one cell per layer count).
      const ours = lines(join(runDir, 'metrics.jsonl'));
      const manifest = JSON.parse(readFileSync(join(sweepDir, 'sweep.json'), 'utf8')) as { cells: { id: string; axes: { layers: string } }[] };
      expect(manifest.cells.map((c) => c.axes.layers)).toEqual(['1', '2']);
      for (const c of manifest.cells) {
        const cell = lines(join(sweepDir, 'cells', c.id, 'metrics.jsonl'));
        const mine = ours.filter((r) => r.layers === Number(c.axes.layers));
        expect(cell.length).toBe(mine.length);
        expect(cell.length).toBe(2 * 2 * 25);
        const key = (r: Record<string, unknown>) => `${String(r.replica)}|${String(r.episode)}`;
        const byKey = new Map(mine.map((r) => [`${(['all', 'task'].indexOf(r.reward as string)) * 2 + (r.replica as number)}|${String(r.episode)}`, r]));
        for (const r of cell) {
          const m = byKey.get(key(r))!;
          expect(m, key(r)).toBeDefined();
          expect([r.return, r.reward_trace, r.firing_rate_out]).toEqual([m.return, m.reward_trace, m.firing_rate_out]);
        }
      }
      expect(readdirSync(sweepDir)).toEqual(expect.arrayContaining(['table.csv', 'table.md', 'table1.json', 'table1.md', 'sweep.json']));
    }
  }, 240_000);
});

describe('hedonist reproduce chung-table1 --executor local', () => {
  it('writes the same table as the in-process command (all but the wall-time column)', async () => {
    const grid = ['reproduce', 'chung-table1', '--tasks', 'multiplexer,acrobot', '--rules', 'weightmax,weightmax+traces', '--replicas', '2', '--episodes', '3', '--backend', 'cpu'];
    // The paper's n.a. cell (traces on the multiplexer) is left out, as in-process: 3 cells.
    const [runDir, sweepDir] = await bothWays(grid, 'chung', 3);
    const noWall = (f: string) => readFileSync(f, 'utf8').replace(/\| \d+ \|$/gm, '|');
    const ours = noWall(join(runDir, 'table1.md'));
    expect(ours).toContain('| weightmax+traces | acrobot |');
    expect(noWall(join(sweepDir, 'table1.md'))).toBe(ours);
  }, 240_000);
});

describe('hedonist reproduce worm-chemotaxis --executor local', () => {
  it('writes the same comparison as the in-process command: one cell per (wiring, seed), the same episodes and scores', async () => {
    const grid = ['reproduce', 'worm-chemotaxis', '--variants', 'connectome,degree-shuffle', '--seeds', '2', '--seed', '3', '--episodes', '12', '--eval-episodes', '4', '--backend', 'cpu'];
    const [runDir, sweepDir] = await bothWays(grid, 'worm', 4);
    expect(readFileSync(join(sweepDir, 'comparison.md'), 'utf8')).toBe(readFileSync(join(runDir, 'comparison.md'), 'utf8'));
    type Runs = { runs: { variant: string; seed: number; untrained: unknown; trained: unknown }[] };
    const scores = (f: string) => (JSON.parse(readFileSync(f, 'utf8')) as Runs).runs.map(({ variant, seed, untrained, trained }) => ({ variant, seed, untrained, trained }));
    const ours = scores(join(runDir, 'comparison.json'));
    expect(ours.map((r) => `${r.variant}-${r.seed}`)).toEqual(['connectome-3', 'connectome-4', 'degree-shuffle-3', 'degree-shuffle-4']);
    expect(scores(join(sweepDir, 'comparison.json'))).toEqual(ours);
    // The cells ran the in-process run's episodes.
    const mine = lines(join(runDir, 'metrics.jsonl'));
    const manifest = JSON.parse(readFileSync(join(sweepDir, 'sweep.json'), 'utf8')) as { cells: { id: string; axes: { run: string } }[] };
    expect(manifest.cells.map((c) => c.axes.run)).toEqual(['connectome-3', 'connectome-4', 'degree-shuffle-3', 'degree-shuffle-4']);
    for (const c of manifest.cells) {
      const [variant, seed] = [c.axes.run.replace(/-\d+$/, ''), Number(c.axes.run.split('-').at(-1))];
      const cell = lines(join(sweepDir, 'cells', c.id, 'metrics.jsonl')).map((r) => r['charts/episodic_return']);
      expect(cell).toEqual(mine.filter((r) => r.variant === variant && r.seed === seed).map((r) => r['charts/episodic_return']));
      expect(cell).toHaveLength(12);
    }
    // --from takes finished comparisons only.
    const r = await hedonist(['reproduce', 'worm-chemotaxis', '--from', runDir, '--executor', 'local']);
    expect([r.code, r.stderr.trim()]).toEqual([2, 'hedonist: --from combines finished comparisons; it takes no --executor (a sweep collects its own cells: hedonist sweep collect DIR)']);
  }, 240_000);
});

describe("the reproduce commands' sweep flags", () => {
  it.each(['ott-table1', 'chung-scaling', 'bhargava-table1', 'chalk', 'worm-chemotaxis'])(
    'reproduce %s refuses them without --executor, the Slurm ones with --executor local, and the old --workers naming --jobs (one line, exit 2)',
    async (cmd) => {
      const r = await hedonist(['reproduce', cmd, '--jobs', '2']);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe('hedonist: --jobs needs --executor local|slurm');
      const old = await hedonist(['reproduce', cmd, '--executor', 'local', '--workers', '2', '--dir', join(tmp, `refused-${cmd}`)]);
      expect([old.code, old.stderr.trim()]).toEqual([2, 'hedonist: --workers was renamed --jobs']);
      const p = await hedonist(['reproduce', cmd, '--executor', 'local', '--partition', 'gpu', '--dir', join(tmp, `refused-${cmd}`)]);
      expect([p.code, p.stderr.trim()]).toEqual([2, 'hedonist: --partition is for --executor slurm']);
      expect(existsSync(join(tmp, `refused-${cmd}`))).toBe(false);
    },
  );
});

/** A result's rows without their wall-time fields (each cell times its own run). */
const untimed = (f: string) => (JSON.parse(readFileSync(f, 'utf8')) as { rows: Record<string, unknown>[] }).rows.map(({ wallSeconds: _w, msPerEpisode: _m, ...r }) => r);

describe('hedonist reproduce chung-scaling --executor local', () => {
  it('writes the same scaling.csv / scaling.json as the in-process command (all but the wall-time columns), the sparse network included', async () => {
    const grid = [
      'reproduce',
      'chung-scaling',
      '--M',
      '0.25',
      '--rules',
      'weightmax,reinforce',
      '--episodes',
      '20',
      '--replicas',
      '2',
      '--sparse-units',
      '64',
      '--sparse-episodes',
      '3',
      '--backend',
      'cpu',
    ];
    const [runDir, sweepDir] = await bothWays(grid, 'scaling', 4);
    // wallSeconds and msPerEpisode are columns 11 and 12 of 13.
    const noWall = (f: string) =>
      readFileSync(f, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(',').filter((_, i) => i !== 10 && i !== 11));
    const ours = noWall(join(runDir, 'scaling.csv'));
    expect(ours.map((r) => `${r[0]}/${r[1]}`)).toEqual(['M/rule', '0.25/weightmax', '0.25/reinforce', '0/weightmax', '0/reinforce']);
    expect(noWall(join(sweepDir, 'scaling.csv'))).toEqual(ours);
    expect(untimed(join(sweepDir, 'scaling.json'))).toEqual(untimed(join(runDir, 'scaling.json')));
  }, 240_000);
});

describe('hedonist reproduce bhargava-table1 --executor local', () => {
  it('writes the same table1.md as the in-process command (all but the wall-time column), from the same accuracies', async () => {
    const grid = ['reproduce', 'bhargava-table1', '--experiments', 'synrl-0hu,gd-0hu', '--replicas', '2', '--steps', '30', '--gd-steps', '3', '--max-samples', '300', '--backend', 'cpu'];
    const [runDir, sweepDir] = await bothWays(grid, 'bhargava', 2);
    // The wall-time column is the 9th of 14.
    const noWall = (f: string) => readFileSync(f, 'utf8').replace(/^((?:\| [^|]+ ){8})\| [\d.]+ /gm, '$1| - ');
    const ours = noWall(join(runDir, 'table1.md'));
    expect(ours).toMatch(/^\| gd-0hu \| 7850 \| 3 \|( [\d.]+ \|){4} 0\/2 \| - \|/m);
    expect(ours).toContain('SynRL - GD at 0 HU');
    expect(noWall(join(sweepDir, 'table1.md'))).toBe(ours);
    expect(untimed(join(sweepDir, 'table1.json'))).toEqual(untimed(join(runDir, 'table1.json')));
  }, 240_000);
});

describe('hedonist reproduce chalk --executor local', () => {
  it("writes the in-process command's recovery.tsv, and its summary as recovery.json (all but timeMs)", async () => {
    const args = ['reproduce', 'chalk', '--quick', '--seed', '3', '--lambda', '0.6'];
    const [runDir, sweepDir] = await bothWays(args, 'chalk', 1);
    const tsv = readFileSync(join(runDir, 'recovery.tsv'), 'utf8');
    expect(
      tsv
        .split('\n')
        .slice(1, 4)
        .map((l) => l.split('\t')[0]),
    ).toEqual(['1000', '10000', '100000']);
    expect(readFileSync(join(sweepDir, 'recovery.tsv'), 'utf8')).toBe(tsv);
    const untimedSummary = (f: string) => {
      const { timeMs: _t, runDir: _d, ...s } = JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
      return s;
    };
    const ours = untimedSummary(join(runDir, 'summary.json'));
    expect(ours).toMatchObject({ lambda: 0.6, targetsReached: true });
    expect(untimedSummary(join(sweepDir, 'recovery.json'))).toEqual(ours);
  }, 240_000);
});
