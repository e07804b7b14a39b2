import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../cli/args.ts';
import type { CliIO } from '../cli/command.ts';
import { runExperimentCli, type RunSummary } from '../cli/experiment-run.ts';
import type { CellState, SweepDir } from './dir.ts';

export interface CellRun {
  index: number;
  id: string;
  /** The cell's state before this call. */
  was: CellState;
  /** What the call did: skipped a finished (or failed) cell, started it, or resumed it from its checkpoint. */
  action: 'skipped' | 'started' | 'resumed';
  runDir: string;
  summary?: RunSummary;
  /** 130 / 143 when a signal stopped the cell (its checkpoint holds where it got to). */
  exitCode?: number;
}

/**
 * Run one cell of a sweep through the same path as `hedonist run` (runExperimentCli: run
 * directory, checkpoints, signals, the NaN guard): a done cell is never run again, a cut one
 * resumes from its checkpoint, a new one starts in DIR/cells/<id>/.
 */
export async function runCell(dir: SweepDir, index: number, io: CliIO): Promise<CellRun> {
  const c = dir.cell(index);
  const runDir = dir.cellPath(c);
  const release = lockCell(runDir, index);
  try {
    // The state is read under the lock: a cell another process just finished is not run again.
    const was = dir.state(c);
    const base = { index, id: c.id, was, runDir };
    if (was === 'done') return { ...base, action: 'skipped' };
    if (was === 'failed') return { ...base, action: 'skipped', exitCode: 1 };
    return await runUnlocked(dir, index, io, base);
  } finally {
    release();
  }
}

/**
 * DIR/cells/<id>/running.json, made exclusively: a second process on this host that would run the
 * same cell at once (two local sweeps in one directory) is refused while the first is alive. A lock
 * left by a process that is gone, or by another host (a node that died: Slurm submits a cell only
 * when no queued task holds it), is taken over.
 */
function lockCell(runDir: string, index: number): () => void {
  const file = join(runDir, 'running.json');
  const me = { host: hostname(), pid: process.pid, started: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me) + '\n');
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let held: { host?: string; pid?: number } = {};
      try {
        held = JSON.parse(readFileSync(file, 'utf8')) as typeof held;
      } catch {
        // unreadable: a writer died between create and write; take it over
      }
      if (held.host === me.host && held.pid !== undefined && held.pid !== me.pid && alive(held.pid)) {
        throw new UsageError(`cell ${index} is running in process ${held.pid} on this host (${file})`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new UsageError(`cell ${index}: could not take ${file}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function runUnlocked(dir: SweepDir, index: number, io: CliIO, base: Omit<CellRun, 'action'>): Promise<CellRun> {
  const c = dir.cell(index);
  const { was, runDir } = base;
  const ce = dir.manifest.sweep.checkpointEvery;
  const flags = { json: io.json, ...(ce ? { 'checkpoint-every': ce } : {}) };
  const summary =
    was === 'cut'
      ? await runExperimentCli(undefined, { ...flags, resume: runDir }, io)
      : await runExperimentCli(dir.experiment(c), { ...flags, name: c.id, overwrite: true }, io, { root: join(dir.path, 'cells') });
  return { ...base, action: was === 'cut' ? 'resumed' : 'started', summary, ...(summary.exitCode !== undefined ? { exitCode: summary.exitCode } : {}) };
}
