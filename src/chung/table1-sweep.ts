/**
 * Table 1 of Chung (2022) as a sweep: one cell per (task, rule) pair of the grid, each exactly the
 * run `hedonist reproduce chung-table1` makes in-process (chungTrainExperiment), so the cells can
 * run in worker processes or as Slurm array tasks and give the same table.
 */
import type { Experiment } from '../experiment/schema.ts';
import { chungConfigOf, type WeightMaxExperiment, type WeightMaxSummary } from '../rules/weight-max.ts';
import type { SweepDir } from '../sweep/dir.ts';
import { doneCells, experimentsSweep, writePaperTable } from '../sweep/paper.ts';
import type { SweepInput } from '../sweep/schema.ts';
import type { ChungTask } from './config.ts';
import { chungTable1Markdown, chungTable1Row, table1Config, type ChungTableRow, type Table1Options } from './reproduce.ts';
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
  return experimentsSweep({
    name: 'chung-table1',
    description: 'Chung (2022) Table 1: one cell per task x rule (hedonist reproduce chung-table1)',
    axis: 'cell',
    cells,
    collect: { metrics: ['meanReturn', 'stdReturn', 'finalMeanReturn'], report: 'chung-table1' },
  });
}

/** table1.md and table1.json in the sweep directory (as the in-process command writes them), once every cell is done. */
export function writeChungTable1Report(dir: SweepDir): string[] {
  const done = doneCells<WeightMaxSummary & { wallSeconds: number }>(dir);
  if (!done) return [];
  const rows = done.map(({ cell, experiment, summary }) => {
    const [task, row] = cell.axes.cell!.split('/') as [ChungTask, ChungTableRow];
    return chungTable1Row(row, task, chungConfigOf(experiment as WeightMaxExperiment), summary);
  });
  return writePaperTable(dir, 'table1', { rows }, chungTable1Markdown(rows));
}
