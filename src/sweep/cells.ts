import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../config/validate.ts';
import { inlineFiles } from '../cli/experiment-files.ts';
import { describeIssue, parseExperiment } from '../experiment/load.ts';
import type { Experiment } from '../experiment/schema.ts';
import { SweepSchema, type Sweep } from './schema.ts';

/** One cell of a sweep: one point of the axes grid and one seed, one run directory. */
export interface Cell {
  /** The position in the grid: the Slurm array task id. */
  index: number;
  /** Stable: a hash of the cell's overrides (the same overrides give the same id in any sweep). */
  id: string;
  /** Axis name -> the value's label. */
  axes: Record<string, string>;
  /** run.seed when the sweep lists seeds. */
  seed?: number;
  /** The overrides applied to the base, in order, as `path=value` (`hedonist run --set`). */
  sets: string[];
  /** The resolved, validated experiment. */
  experiment: Experiment;
}

export interface ResolvedSweep {
  sweep: Sweep;
  /** Axis names, outermost first (the seeds are not one of them). */
  axisNames: string[];
  cells: Cell[];
}

const setLine = (path: string, v: unknown) => `${path}=${JSON.stringify(v)}`;
const labelOf = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** Parse a sweep object (zod); errors name the field. */
export function parseSweep(input: unknown): Sweep {
  const r = SweepSchema.safeParse(input, { reportInput: true });
  if (!r.success) {
    const e = describeIssue(r.error.issues[0]!);
    throw new ConfigError(e.field, `sweep: ${e.message.replace(/^experiment: /, '')}`);
  }
  return r.data;
}

/** Read and parse a sweep file. */
export function readSweepFile(file: string): Sweep {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError('FILE', `cannot read sweep file '${file}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError('FILE', `${file} is not valid JSON (${(e as Error).message})`);
  }
  return parseSweep(raw);
}

/**
 * Expand a sweep into its cells: the cartesian product of the axes (first axis outermost) and the
 * seeds (innermost). Each cell's experiment is the base with the sweep's `set`, then each axis
 * value's overrides, then run.seed, applied by the experiment loader and validated by its schema;
 * `relativeTo` is the folder a base file (and its edge lists) are read relative to.
 */
export function resolveSweep(sweep: Sweep, relativeTo: string): ResolvedSweep {
  let baseRaw: unknown = sweep.base;
  let baseFile = resolve(relativeTo, 'sweep.json');
  if (typeof sweep.base === 'string') {
    baseFile = resolve(relativeTo, sweep.base);
    let text: string;
    try {
      text = readFileSync(baseFile, 'utf8');
    } catch (e) {
      throw new ConfigError('base', `sweep: base: cannot read '${baseFile}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      baseRaw = JSON.parse(text);
    } catch (e) {
      throw new ConfigError('base', `sweep: base: ${baseFile} is not valid JSON (${(e as Error).message})`);
    }
  }
  const axisNames = sweep.axes.map((a) => ('path' in a ? (a.name ?? a.path) : a.name));
  const dup = axisNames.find((n, i) => axisNames.indexOf(n) !== i);
  if (dup) throw new ConfigError('axes', `sweep: axes: two axes are named '${dup}'`);
  // Each axis as its values: [label, path=value lines].
  const axes = sweep.axes.map((a) =>
    'path' in a ? a.values.map((v) => [labelOf(v), [setLine(a.path, v)]] as const) : a.values.map((v) => [v.label, Object.entries(v.set).map(([p, x]) => setLine(p, x))] as const),
  );
  axes.forEach((vals, i) => {
    const labels = vals.map((v) => v[0]);
    const d = labels.find((l, j) => labels.indexOf(l) !== j);
    if (d !== undefined) throw new ConfigError(`axes.${i}`, `sweep: axes.${i} (${axisNames[i]}): the value '${d}' is listed twice`);
  });
  const common = Object.entries(sweep.set).map(([p, v]) => setLine(p, v));
  const seeds: (number | undefined)[] = sweep.seeds ?? [undefined];
  const cells: Cell[] = [];
  const ids = new Map<string, number>();
  const walk = (i: number, labels: Record<string, string>, sets: string[]) => {
    if (i < axes.length) {
      for (const [label, s] of axes[i]!) walk(i + 1, { ...labels, [axisNames[i]!]: label }, [...sets, ...s]);
      return;
    }
    for (const seed of seeds) {
      const all = seed === undefined ? sets : [...sets, setLine('run.seed', seed)];
      const where =
        Object.entries(labels)
          .map(([k, v]) => `${k}=${v}`)
          .concat(seed === undefined ? [] : [`seed=${seed}`])
          .join(', ') || 'the base';
      let experiment: Experiment;
      try {
        experiment = inlineFiles(parseExperiment(baseRaw, all), baseFile);
      } catch (e) {
        if (e instanceof ConfigError) throw new ConfigError(e.field, `sweep cell ${where}: ${e.message}`);
        throw e;
      }
      const id = createHash('sha256').update(JSON.stringify(all)).digest('hex').slice(0, 12);
      if (ids.has(id)) throw new ConfigError('axes', `sweep: cell ${where} has the same overrides as cell ${ids.get(id)}`);
      ids.set(id, cells.length);
      cells.push({ index: cells.length, id, axes: labels, ...(seed === undefined ? {} : { seed }), sets: all, experiment });
    }
  };
  walk(0, {}, common);
  return { sweep, axisNames, cells };
}

/** The file's base resolved relative to its folder. */
export function resolveSweepFile(file: string): ResolvedSweep {
  return resolveSweep(readSweepFile(file), dirname(resolve(file)));
}
