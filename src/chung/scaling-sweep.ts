/**
 * The scaling experiment of Chung (2022) (Fig. 3/4) as a sweep: one cell per width multiplier x
 * rule, each exactly the run `hedonist reproduce chung-scaling` makes in-process, plus the sparse
 * million network per rule; the collected scaling.csv / scaling.json are the in-process command's
 * (the wall-time columns aside: each cell times its own run).
 */
import type { Experiment } from '../experiment/schema.ts';
import { millionConfig, type ChungMuxRule } from '../learners/chung-multiplexer/index.ts';
import { muxExperiment, type WeightMaxSparseSummary } from '../rules/weight-max-sparse.ts';
import type { WeightMaxSummary } from '../rules/weight-max.ts';
import type { SweepDir } from '../sweep/dir.ts';
import { doneCells, experimentsSweep, writePaperTable } from '../sweep/paper.ts';
import type { SweepInput } from '../sweep/schema.ts';
import type { ChungRule } from './config.ts';
import { scalingConfig, scalingCsv, scalingRow, type ScalingOptions } from './reproduce.ts';
import { chungTrainExperiment } from './trainer.ts';

/** The sparse million network of the scaling experiment: `units` x 64 synapses on the 20-bit multiplexer. */
export function sparseScalingExperiment(rule: ChungMuxRule, o: { units: number; episodes: number; seed: number }, backend: Experiment['run']['backend']): Experiment {
  return muxExperiment(millionConfig({ units: o.units, rule, episodes: o.episodes, seed: o.seed, addressBits: 4 }), backend) as unknown as Experiment;
}

/** A scaling row of the sparse network from its run's summary (M = 0). */
export function sparseScalingRow(rule: ChungMuxRule, s: WeightMaxSparseSummary, wallSeconds: number): ReturnType<typeof scalingRow> {
  return scalingRow(0, rule, { ...s, wallSeconds });
}

export interface ScalingSweepOptions extends Omit<ScalingOptions, 'onRun' | 'hooks' | 'train'> {
  rules: ChungRule[];
  /** Also the sparse million network with this many units (0: not). */
  sparseUnits: number;
  sparseEpisodes: number;
}

/** The sweep: one axis `cell` (`M/rule`, then `sparse/rule`, as the in-process command runs them) whose values set the whole experiment. */
export function chungScalingSweep(o: ScalingSweepOptions, backend: Experiment['run']['backend']): SweepInput {
  const dense = o.M.flatMap((M) => o.rules.map((rule) => ({ label: `${M}/${rule}`, x: chungTrainExperiment(scalingConfig(M, rule, o), backend) as unknown as Experiment })));
  const sparse = o.sparseUnits
    ? o.rules.map((rule) => ({
        label: `sparse/${rule}`,
        x: sparseScalingExperiment(rule as ChungMuxRule, { units: o.sparseUnits, episodes: o.sparseEpisodes, seed: o.seed ?? 1 }, backend),
      }))
    : [];
  return experimentsSweep({
    name: 'chung-scaling',
    description: 'Chung (2022) Fig. 3/4: one cell per width multiplier x rule on the 20-bit multiplexer (hedonist reproduce chung-scaling)',
    axis: 'cell',
    cells: [...dense, ...sparse],
    collect: { metrics: ['meanReturn', 'stdReturn', 'finalMeanReturn'], report: 'chung-scaling' },
  });
}

/** scaling.json and scaling.csv in the sweep directory (as the in-process command writes them), once every cell is done. */
export function writeChungScalingReport(dir: SweepDir): string[] {
  const done = doneCells<(WeightMaxSummary | WeightMaxSparseSummary) & { wallSeconds: number; backend: string }>(dir);
  if (!done) return [];
  const rows = done.map(({ cell, summary }) => {
    const [M, rule] = cell.axes.cell!.split('/') as [string, ChungRule];
    return M === 'sparse'
      ? sparseScalingRow(rule as ChungMuxRule, summary as WeightMaxSparseSummary, summary.wallSeconds)
      : scalingRow(Number(M), rule, summary as WeightMaxSummary & { wallSeconds: number });
  });
  const backend = done[0]!.summary.backend;
  const first = rows.find((r) => r.M) ?? rows[0]!;
  return writePaperTable(dir, 'scaling', { episodes: first.episodes, replicas: first.replicas, backend, rows }, scalingCsv(rows, backend), 'csv');
}
