/**
 * What the reproduce commands that run as sweeps share: their grid as a sweep of whole experiments
 * (one axis whose values set each cell's experiment), the done cells' summaries, and the paper's
 * table written into the sweep directory as the in-process command writes it in its run directory.
 */
import { join } from 'node:path';
import type { Experiment } from '../experiment/schema.ts';
import { writeAtomic, type ManifestCell, type SweepDir } from './dir.ts';
import type { SweepInput } from './schema.ts';

/** The experiment's top-level fields an axis value sets (one a cell lacks as null: removed, so its defaults apply). */
const FIELDS = ['name', 'description', 'env', 'population', 'rule', 'run'] as const satisfies readonly (keyof Experiment)[];

/**
 * A sweep over whole experiments: the first cell's experiment is the base, and one axis `axis`
 * whose value `label` sets every top-level field of that cell's experiment (so the cells may differ
 * in rule, env, anything). Labels name the cells in the table and must be unique.
 */
export function experimentsSweep(o: { name: string; description: string; axis: string; cells: { label: string; x: Experiment }[]; collect: NonNullable<SweepInput['collect']> }): SweepInput {
  if (!o.cells.length) throw new RangeError(`${o.name}: the grid has no cells`);
  const fields = FIELDS.filter((k) => o.cells.some(({ x }) => x[k] !== undefined));
  return {
    name: o.name,
    description: o.description,
    base: o.cells[0]!.x as unknown as Record<string, unknown>,
    axes: [{ name: o.axis, values: o.cells.map(({ label, x }) => ({ label, set: Object.fromEntries(fields.map((k) => [k, x[k] ?? null])) })) }],
    collect: o.collect,
  };
}

/** A done cell: its manifest entry, its resolved experiment and its summary.json. */
export interface DoneCell<S> {
  cell: ManifestCell;
  experiment: Experiment;
  summary: S;
}

/** Every cell of the sweep with its summary, in grid order, or undefined while any cell is not done. */
export function doneCells<S>(dir: SweepDir): DoneCell<S>[] | undefined {
  const out: DoneCell<S>[] = [];
  for (const cell of dir.cells) {
    const summary = dir.state(cell) === 'done' ? dir.summary(cell) : undefined;
    if (!summary) return undefined;
    out.push({ cell, experiment: dir.experiment(cell), summary: summary as S });
  }
  return out;
}

/**
 * The paper's table in the sweep directory, as the in-process command writes it in its run
 * directory: `<stem>.json` (the result, the rows in it) and the table as `<stem>.<ext>`. Returns
 * the files written, the JSON first.
 */
export function writePaperTable(dir: SweepDir, stem: string, result: object, table: string, ext = 'md'): string[] {
  const json = join(dir.path, `${stem}.json`);
  const text = join(dir.path, `${stem}.${ext}`);
  writeAtomic(json, JSON.stringify({ ...result, runDir: dir.path }, null, 2) + '\n');
  writeAtomic(text, table);
  return [json, text];
}
