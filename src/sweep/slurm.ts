import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../cli/args.ts';
import { writeAtomic, type ManifestCell, type SweepDir } from './dir.ts';
import { HEDONIST_BIN } from './local.ts';
import type { SlurmOptions } from './schema.ts';

/** One `sbatch --array` submission, as DIR/slurm/jobs.json records it. */
export interface SlurmJob {
  jobId: string;
  cells: number[];
  submitted: string;
}

/** `[0,1,2,5,7,8]` -> `0-2,5,7-8` (sbatch --array). */
export function arrayRanges(indices: number[]): string {
  const s = [...indices].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    out.push(i === j ? String(s[i]) : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The batch script every array task runs: the #SBATCH lines from the options, the setup lines
 * (e.g. `module load nodejs/20`), then `exec node bin/hedonist.mjs sweep run-cell DIR --cell
 * $SLURM_ARRAY_TASK_ID` (exec: scancel's and the time limit's SIGTERM reach the cell, which
 * checkpoints). DIR and the CLI are absolute paths: on a cluster they must be on the shared filesystem.
 */
export function batchScript(dir: SweepDir, o: SlurmOptions): string {
  const lines = ['#!/bin/bash', `#SBATCH --job-name=hedonist-${dir.manifest.sweep.name}`, `#SBATCH --output=${join(dir.path, 'slurm', '%A_%a.out')}`];
  if (o.partition) lines.push(`#SBATCH --partition=${o.partition}`);
  if (o.time) lines.push(`#SBATCH --time=${o.time}`);
  if (o.cpusPerTask) lines.push(`#SBATCH --cpus-per-task=${o.cpusPerTask}`);
  if (o.mem) lines.push(`#SBATCH --mem=${o.mem}`);
  if (o.gpusPerTask) lines.push(`#SBATCH --gres=gpu:${o.gpusPerTask}`);
  for (const a of o.args ?? []) lines.push(`#SBATCH ${a}`);
  lines.push('set -euo pipefail', ...(o.setup ?? []));
  lines.push(`exec ${o.node ? o.node : q(process.execPath)} ${q(HEDONIST_BIN)} sweep run-cell ${q(dir.path)} --cell "$SLURM_ARRAY_TASK_ID"`, '');
  return lines.join('\n');
}

function slurmCommand(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw new UsageError(`${cmd} could not run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}): is Slurm installed and on PATH?`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

const jobsFile = (dir: SweepDir) => join(dir.sub('slurm'), 'jobs.json');

export function readJobs(dir: SweepDir): SlurmJob[] {
  const f = join(dir.path, 'slurm', 'jobs.json');
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as SlurmJob[]) : [];
}

/**
 * Array tasks of this sweep's jobs that squeue still lists: cell index -> state (PENDING,
 * RUNNING, COMPLETING, ...). An empty map when none is queued.
 */
export function queuedCells(dir: SweepDir): Map<number, string> {
  const jobs = readJobs(dir);
  const out = new Map<number, string>();
  if (!jobs.length) return out;
  const ours = new Set(jobs.map((j) => j.jobId));
  // %F: the array's job id, %K: the task id (-r: one line per task, pending ones too).
  const text = slurmCommand('squeue', ['-h', '-r', '-o', '%F|%K|%T']);
  for (const line of text.split('\n')) {
    const [job, task, state] = line.trim().split('|');
    if (job && ours.has(job) && task && /^\d+$/.test(task)) out.set(Number(task), state!);
  }
  return out;
}

/** sacct's state of each task of this sweep's jobs (cell index -> state of its latest job), or why it cannot say. */
export function accountedCells(dir: SweepDir): Map<number, string> | string {
  const jobs = readJobs(dir);
  if (!jobs.length) return new Map();
  const r = spawnSync('sacct', ['-n', '-P', '-X', '-j', jobs.map((j) => j.jobId).join(','), '--format=JobID,State'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return `sacct unavailable: ${(r.stderr || r.error?.message || '').trim().split('\n')[0]}`;
  const out = new Map<number, string>();
  for (const line of r.stdout.split('\n')) {
    const m = /^(\d+)_(\d+)\|(.+)$/.exec(line.trim());
    if (m) out.set(Number(m[2]), m[3]!.split(' ')[0]!);
  }
  return out;
}

/**
 * Submit the cells as one job array (DIR/slurm/sweep.sbatch), recorded in DIR/slurm/jobs.json.
 * Returns the job id.
 */
export function submitArray(dir: SweepDir, cells: ManifestCell[], o: SlurmOptions): SlurmJob {
  const max = Math.max(...cells.map((c) => c.index));
  // Slurm's default MaxArraySize is 1001: task ids 0..1000.
  if (max > 1000) throw new UsageError(`the sweep has ${dir.cells.length} cells; a Slurm array task id above 1000 needs MaxArraySize raised on the cluster (ask its admins) or a smaller sweep`);
  const script = join(dir.sub('slurm'), 'sweep.sbatch');
  writeFileSync(script, batchScript(dir, o));
  chmodSync(script, 0o755);
  const array = arrayRanges(cells.map((c) => c.index)) + (o.maxRunning ? `%${o.maxRunning}` : '');
  const out = slurmCommand('sbatch', ['--parsable', `--array=${array}`, script]).trim();
  const jobId = out.split(';')[0]!;
  if (!/^\d+$/.test(jobId)) throw new Error(`sbatch answered '${out}', not a job id`);
  const job: SlurmJob = { jobId, cells: cells.map((c) => c.index), submitted: new Date().toISOString() };
  writeAtomic(jobsFile(dir), JSON.stringify([...readJobs(dir), job], null, 2) + '\n');
  return job;
}

/** Wait until squeue lists none of the sweep's tasks. */
export async function waitForQueue(dir: SweepDir, pollMs = 2000, onPoll?: (queued: Map<number, string>) => void): Promise<void> {
  for (;;) {
    const queued = queuedCells(dir);
    onPoll?.(queued);
    if (queued.size === 0) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
