/**
 * Table 1 of Ott (2020) as a sweep: one cell per layer count, each exactly the batched run of
 * `hedonist reproduce ott-table1` in-process (every reward mode side by side, seed + 1000 li), so
 * the cells can run in worker processes or as Slurm array tasks and give the same table.
 */
import { ottExperiment, type OttExperiment } from '../rules/ott.ts';
import type { Experiment } from '../experiment/schema.ts';
import type { SweepDir } from '../sweep/dir.ts';
import { writePaperTable } from '../sweep/paper.ts';
import type { SweepInput } from '../sweep/schema.ts';
import type { OttRewardMode } from './config.ts';
import type { OttReplicaSummary } from './summary.ts';
import { orderOttTable1, ottTable1Config, ottTable1Markdown, ottTable1Rows, type OttTable1Options, type OttTable1Row } from './table1.ts';

export interface OttTable1SweepOptions {
  backend: Experiment['run']['backend'];
  stepsPerChunk: number;
}

/** The sweep: the first layer count's experiment as the base; the `layers` axis sets each one's depth, wiring and seed. */
export function ottTable1Sweep(opts: OttTable1Options, o: OttTable1SweepOptions): SweepInput {
  const xs = opts.layers.map((_, li) => ottExperiment(ottTable1Config(opts, li), { name: 'ott-table1', backend: o.backend, stepsPerChunk: o.stepsPerChunk }));
  return {
    name: 'ott-table1',
    description: 'Ott (2020) Table 1: per depth one batched run of every reward mode (hedonist reproduce ott-table1)',
    base: xs[0]! as unknown as Record<string, unknown>,
    axes: [
      {
        name: 'layers',
        values: xs.map((x, li) => ({
          label: String(opts.layers[li]),
          set: { 'population.hidden': x.population.hidden, 'population.wiring': x.population.wiring ?? null, 'run.seed': x.run.seed },
        })),
      },
    ],
    collect: { metrics: ['trialsMean', 'trialsStd', 'solvedCount', 'crossedCount'], curve: { y: 'return', x: 'episode', smooth: 100 }, report: 'ott-table1' },
  };
}

/** The Table 1 rows of a sweep's done cells (the reward modes and repeats read from each cell's rule.replicaModes). */
export function ottTable1FromSweep(dir: SweepDir): { rows: OttTable1Row[]; missing: number[] } {
  const rows: OttTable1Row[] = [];
  const missing: number[] = [];
  const layersSeen: number[] = [];
  let rewards: OttRewardMode[] = [];
  for (const c of dir.cells) {
    const x = dir.experiment(c) as OttExperiment;
    const modes = (x.rule.replicaModes ?? new Array<OttRewardMode>(x.run.replicas).fill(x.rule.mode)) as OttRewardMode[];
    rewards = [...new Set(modes)];
    const L = x.population.hidden.length;
    layersSeen.push(L);
    const s = dir.state(c) === 'done' ? (dir.summary(c) as { replicas: OttReplicaSummary[]; wallSeconds: number } | undefined) : undefined;
    if (!s) {
      missing.push(c.index);
      continue;
    }
    rows.push(...ottTable1Rows(s, L, rewards, modes.length / rewards.length));
  }
  const layers = layersSeen.filter((_L, i) => !missing.includes(dir.cells[i]!.index));
  return { rows: orderOttTable1(rows, rewards, layers), missing };
}

/** table1.md and table1.json in the sweep directory (as the in-process command writes them), once every cell is done. */
export function writeOttTable1Report(dir: SweepDir): string[] {
  const { rows, missing } = ottTable1FromSweep(dir);
  if (missing.length) return [];
  return writePaperTable(dir, 'table1', { rows }, ottTable1Markdown(rows));
}
