import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Flags, Parsed } from '../args.ts';
import { UsageError } from '../args.ts';
import { jobsFlag, jsonFlag } from '../flags.ts';
import type { CliCommand, CliIO } from '../command.ts';
import { makeProgress } from '../progress.ts';
import { parseSweep, resolveSweep, resolveSweepFile, type ResolvedSweep } from '../../sweep/cells.ts';
import { collectSweep, writeTables, type Collected } from '../../sweep/collect.ts';
import { SweepDir } from '../../sweep/dir.ts';
import { runLocal } from '../../sweep/local.ts';
import { runCell, type CellRun } from '../../sweep/run-cell.ts';
import type { SlurmOptions, SweepInput } from '../../sweep/schema.ts';
import { accountedCells, queuedCells, readJobs, submitArray, waitForQueue } from '../../sweep/slurm.ts';
import { writeReport } from '../../sweep/reports.ts';
import { writeSweepPlots, writeSweepReport } from '../../sweep/plots.ts';

/** The executor flags (`hedonist sweep` and the reproduce commands that run as sweeps). */
export const SWEEP_FLAGS: Flags = {
  executor: { type: 'choice', choices: ['local', 'slurm'], default: 'local', help: 'local: worker processes on this machine; slurm: one sbatch --array job (needs sbatch/squeue)' },
  jobs: jobsFlag(),
  dir: { type: 'string', help: 'the sweep directory (default sweeps/<sweep name>); re-running with it runs only the unfinished cells' },
  overwrite: { type: 'bool', help: 'replace a sweep directory that holds another sweep (refused otherwise)' },
  partition: { type: 'string', help: 'slurm: sbatch --partition' },
  time: { type: 'string', help: "slurm: each task's time limit, sbatch --time (e.g. 01:00:00); a cell cut by it resumes from its checkpoint on the next submit" },
  'cpus-per-task': { type: 'int', min: 1, max: 4096, help: 'slurm: sbatch --cpus-per-task' },
  mem: { type: 'string', help: 'slurm: sbatch --mem (e.g. 4G)' },
  'gpus-per-task': { type: 'int', min: 0, max: 64, help: 'slurm: GPUs per array task (--gres=gpu:N)' },
  'max-running': { type: 'int', min: 1, max: 100000, help: 'slurm: at most N array tasks at once (--array=...%N)' },
  setup: { type: 'repeat', help: "slurm: a shell line run before each cell, e.g. --setup 'module load nodejs/20'" },
  node: { type: 'string', help: 'slurm: the node binary on the compute nodes (default: this one, by absolute path)' },
  'sbatch-arg': { type: 'repeat', help: 'slurm: one more sbatch flag, e.g. --sbatch-arg=--account=lab' },
  wait: { type: 'bool', help: 'slurm: wait until the array leaves the queue, then collect' },
};

/** The executor flags of a reproduce command: without --executor it runs in-process as before. */
export const REPRODUCE_SWEEP_FLAGS: Flags = {
  ...SWEEP_FLAGS,
  executor: {
    type: 'choice',
    choices: ['local', 'slurm'],
    help: "run the grid as a sweep in worker processes or as a Slurm job array; the paper's table goes to DIR (default: in this process, into runs/<name>/)",
  },
  overwrite: { type: 'bool', help: 'replace an existing run of the same name, or with --executor a sweep directory that holds another sweep (refused otherwise)' },
  'checkpoint-every': { type: 'int', min: 1, max: 2 ** 31, help: 'with --executor: each cell checkpoints every N env steps' },
};

/** REPRODUCE_SWEEP_FLAGS that mean something in-process too. */
const IN_PROCESS_TOO = new Set(['overwrite']);

/**
 * A reproduce command run as a sweep (--executor given): runs it, and returns the paper's result
 * (DIR/<stem>.json, written by the sweep's collect.report: what the in-process command returns)
 * once every cell is done.
 */
export async function reproduceAsSweep<T>(sweep: SweepInput, f: Parsed, io: CliIO, stem = 'table1'): Promise<SweepRunResult & { result?: T }> {
  const withCkpt = f['checkpoint-every'] ? { ...sweep, checkpointEvery: f['checkpoint-every'] as number } : sweep;
  const r = await runSweep(resolveSweep(parseSweep(withCkpt), process.cwd()), { ...f, dir: f.dir ?? `sweeps/${(f.name as string | undefined) ?? sweep.name}` }, io);
  const file = join(r.dir, `${stem}.json`);
  return r.report?.includes(file) ? { ...r, result: JSON.parse(readFileSync(file, 'utf8')) as T } : r;
}

/** Without --executor, a reproduce command refuses the sweep flags (one line, exit 2). */
export function refuseSweepFlags(f: Parsed): void {
  for (const k of Object.keys(REPRODUCE_SWEEP_FLAGS)) if (f[k] !== undefined && !IN_PROCESS_TOO.has(k)) throw new UsageError(`--${k} needs --executor local|slurm`);
}

/** What a reproduce command run as a sweep prints: its table once every cell is done, else where it stands. */
export function formatReproduceSweep(title: string, s: SweepRunResult, table?: string, file = 'table1.md'): string {
  if (!table) return `${s.dir}: ${s.jobId ? `job ${s.jobId} runs cells ${s.ran.join(',')}` : `${s.ran.length} cell(s) ran`}; once every cell is done, hedonist sweep collect ${s.dir} writes ${file}`;
  return [`${title} as a sweep (${s.executor}), ${s.cells} cell(s)`, table, `table: ${s.dir}/${file}; per cell: ${s.dir}/table.md`].join('\n');
}

/**
 * A reproduce command's `format`: for a run that went through a sweep (--executor),
 * formatReproduceSweep with `table` of the collected result once there is one; for a run made in
 * this process, `local(r)`.
 */
export function reproduceFormat<R>(title: string, table: (result: R) => string, local: (r: Record<string, unknown>) => string, file?: string): (r: Record<string, unknown>) => string {
  return (r) => {
    if (!(r as { executor?: string }).executor) return local(r);
    const w = r as unknown as SweepRunResult & { result?: R };
    return formatReproduceSweep(title, w, w.result && table(w.result), file);
  };
}

function slurmOptions(f: Parsed, fromFile: SlurmOptions): SlurmOptions {
  const pick = <T>(v: unknown, d: T | undefined) => (v === undefined ? d : (v as T));
  return {
    partition: pick(f.partition, fromFile.partition),
    time: pick(f.time, fromFile.time),
    cpusPerTask: pick(f['cpus-per-task'], fromFile.cpusPerTask),
    mem: pick(f.mem, fromFile.mem),
    gpusPerTask: pick(f['gpus-per-task'], fromFile.gpusPerTask),
    maxRunning: pick(f['max-running'], fromFile.maxRunning),
    setup: [...(fromFile.setup ?? []), ...((f.setup as string[] | undefined) ?? [])],
    node: pick(f.node, fromFile.node),
    args: [...(fromFile.args ?? []), ...((f['sbatch-arg'] as string[] | undefined) ?? [])],
  };
}

export interface SweepRunResult {
  dir: string;
  executor: 'local' | 'slurm';
  cells: number;
  /** Cells done before this call (never run again). */
  alreadyDone: number;
  /** Cells this call ran (local) or submitted (slurm). */
  ran: number[];
  /** Cells still queued from an earlier submission (not submitted again). */
  queued: number[];
  failed: Record<number, number | string>;
  jobId?: string;
  /** The signal that stopped a local sweep. */
  signal?: string;
  table?: Collected;
  tables?: { csv: string; md: string };
  plots?: string[];
  report?: string[];
  exitCode?: number;
}

/** The executor's flags only: the Slurm ones need --executor slurm, --jobs the local one (one line, exit 2). */
function checkExecutorFlags(f: Parsed): void {
  if (f.executor !== 'slurm')
    for (const k of ['partition', 'time', 'cpus-per-task', 'mem', 'gpus-per-task', 'max-running', 'setup', 'node', 'sbatch-arg', 'wait'])
      if (f[k] !== undefined) throw new UsageError(`--${k} is for --executor slurm`);
  if (f.executor === 'slurm' && f.jobs !== undefined) throw new UsageError('--jobs is for --executor local (Slurm decides how many tasks run at once; see --max-running)');
}

/**
 * Run a resolved sweep in DIR with the executor the flags pick: only the cells that are not done
 * (cut ones resume from their checkpoints); local runs them and collects; slurm submits one array
 * (skipping tasks an earlier array still holds in the queue) and, with --wait, collects afterwards.
 */
export async function runSweep(r: ResolvedSweep, f: Parsed, io: CliIO): Promise<SweepRunResult> {
  checkExecutorFlags(f);
  const dir = SweepDir.create((f.dir as string | undefined) ?? `sweeps/${r.sweep.name}`, r, Boolean(f.overwrite));
  const executor = f.executor as 'local' | 'slurm';
  const todo = dir.unfinished();
  const alreadyDone = dir.cells.filter((c) => dir.state(c) === 'done').length;
  const base = { dir: dir.path, executor, cells: dir.cells.length, alreadyDone };
  const finish = async (out: SweepRunResult): Promise<SweepRunResult> => {
    if (dir.unfinished().length === 0) {
      return { ...out, ...(await collectAll(dir)) };
    }
    return out;
  };
  if (executor === 'local') {
    if (!io.json)
      io.log(`${r.sweep.name}: ${dir.cells.length} cells, ${alreadyDone} done, ${todo.length} to run, ${(f.jobs as number | undefined) ?? availableParallelism()} at once; logs in ${dir.path}/logs`);
    const res = await runLocal(dir, todo, (f.jobs as number | undefined) ?? availableParallelism(), makeProgress(`${r.sweep.name}`, Boolean(process.stderr.isTTY), 'cells'));
    const failed = Object.keys(res.failed).length;
    const exitCode = res.signal ? (res.signal === 'SIGINT' ? 130 : 143) : failed ? 1 : undefined;
    return finish({ ...base, ran: res.started, queued: [], failed: res.failed, ...(res.signal ? { signal: res.signal } : {}), ...(exitCode ? { exitCode } : {}) });
  }
  const queued = queuedCells(dir);
  const submit = todo.filter((c) => !queued.has(c.index));
  let jobId: string | undefined;
  if (submit.length) {
    jobId = submitArray(dir, submit, slurmOptions(f, r.sweep.slurm)).jobId;
    if (!io.json) io.log(`${r.sweep.name}: submitted ${submit.length} cell(s) as job ${jobId} (${dir.cells.length} cells, ${alreadyDone} done, ${queued.size} still queued)`);
  } else if (!io.json) io.log(`${r.sweep.name}: nothing to submit (${alreadyDone} done, ${queued.size} queued)`);
  const out: SweepRunResult = { ...base, ran: submit.map((c) => c.index), queued: [...queued.keys()].sort((a, b) => a - b), failed: {}, ...(jobId ? { jobId } : {}) };
  if (!f.wait) return out;
  await waitForQueue(dir);
  const left = dir.unfinished();
  const failed = Object.fromEntries(dir.cells.filter((c) => dir.state(c) !== 'done').map((c) => [c.index, dir.state(c)]));
  return finish({ ...out, failed, ...(left.length ? { exitCode: 1 } : {}) });
}

async function collectAll(dir: SweepDir): Promise<{ table: Collected; tables: { csv: string; md: string }; plots: string[]; report: string[] }> {
  const table = collectSweep(dir);
  const tables = writeTables(dir, table);
  const report = writeReport(dir);
  const c = dir.manifest.sweep.collect;
  const plots = await writeSweepPlots(dir.sub('plots'), dir.manifest.sweep.name, table, { metrics: c.metrics, smooth: c.curve?.smooth ?? 1 });
  report.push(writeSweepReport(dir.path, dir.manifest.sweep.name, table, plots));
  return { table, tables, plots, report };
}

function formatRun(x: Record<string, unknown>): string {
  const s = x as unknown as SweepRunResult;
  const lines = [
    s.executor === 'local'
      ? `${s.dir}: ${s.signal ? `stopped by ${s.signal} (cut cells resume on the next run); ` : ''}ran ${s.ran.length} cell(s) (${s.alreadyDone} were done)${
          Object.keys(s.failed).length
            ? `; failed: ${Object.entries(s.failed)
                .map(([i, c]) => `${i} (${c})`)
                .join(', ')} (logs in ${s.dir}/logs)`
            : ''
        }`
      : `${s.dir}: ${s.jobId ? `job ${s.jobId} runs cells ${s.ran.join(',')}` : 'nothing submitted'}${s.queued.length ? `; still queued: ${s.queued.join(',')}` : ''} (${s.alreadyDone} done); hedonist sweep status ${s.dir}`,
  ];
  if (s.tables) lines.push(formatCollected(s as Required<Pick<SweepRunResult, 'tables' | 'plots'>>));
  return lines.join('\n');
}

function formatCollected(s: Required<Pick<SweepRunResult, 'tables' | 'plots'>> & { report?: string[] }): string {
  return [
    `table: ${s.tables.md}, ${s.tables.csv}`,
    ...(s.report?.length ? [`report: ${s.report.join(', ')}`] : []),
    ...(s.plots.length ? [`plots: ${s.plots.filter((p) => p.endsWith('.png')).join(', ')} (and .svg)`] : []),
  ].join('\n');
}

const dirFlag = { dir: { type: 'positional', help: 'the sweep directory' } } as const;
const needDir = (f: Parsed, cmd: string) => {
  if (!f.dir) throw new UsageError(`hedonist ${cmd}: give the sweep directory`);
  return SweepDir.open(f.dir as string);
};

/** `hedonist sweep FILE`: every cell of a sweep file, locally or as a Slurm job array. */
export const sweepCommand: CliCommand = {
  path: ['sweep'],
  summary: 'run a sweep file (a base experiment x axes of overrides x seeds) on this machine or as a Slurm job array',
  flags: {
    file: { type: 'positional', help: 'the sweep file (JSON; see docs/sweeps.md and experiments/sweeps/)' },
    json: jsonFlag(),
    ...SWEEP_FLAGS,
  },
  async run(f, io) {
    if (!f.file) throw new UsageError('hedonist sweep: give a sweep file (e.g. experiments/sweeps/cartpole-lr-width.json), or a subcommand: run-cell, status, collect');
    return runSweep(resolveSweepFile(f.file as string), f, io);
  },
  format: formatRun,
};

/** `hedonist sweep run-cell DIR --cell N`: what each worker and each array task runs. */
export const sweepRunCellCommand: CliCommand = {
  path: ['sweep', 'run-cell'],
  summary: 'run one cell of a sweep directory (what workers and Slurm array tasks run): skipped when done, resumed when cut',
  flags: {
    ...dirFlag,
    cell: { type: 'int', min: 0, max: 10_000_000, help: 'the cell index ($SLURM_ARRAY_TASK_ID)' },
    json: jsonFlag(),
  },
  async run(f, io) {
    const dir = needDir(f, 'sweep run-cell');
    if (f.cell === undefined) throw new UsageError('hedonist sweep run-cell: --cell is required (an integer in [0, cells - 1])');
    return runCell(dir, f.cell as number, io);
  },
  format(x) {
    const r = x as unknown as CellRun;
    if (r.action === 'skipped') return `cell ${r.index} (${r.id}) is ${r.was}: not run again${r.was === 'failed' ? ` (see ${r.runDir}/summary.json; delete the directory to run it anew)` : ''}`;
    return `cell ${r.index} (${r.id}) ${r.action}${r.exitCode ? `, stopped by ${r.summary?.signal ?? 'signal'} (checkpoint kept)` : ', done'}: ${r.runDir}`;
  },
};

/** `hedonist sweep status DIR`. */
export const sweepStatusCommand: CliCommand = {
  path: ['sweep', 'status'],
  summary: "each cell's state (done / cut / failed / new, and the Slurm queue's word for it)",
  flags: { ...dirFlag, json: jsonFlag() },
  async run(f) {
    const dir = needDir(f, 'sweep status');
    const jobs = readJobs(dir);
    let queued = new Map<number, string>();
    let slurm: string | undefined;
    let acct: Map<number, string> | string = new Map();
    if (jobs.length) {
      try {
        queued = queuedCells(dir);
        acct = accountedCells(dir);
      } catch (e) {
        slurm = (e as Error).message;
      }
    }
    const cells = dir.cells.map((c) => ({
      index: c.index,
      id: c.id,
      axes: c.axes,
      ...(c.seed !== undefined ? { seed: c.seed } : {}),
      state: dir.state(c),
      ...(queued.has(c.index) ? { queue: queued.get(c.index) } : {}),
      ...(typeof acct !== 'string' && acct.has(c.index) ? { sacct: acct.get(c.index) } : {}),
    }));
    const counts: Record<string, number> = {};
    for (const c of cells) counts[c.state] = (counts[c.state] ?? 0) + 1;
    return { dir: dir.path, cells, counts, jobs, ...(typeof acct === 'string' ? { sacct: acct } : {}), ...(slurm ? { slurm } : {}) };
  },
  format(x) {
    const s = x as {
      dir: string;
      cells: { index: number; id: string; axes: Record<string, string>; seed?: number; state: string; queue?: string; sacct?: string }[];
      counts: Record<string, number>;
      jobs: { jobId: string }[];
      sacct?: string;
      slurm?: string;
    };
    return [
      `${s.dir}: ${Object.entries(s.counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}${s.jobs.length ? `; jobs ${s.jobs.map((j) => j.jobId).join(', ')}` : ''}${s.sacct ? ` (${s.sacct})` : ''}${s.slurm ? ` (slurm: ${s.slurm})` : ''}`,
      ...s.cells.map(
        (c) =>
          `  ${String(c.index).padStart(4)} ${c.id} ${c.state.padEnd(6)} ${c.queue ?? ''}${c.sacct ? ` ${c.sacct}` : ''}  ${Object.entries(c.axes)
            .map(([k, v]) => `${k}=${v}`)
            .concat(c.seed !== undefined ? [`seed=${c.seed}`] : [])
            .join(' ')}`,
      ),
    ].join('\n');
  },
};

/** `hedonist sweep collect DIR`. */
export const sweepCollectCommand: CliCommand = {
  path: ['sweep', 'collect'],
  summary: 'summarise the done cells over seeds into table.csv / table.md, and plot learning curves and final metrics',
  flags: { ...dirFlag, json: jsonFlag() },
  async run(f) {
    const dir = needDir(f, 'sweep collect');
    const c = await collectAll(dir);
    return { dir: resolve(dir.path), ...c };
  },
  format: (x) => formatCollected(x as unknown as Required<Pick<SweepRunResult, 'tables' | 'plots'>>),
};

export const SWEEP_COMMANDS: CliCommand[] = [sweepCommand, sweepRunCellCommand, sweepStatusCommand, sweepCollectCommand];
