/**
 * Table 1 of Chung (2022) as a sweep: one cell per (task, rule) pair of the grid, each exactly the
 * run `hedonist reproduce chung-table1` makes in-process (chungTrainExperiment), so the cells can
 * run in worker processes or as Slurm array tasks and give the same table.
 */
import { join } from 'node:path';
import type { Experiment } from '../experiment/schema.ts';
import { chungConfigOf, type WeightMaxExperiment, type WeightMaxSummary } from '../rules/weight-max.ts';
import { writeAtomic, type SweepDir } from '../sweep/dir.ts';
import type { SweepInput } from '../sweep/schema.ts';
import type { ChungTask } from './config.ts';
import { chungTable1Markdown, chungTable1Row, table1Config, type ChungTable1Row, type ChungTableRow, type Table1Options } from './reproduce.ts';
import { chungTrainExperiment } from './trainer.ts';

const label = (task: ChungTask, row: ChungTableRow) => `${task}/${row}`;

/** The sweep: one axis `cell` whose values (`task/rule`, tasks outer as the in-process command) set the whole experiment. */
export function chungTable1Sweep(o: Table1Options & { tasks: ChungTask[]; rows: ChungTableRow[] }, backend: Experiment['run']['backend']): SweepInput {
  const cells = o.tasks.flatMap((task) =>
    o.rows.flatMap((row) => {
      const cfg = table1Config(row, task, o);
      return cfg ? [{ label: label(task, row), x: chungTrainExperiment(cfg, backend) }] : [];
    }),
  );
  return {
    name: 'chung-table1',
    description: 'Chung (2022) Table 1: one cell per task x rule (hedonist reproduce chung-table1)',
    base: cells[0]!.x as unknown as Record<string, unknown>,
    axes: [
      {
        name: 'cell',
        values: cells.map(({ label, x }) => ({ label, set: { name: x.name ?? null, env: x.env ?? null, population: x.population, rule: x.rule, run: x.run } })),
      },
    ],
    collect: { metrics: ['meanReturn', 'stdReturn', 'finalMeanReturn'], report: 'chung-table1' },
  };
}

/** table1.md and table1.json in the sweep directory (as the in-process command writes them), once every cell is done. */
export function writeChungTable1Report(dir: SweepDir): string[] {
  const rows: ChungTable1Row[] = [];
  for (const c of dir.cells) {
    const s = dir.state(c) === 'done' ? (dir.summary(c) as (WeightMaxSummary & { wallSeconds: number }) | undefined) : undefined;
    if (!s) return [];
    const [task, row] = c.axes.cell!.split('/') as [ChungTask, ChungTableRow];
    rows.push(chungTable1Row(row, task, chungConfigOf(dir.experiment(c) as WeightMaxExperiment), s));
  }
  const md = join(dir.path, 'table1.md');
  const json = join(dir.path, 'table1.json');
  writeAtomic(md, chungTable1Markdown(rows));
  writeAtomic(json, JSON.stringify({ rows, runDir: dir.path }, null, 2) + '\n');
  return [md, json];
}
