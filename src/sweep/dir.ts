import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../cli/args.ts';
import { CHECKPOINT_FILE } from '../cli/checkpoint-files.ts';
import { parseExperiment } from '../experiment/load.ts';
import type { Experiment } from '../experiment/schema.ts';
import type { Cell, ResolvedSweep } from './cells.ts';
import { parseSweep } from './cells.ts';
import type { Sweep } from './schema.ts';

/**
 * The sweep directory:
 *   sweep.json                   the sweep as given and its cells (index, id, axis labels, seed, overrides)
 *   cells/<id>/experiment.json   the cell's resolved experiment, beside the run's own
 *              metrics.jsonl, summary.json, checkpoint.bin (the `hedonist run` directory)
 *   logs/<index>-<id>.log        a local worker's output; slurm/ the batch script, jobs and task output
 *   table.csv, table.md, plots/  `hedonist sweep collect`
 */
export const MANIFEST = 'sweep.json';

export interface ManifestCell extends Omit<Cell, 'experiment'> {
  /** sha256 of the resolved experiment (a re-run with another base is refused, not mixed in). */
  hash: string;
}

export interface Manifest {
  kind: 'hedonist-sweep';
  version: 1;
  sweep: Sweep;
  axisNames: string[];
  cells: ManifestCell[];
}

/** What a cell's directory says about it. */
export type CellState = 'done' | 'cut' | 'failed' | 'new';

const hashOf = (x: Experiment) => createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 16);

import { writeFileAtomic as writeAtomic } from '../io/files.ts';

export { writeAtomic };

export class SweepDir {
  readonly path: string;
  constructor(
    path: string,
    readonly manifest: Manifest,
  ) {
    this.path = resolve(path);
  }

  /**
   * Make (or reopen) the directory for a resolved sweep. An existing directory must hold the same
   * cells (ids and experiments); another sweep there is refused unless `overwrite`.
   */
  static create(path: string, r: ResolvedSweep, overwrite = false): SweepDir {
    const manifest: Manifest = {
      kind: 'hedonist-sweep',
      version: 1,
      sweep: r.sweep,
      axisNames: r.axisNames,
      cells: r.cells.map(({ experiment, ...c }) => ({ ...c, hash: hashOf(experiment) })),
    };
    const file = join(path, MANIFEST);
    if (existsSync(file)) {
      const old = SweepDir.open(path).manifest;
      const same = old.cells.length === manifest.cells.length && old.cells.every((c, i) => c.id === manifest.cells[i]!.id && c.hash === manifest.cells[i]!.hash);
      if (!same) {
        if (!overwrite) throw new UsageError(`${path} holds another sweep (other cells or experiments): pass --overwrite to replace it, or another --dir`);
        rmSync(path, { recursive: true, force: true });
      }
    }
    mkdirSync(join(path, 'cells'), { recursive: true });
    const dir = new SweepDir(path, manifest);
    for (const c of r.cells) {
      mkdirSync(dir.cellPath(c), { recursive: true });
      const xf = join(dir.cellPath(c), 'experiment.json');
      if (!existsSync(xf)) writeAtomic(xf, JSON.stringify(c.experiment, null, 2) + '\n');
    }
    writeAtomic(file, JSON.stringify(manifest, null, 2) + '\n');
    return dir;
  }

  static open(path: string): SweepDir {
    const file = join(path, MANIFEST);
    let m: Manifest;
    try {
      m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    } catch (e) {
      throw new UsageError(`${path} is not a sweep directory (cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (m.kind !== 'hedonist-sweep' || !Array.isArray(m.cells)) throw new UsageError(`${file} is not a sweep manifest`);
    return new SweepDir(path, { ...m, sweep: parseSweep(m.sweep) });
  }

  get cells(): ManifestCell[] {
    return this.manifest.cells;
  }

  cellPath(c: Pick<Cell, 'id'>): string {
    return join(this.path, 'cells', c.id);
  }

  cell(index: number): ManifestCell {
    const c = this.cells[index];
    if (!c) throw new UsageError(`--cell must be an integer in [0, ${this.cells.length - 1}], got ${index}`);
    return c;
  }

  /** The cell's resolved experiment, as written beside its metrics. */
  experiment(c: ManifestCell): Experiment {
    return parseExperiment(JSON.parse(readFileSync(join(this.cellPath(c), 'experiment.json'), 'utf8')));
  }

  /** The cell's summary.json, if any. */
  summary(c: ManifestCell): Record<string, unknown> | undefined {
    const f = join(this.cellPath(c), 'summary.json');
    if (!existsSync(f)) return undefined;
    try {
      return JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  /**
   * done: a summary of a run that was not stopped; failed: the run stopped on an error (the NaN
   * guard: running it again gives the same); cut: a checkpoint to resume from; new: nothing to go on.
   */
  state(c: ManifestCell): CellState {
    const s = this.summary(c);
    if (s && typeof s.error === 'string') return 'failed';
    if (s && !s.stopped && !s.signal) return 'done';
    return existsSync(join(this.cellPath(c), CHECKPOINT_FILE)) ? 'cut' : 'new';
  }

  /** Cells that still have to run (new or cut), in index order. */
  unfinished(): ManifestCell[] {
    return this.cells.filter((c) => {
      const s = this.state(c);
      return s === 'new' || s === 'cut';
    });
  }

  sub(...parts: string[]): string {
    const p = join(this.path, ...parts);
    mkdirSync(p, { recursive: true });
    return p;
  }
}
