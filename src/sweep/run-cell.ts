import { join } from 'node:path';
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
  const was = dir.state(c);
  const runDir = dir.cellPath(c);
  const base = { index, id: c.id, was, runDir };
  if (was === 'done') return { ...base, action: 'skipped' };
  if (was === 'failed') return { ...base, action: 'skipped', exitCode: 1 };
  const ce = dir.manifest.sweep.checkpointEvery;
  const flags = { json: io.json, ...(ce ? { 'checkpoint-every': ce } : {}) };
  const summary =
    was === 'cut'
      ? await runExperimentCli(undefined, { ...flags, resume: runDir }, io)
      : await runExperimentCli(dir.experiment(c), { ...flags, name: c.id, overwrite: true }, io, { root: join(dir.path, 'cells') });
  return { ...base, action: was === 'cut' ? 'resumed' : 'started', summary, ...(summary.exitCode !== undefined ? { exitCode: summary.exitCode } : {}) };
}
