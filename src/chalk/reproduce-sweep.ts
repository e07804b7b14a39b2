/**
 * `reproduce chalk` as a sweep: one cell, the counts experiment with rule.reproduce (the exact
 * solve, then Chalk (a)'s analysis of the solved network, in the cell's summary.reproduction), so
 * the reproduction can run in a worker process or as a Slurm array task; the collected
 * recovery.json / recovery.tsv are the in-process command's summary.json / recovery.tsv (timeMs aside).
 */
import { UsageError } from '../cli/args.ts';
import type { Experiment } from '../experiment/schema.ts';
import type { SweepDir } from '../sweep/dir.ts';
import { doneCells, experimentsSweep, writePaperTable } from '../sweep/paper.ts';
import type { SweepInput } from '../sweep/schema.ts';
import { recoveryTsv, type ReproduceSummary } from './reproduce.ts';

/** The sweep of one cell (axis `lambda`), the experiment `reproduce chalk` trains and analyses. */
export function chalkSweep(x: Experiment): SweepInput {
  const lambda = (x.rule as { lambda?: number }).lambda;
  return experimentsSweep({
    name: 'reproduce-chalk',
    description: 'Chalk et al. example (a): the exact solve and its analysis (hedonist reproduce chalk)',
    axis: 'lambda',
    cells: [{ label: String(lambda), x }],
    collect: { metrics: ['averageReward', 'codingCostBits', 'objective'], report: 'chalk' },
  });
}

/** recovery.json (the reproduction's summary) and recovery.tsv in the sweep directory, once its cell is done. */
export function writeChalkReport(dir: SweepDir): string[] {
  if (dir.cells.length !== 1) throw new UsageError(`collect.report 'chalk' reports one cell (hedonist reproduce chalk's sweep); this sweep has ${dir.cells.length}`);
  const done = doneCells<{ reproduction?: ReproduceSummary }>(dir);
  if (!done) return [];
  const s = done[0]!.summary.reproduction;
  if (!s) throw new UsageError(`collect.report 'chalk': the cell's summary has no reproduction (set rule.reproduce in the experiment)`);
  return writePaperTable(dir, 'recovery', s, recoveryTsv(s), 'tsv');
}
