/**
 * Table 1 of Bhargava et al. as a sweep: one cell per row (synrl-32hu, gd-32hu, synrl-0hu,
 * gd-0hu), each exactly the experiment `hedonist reproduce bhargava-table1` runs in-process
 * (table1Experiment), so the rows (hours each on a CPU at the paper's budgets) can run in worker
 * processes or as Slurm array tasks; the collected table1.md is the in-process one (the wall-time
 * column aside).
 */
import type { Experiment } from '../experiment/schema.ts';
import type { SweepDir } from '../sweep/dir.ts';
import { doneCells, experimentsSweep, writePaperTable } from '../sweep/paper.ts';
import type { SweepInput } from '../sweep/schema.ts';
import { bhargavaTable1Markdown, PAPER_TABLE1, table1Experiment, table1Row, type Table1Options, type Table1RunSummary } from './table1.ts';

/** The sweep: one axis `experiment` (the rows in the paper's order) whose values set the whole experiment. */
export function bhargavaTable1Sweep(o: Table1Options): SweepInput {
  const want = o.experiments ?? PAPER_TABLE1.map((p) => p.experiment);
  const cells = PAPER_TABLE1.filter((p) => want.includes(p.experiment)).map((p) => ({ label: p.experiment, x: table1Experiment(o, p.experiment).x }));
  return experimentsSweep({
    name: 'bhargava-table1',
    description: 'Bhargava et al. Table 1 on MNIST: one cell per row (hedonist reproduce bhargava-table1)',
    axis: 'experiment',
    cells,
    collect: { metrics: ['final validAccuracy'], curve: { y: 'validAccuracy', x: 'iteration', smooth: 1 }, report: 'bhargava-table1' },
  });
}

/** table1.md and table1.json in the sweep directory (as the in-process command writes them), once every cell is done. */
export function writeBhargavaTable1Report(dir: SweepDir): string[] {
  const done = doneCells<Table1RunSummary & { wallSeconds: number }>(dir);
  if (!done) return [];
  const rows = done.map(({ cell, experiment, summary }) => {
    const x = experiment as Experiment & { rule: { iterations: number } };
    return table1Row(cell.axes.experiment!, x.rule.iterations, summary, x.run.replicas, summary.wallSeconds);
  });
  return writePaperTable(dir, 'table1', { dataset: 'mnist', rows }, bhargavaTable1Markdown(rows));
}
