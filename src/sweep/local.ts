import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { Progress } from '../cli/progress.ts';
import type { ManifestCell, SweepDir } from './dir.ts';

/** bin/hedonist.mjs, by absolute path (workers and batch scripts run the CLI through it). */
export const HEDONIST_BIN = new URL('../../bin/hedonist.mjs', import.meta.url).pathname;

export interface LocalResult {
  /** Cells whose worker ran (to the end, a failure or a signal), in start order. */
  started: number[];
  /** Cells whose worker exited non-zero: index -> exit code (or signal name). */
  failed: Record<number, number | string>;
  /** The signal that stopped the sweep (its workers checkpointed; no cell started after it). */
  signal?: NodeJS.Signals;
}

/**
 * The local executor: up to `workers` processes at once, each `hedonist sweep run-cell DIR --cell i`
 * (output in DIR/logs/<index>-<id>.log); the progress bar counts finished cells. SIGINT / SIGTERM
 * reach the workers, which checkpoint and stop; no new cell starts after one.
 */
export async function runLocal(dir: SweepDir, cells: ManifestCell[], workers: number, bar: Progress): Promise<LocalResult> {
  const logs = dir.sub('logs');
  const queue = [...cells];
  const running = new Set<ChildProcess>();
  const failed: Record<number, number | string> = {};
  let finished = 0;
  const started: number[] = [];
  let stopping: NodeJS.Signals | undefined;
  const onSignal = (s: NodeJS.Signals) => {
    stopping ??= s;
    for (const p of running) p.kill(s);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const total = cells.length;
  bar.update(0, total, { running: 0 });
  const one = (c: ManifestCell) =>
    new Promise<void>((done) => {
      started.push(c.index);
      const fd = openSync(join(logs, `${c.index}-${c.id}.log`), 'a');
      const p = spawn(process.execPath, [HEDONIST_BIN, 'sweep', 'run-cell', dir.path, '--cell', String(c.index)], { stdio: ['ignore', fd, fd] });
      running.add(p);
      p.on('close', (code, signal) => {
        closeSync(fd);
        running.delete(p);
        if (code !== 0) failed[c.index] = code ?? signal ?? 'unknown';
        finished++;
        bar.update(finished, total, { running: running.size });
        done();
      });
      p.on('error', () => undefined);
    });
  const worker = async () => {
    for (let c = queue.shift(); c && !stopping; c = queue.shift()) await one(c);
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, cells.length)) }, worker));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    bar.stop();
  }
  return { started, failed, ...(stopping ? { signal: stopping } : {}) };
}
