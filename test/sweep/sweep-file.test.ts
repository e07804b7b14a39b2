import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/experiment/load.ts';
import { parseSweep, resolveSweep, resolveSweepFile } from '../../src/sweep/cells.ts';
import { collectSweep, stat, tableCsv } from '../../src/sweep/collect.ts';
import { SweepDir } from '../../src/sweep/dir.ts';
import { sweepDocs, sweepJsonSchema } from '../../src/sweep/docs.ts';
import { REPORT_NAMES } from '../../src/sweep/schema.ts';
import { arrayRanges, batchScript } from '../../src/sweep/slurm.ts';
import { BIN } from '../cli/run-cli.ts';
import { hedonistIn } from './cli.ts';
import { expectPicture } from '../plot/png-check.ts';

const REPO = new URL('../..', import.meta.url).pathname;
const PRESET = join(REPO, 'experiments/sweeps/cartpole-lr-width.json');
const tmp = mkdtempSync(join(tmpdir(), 'hedonist-sweep-'));

/** A sweep file <name>.json in the temp folder over the cartpole-reinforce preset, with `fields` (set, axes, seeds, ...); its path. */
function cartpoleSweepFile(name: string, fields: Record<string, unknown>): string {
  const f = join(tmp, `${name}.json`);
  writeFileSync(f, JSON.stringify({ name, base: join(REPO, 'experiments/cartpole-reinforce.json'), ...fields }));
  return f;
}
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const hedonist = (args: string[]) => hedonistIn(tmp, args);

describe('the sweep file', () => {
  it('expands the preset into axes x seeds cells, each the base with its overrides applied by the experiment loader', async () => {
    const r = resolveSweepFile(PRESET);
    expect(r.axisNames).toEqual(['lr', 'hidden']);
    expect(r.cells).toHaveLength(3 * 2 * 3);
    const base = JSON.parse(readFileSync(join(REPO, 'experiments/cartpole-reinforce.json'), 'utf8'));
    for (const c of r.cells) expect(c.experiment).toEqual(parseExperiment(base, c.sets));
    const c5 = r.cells[5]!;
    expect(c5.axes).toEqual({ lr: '0.01', hidden: '[32]' });
    expect(c5.seed).toBe(2);
    expect([c5.experiment.rule.name === 'reinforce' && c5.experiment.rule.lr, c5.experiment.population.hidden, c5.experiment.run.seed, c5.experiment.run.episodes]).toEqual([0.01, [32], 2, 600]);
    expect(new Set(r.cells.map((c) => c.id)).size).toBe(r.cells.length);
  });

  it('every preset in experiments/sweeps/ resolves to valid cells', async () => {
    const dir = join(REPO, 'experiments/sweeps');
    const presets = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'sweep.schema.json');
    expect(presets.length).toBeGreaterThan(0);
    for (const f of presets) {
      expect(resolveSweepFile(join(dir, f)).cells.length, f).toBeGreaterThan(1);
      expect(JSON.parse(readFileSync(join(dir, f), 'utf8')).$schema, f).toBe('./sweep.schema.json');
    }
  });

  it('experiments/sweeps/sweep.schema.json and docs/sweep-file.md are generated from the schema (run `hedonist schema --sweep [--json]`)', async () => {
    const schema = sweepJsonSchema() as { properties: Record<string, { properties?: Record<string, { enum?: string[] }> }> };
    expect(JSON.parse(readFileSync(join(REPO, 'experiments/sweeps/sweep.schema.json'), 'utf8'))).toEqual(schema);
    expect(readFileSync(join(REPO, 'docs/sweep-file.md'), 'utf8')).toBe(sweepDocs());
    // The editor's schema names every paper table collect can write.
    expect(schema.properties.collect!.properties!.report!.enum).toEqual([...REPORT_NAMES]);
    const cli = await hedonist(['schema', '--sweep', '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(schema);
  });

  it('gives a cell the same id in any sweep that has the same overrides', async () => {
    const a = resolveSweep(parseSweep({ name: 'a', base: { rule: { name: 'reinforce' } }, axes: [{ path: 'rule.lr', values: [0.1, 0.2] }], seeds: [0, 1] }), tmp);
    const b = resolveSweep(parseSweep({ name: 'b', base: { rule: { name: 'reinforce' } }, axes: [{ path: 'rule.lr', values: [0.3, 0.2] }], seeds: [1] }), tmp);
    expect(b.cells[1]!.id).toBe(a.cells[3]!.id);
    expect(b.cells[0]!.id).not.toBe(a.cells[0]!.id);
  });

  it('takes axes whose values set several paths at once', async () => {
    const r = resolveSweep(
      parseSweep({
        name: 'd',
        base: { rule: { name: 'reinforce' } },
        axes: [
          {
            name: 'depth',
            values: [
              { label: 'one', set: { 'population.hidden': [4] } },
              { label: 'two', set: { 'population.hidden': [4, 4], 'run.seed': 9 } },
            ],
          },
        ],
      }),
      tmp,
    );
    expect(r.cells.map((c) => [c.axes.depth, c.experiment.population.hidden, c.experiment.run.seed])).toEqual([
      ['one', [4], 0],
      ['two', [4, 4], 9],
    ]);
  });

  it('names the cell and the field when a resolved cell is not a valid experiment', async () => {
    const s = parseSweep({ name: 'bad', base: { rule: { name: 'reinforce' } }, axes: [{ name: 'lr', path: 'rule.lr', values: [0.1, -1] }] });
    expect(() => resolveSweep(s, tmp)).toThrow(/^sweep cell lr=-1: rule\.lr must be/);
    expect(() => parseSweep({ name: 'x', base: {}, axes: [{ path: 'rule.lr', values: [] }] })).toThrow(/^sweep: axes\.0\.values/);
    expect(() => parseSweep({ name: 'x', base: {}, seeds: [0], colour: 1 })).toThrow("sweep: unknown field 'colour'");
  });

  it('refuses a bad sweep file on the command line with one line and exit 2', async () => {
    const f = join(tmp, 'bad.json');
    writeFileSync(f, JSON.stringify({ name: 'bad', base: { rule: { name: 'reinforce' } }, axes: [{ path: 'run.replicas', values: [2, 0] }] }));
    const r = await hedonist(['sweep', f]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^hedonist: sweep cell run\.replicas=0: run\.replicas must be/);
    const w = await hedonist(['sweep', PRESET, '--executor', 'local', '--partition', 'gpu']);
    expect([w.code, w.stderr.trim()]).toEqual([2, 'hedonist: --partition is for --executor slurm']);
  });

  it("--jobs N is the local executor's cells at once: the old --workers is refused naming --jobs, and --jobs beside --executor slurm (one line, exit 2, no directory)", async () => {
    const dir = join(tmp, 'refused-jobs');
    const old = await hedonist(['sweep', PRESET, '--workers', '2', '--dir', dir]);
    expect([old.code, old.stderr]).toEqual([2, 'hedonist: --workers was renamed --jobs\n']);
    const slurm = await hedonist(['sweep', PRESET, '--executor', 'slurm', '--jobs', '2', '--dir', dir]);
    expect([slurm.code, slurm.stderr.trim()]).toEqual([2, 'hedonist: --jobs is for --executor local (Slurm decides how many tasks run at once; see --max-running)']);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a directory that holds another sweep unless --overwrite', async () => {
    const dir = join(tmp, 'd1');
    const one = resolveSweep(parseSweep({ name: 's', base: { rule: { name: 'reinforce' } }, seeds: [0, 1] }), tmp);
    const two = resolveSweep(parseSweep({ name: 's', base: { rule: { name: 'reinforce' }, run: { episodes: 7 } }, seeds: [0, 1] }), tmp);
    SweepDir.create(dir, one);
    expect(() => SweepDir.create(dir, one)).not.toThrow();
    expect(() => SweepDir.create(dir, two)).toThrow(/holds another sweep/);
    expect(SweepDir.create(dir, two, true).cells).toHaveLength(2);
  });
});

describe('the slurm batch script', () => {
  it('compresses array indices and writes the sbatch options', async () => {
    expect(arrayRanges([7, 0, 1, 2, 5, 8])).toBe('0-2,5,7-8');
    const dir = SweepDir.create(join(tmp, 'd2'), resolveSweepFile(PRESET));
    const s = batchScript(dir, { partition: 'gpu', time: '01:00:00', cpusPerTask: 4, mem: '8G', gpusPerTask: 1, setup: ['module load nodejs/20'], node: 'node', args: ['--account=lab'] });
    for (const l of ['#SBATCH --partition=gpu', '#SBATCH --time=01:00:00', '#SBATCH --cpus-per-task=4', '#SBATCH --mem=8G', '#SBATCH --gres=gpu:1', '#SBATCH --account=lab', 'module load nodejs/20'])
      expect(s).toContain(l);
    expect(s).toMatch(/exec node '.*bin\/hedonist\.mjs' sweep run-cell '.*d2' --cell "\$SLURM_ARRAY_TASK_ID"/);
  });

  it("--gpus-per-task N (or the sweep file's slurm.gpusPerTask) reaches the submitted script as --gres=gpu:N, for sweeps and reproduce commands", async () => {
    // An sbatch in front of PATH that keeps the script it is handed and answers a job id: what reaches Slurm, without a GPU node.
    const bin = join(tmp, 'fake-sbatch');
    mkdirSync(bin);
    writeFileSync(join(bin, 'sbatch'), `#!/bin/sh\nfor a; do last="$a"; done\necho "$@" >> "${bin}/args"\ncp "$last" "${bin}/script-$(wc -l < "${bin}/args")"\necho 4242\n`, { mode: 0o755 });
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    const f = cartpoleSweepFile('gpu', { axes: [{ path: 'rule.lr', values: [0.01, 0.1] }], slurm: { gpusPerTask: 1 } });
    const gres = (n: number) => readFileSync(join(bin, `script-${n}`), 'utf8').match(/^#SBATCH --gres=.*$/gm);
    const runs: [string[], string[] | null][] = [
      [['sweep', f, '--executor', 'slurm', '--dir', join(tmp, 'gpu-file')], ['#SBATCH --gres=gpu:1']],
      [['sweep', f, '--executor', 'slurm', '--dir', join(tmp, 'gpu-flag'), '--gpus-per-task', '2'], ['#SBATCH --gres=gpu:2']],
      [['sweep', f, '--executor', 'slurm', '--dir', join(tmp, 'gpu-none'), '--gpus-per-task', '0'], null],
      [
        ['reproduce', 'chung-scaling', '--M', '0.25', '--rules', 'weightmax', '--episodes', '2', '--executor', 'slurm', '--gpus-per-task', '1', '--dir', join(tmp, 'gpu-rep')],
        ['#SBATCH --gres=gpu:1'],
      ],
    ];
    for (const [i, [args, want]] of runs.entries()) {
      const r = await hedonistIn(tmp, args, env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('job 4242');
      expect(gres(i + 1), args.join(' ')).toEqual(want);
    }
    expect(
      readFileSync(join(bin, 'args'), 'utf8')
        .split('\n')
        .slice(0, 4)
        .map((l) => l.split(' ')[1]),
    ).toEqual(['--array=0-1', '--array=0-1', '--array=0-1', '--array=0']);
    expect(readFileSync(join(tmp, 'gpu-rep/slurm/sweep.sbatch'), 'utf8')).toBe(readFileSync(join(bin, 'script-4'), 'utf8'));
  });
});

describe('hedonist sweep --executor local and collect', () => {
  it('runs the cells once, summarises them over seeds, and runs nothing the second time', async () => {
    const f = cartpoleSweepFile('two', {
      set: { 'run.episodes': 40, 'run.replicas': 2, 'run.backend': 'cpu' },
      axes: [{ name: 'lr', path: 'rule.lr', values: [0.01, 0.1] }],
      seeds: [0, 1],
    });
    const dirPath = join(tmp, 'two');
    const r = await hedonist(['sweep', f, '--dir', dirPath, '--jobs', '2', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ran).toEqual([0, 1, 2, 3]);
    const dir = SweepDir.open(dirPath);
    const t = collectSweep(dir);
    expect(t.metrics).toContain('last100MeanOverReplicas');
    expect(t.metrics).toContain('final charts/episodic_return');
    expect(t.metrics.some((m) => /seconds/i.test(m))).toBe(false);
    const per = dir.cells.map((c) => dir.summary(c)!.last100MeanOverReplicas as number);
    expect(t.rows.map((row) => row.stats.last100MeanOverReplicas)).toEqual([stat(per.slice(0, 2)), stat(per.slice(2, 4))]);
    expect(t.curves).toHaveLength(2);
    expect(t.curves[0]!.x).toHaveLength(40);
    expect(readFileSync(join(dirPath, 'table.csv'), 'utf8')).toBe(tableCsv(t));
    // Plots: the learning curves (a series per lr) and the final metric per lr, as PNG and SVG.
    for (const p of ['curves', 'final-lr']) expectPicture(join(dirPath, 'plots', `${p}.png`));
    const curves = readFileSync(join(dirPath, 'plots', 'curves.svg'), 'utf8');
    for (const label of ['lr=0.01', 'lr=0.1', 'charts/episodic_return', 'episode']) expect(curves).toContain(label);
    expect(readFileSync(join(dirPath, 'plots', 'final-lr.svg'), 'utf8')).toContain('final charts/episodic_return per lr');
    // report.html: the table and both plots inline, nothing fetched from elsewhere.
    const report = readFileSync(join(dirPath, 'report.html'), 'utf8');
    expect(JSON.parse(r.stdout).report).toContain(join(dirPath, 'report.html'));
    for (const text of ['<h1>two</h1>', '<th>lr</th>', '<td>0.01</td>', '<td>2/2</td>', 'final charts/episodic_return per lr', 'lr=0.1']) expect(report).toContain(text);
    expect(report.match(/<svg/g)).toHaveLength(2);
    expect(report).not.toMatch(/<(script|link|img)\b/);
    const again = await hedonist(['sweep', f, '--dir', dirPath, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ ran: [], alreadyDone: 4 });
  }, 120_000);
});

describe('hedonist sweep --executor local, interrupted', () => {
  it('stops on SIGINT with the running cell checkpointed (exit 130); the next run resumes it and runs the rest', async () => {
    const f = cartpoleSweepFile('cut', { set: { 'run.episodes': 1000, 'run.replicas': 2, 'run.backend': 'cpu', 'rule.lr': 0.1 }, seeds: [0, 1], checkpointEvery: 5000 });
    const dirPath = join(tmp, 'cut');
    const p = spawn('node', [BIN, 'sweep', f, '--dir', dirPath, '--jobs', '1', '--json'], { cwd: tmp });
    let stdout = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((done) => p.on('close', (code) => done(code)));
    const cell0 = resolveSweepFile(f).cells[0]!;
    const ckpt = join(dirPath, 'cells', cell0.id, 'checkpoint.bin');
    for (let i = 0; i < 1200 && !existsSync(ckpt); i++) await new Promise((r) => setTimeout(r, 100));
    p.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(JSON.parse(stdout)).toMatchObject({ ran: [0], signal: 'SIGINT' });
    const dir = SweepDir.open(dirPath);
    expect(dir.cells.map((c) => dir.state(c))).toEqual(['cut', 'new']);
    const again = await hedonist(['sweep', f, '--dir', dirPath, '--jobs', '1', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ran: [0, 1], alreadyDone: 0 });
    expect(readFileSync(join(dirPath, 'logs', `0-${cell0.id}.log`), 'utf8')).toMatch(/resuming at step [1-9]\d*[\s\S]*cell 0 \(\w+\) resumed, done/);
    expect(dir.cells.map((c) => dir.state(c))).toEqual(['done', 'done']);
  }, 180_000);
});

describe('hedonist sweep run-cell', () => {
  it("refuses a cell another live process on this host is running, takes over a dead one's lock, and skips a done cell", async () => {
    const base = JSON.parse(readFileSync(join(REPO, 'experiments/cartpole-reinforce.json'), 'utf8'));
    const r = resolveSweep(parseSweep({ name: 'lock', base, set: { 'run.episodes': 5, 'run.replicas': 1, 'run.backend': 'cpu' }, seeds: [3] }), tmp);
    const dir = SweepDir.create(join(tmp, 'lock'), r);
    const lock = join(dir.cellPath(dir.cells[0]!), 'running.json');
    writeFileSync(lock, JSON.stringify({ host: hostname(), pid: process.pid }));
    const refused = await hedonist(['sweep', 'run-cell', dir.path, '--cell', '0']);
    expect([refused.code, refused.stderr.trim()]).toEqual([2, `hedonist: cell 0 is running in process ${process.pid} on this host (${lock})`]);
    const gone = spawnSync('true');
    writeFileSync(lock, JSON.stringify({ host: hostname(), pid: gone.pid }));
    const ran = await hedonist(['sweep', 'run-cell', dir.path, '--cell', '0', '--json']);
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ action: 'started', was: 'new' });
    expect(existsSync(lock)).toBe(false);
    const again = await hedonist(['sweep', 'run-cell', dir.path, '--cell', '0', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ action: 'skipped', was: 'done' });
    const bad = await hedonist(['sweep', 'run-cell', dir.path, '--cell', '1']);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, 'hedonist: --cell must be an integer in [0, 0], got 1']);
  }, 60_000);
});
