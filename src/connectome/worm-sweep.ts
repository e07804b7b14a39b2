/**
 * `reproduce worm-chemotaxis` as a sweep: one cell per (wiring, seed), each exactly the run the
 * in-process comparison trains (wormRunExperiment), so the runs can go to worker processes or Slurm
 * array tasks, resume from checkpoints, and give the same comparison: collect reads each cell's
 * episode returns from its metrics.jsonl and scores the first and last `collect.evalEpisodes`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../cli/args.ts';
import type { Experiment } from '../experiment/schema.ts';
import type { SweepDir } from '../sweep/dir.ts';
import { doneCells, experimentsSweep, writePaperTable } from '../sweep/paper.ts';
import type { SweepInput } from '../sweep/schema.ts';
import type { ConnectomeVariant } from './celegans.ts';
import { scoreReturns, wormComparisonMarkdown, wormComparisonOf, wormRunExperiment, type WormComparison, type WormRun } from './worm-comparison.ts';

/** The default of collect.evalEpisodes for this report, as `--eval-episodes`. */
export const WORM_EVAL_EPISODES = 50;

export interface WormSweepOptions {
  base: Experiment;
  variants: readonly ConnectomeVariant[];
  seeds: readonly number[];
  episodes: number;
  evalEpisodes: number;
}

/** The sweep: axis `run`, one value per (wiring, seed) labelled `<wiring>-<seed>`, wirings outermost. */
export function wormComparisonSweep(o: WormSweepOptions): SweepInput {
  if (o.evalEpisodes > o.episodes) throw new RangeError(`evalEpisodes ${o.evalEpisodes} exceeds episodes ${o.episodes}`);
  return experimentsSweep({
    name: 'worm-chemotaxis',
    description: 'does real wiring help? the C. elegans connectome vs a degree-preserving shuffle vs random wiring over seeds (hedonist reproduce worm-chemotaxis)',
    axis: 'run',
    cells: o.variants.flatMap((variant) => o.seeds.map((seed) => ({ label: `${variant}-${seed}`, x: wormRunExperiment(o.base, variant, seed, o.episodes) }))),
    collect: { metrics: ['first100MeanReturn', 'last100MeanReturn'], curve: { y: 'charts/episodic_return', x: 'episode', smooth: 50 }, report: 'worm-chemotaxis', evalEpisodes: o.evalEpisodes },
  });
}

/** A cell's episode returns, in episode order, from its metrics.jsonl. */
function cellReturns(dir: SweepDir, c: SweepDir['cells'][number]): number[] {
  const out: number[] = [];
  for (const line of readFileSync(join(dir.cellPath(c), 'metrics.jsonl'), 'utf8').split('\n')) {
    if (!line) continue;
    const m = JSON.parse(line) as { episode?: unknown; 'charts/episodic_return'?: unknown };
    if (typeof m.episode === 'number' && typeof m['charts/episodic_return'] === 'number') out[m.episode] = m['charts/episodic_return'];
  }
  return out;
}

/** The comparison of a sweep whose cells are all done (undefined while any is not). */
export function wormComparisonFromSweep(dir: SweepDir): WormComparison | undefined {
  const done = doneCells<{ wallSeconds?: number }>(dir);
  if (!done) return undefined;
  const k = dir.manifest.sweep.collect.evalEpisodes ?? WORM_EVAL_EPISODES;
  const variants: ConnectomeVariant[] = [];
  let episodes: number | undefined;
  const runs = done.map(({ cell, experiment: x, summary }): WormRun => {
    const w = x.population.wiring?.[0];
    if (x.env?.name !== 'chemotaxis' || w?.kind !== 'connectome' || x.run.replicas !== 1) {
      throw new UsageError(`collect.report 'worm-chemotaxis': cell ${cell.id} is not one replica of a chemotaxis run with a connectome wiring (hedonist reproduce worm-chemotaxis's sweep)`);
    }
    if (episodes !== undefined && x.run.episodes !== episodes) throw new UsageError(`collect.report 'worm-chemotaxis': the cells differ in run.episodes (${episodes} vs ${x.run.episodes})`);
    episodes = x.run.episodes;
    if (k > episodes) throw new UsageError(`collect.evalEpisodes (${k}) exceeds the cells' run.episodes (${episodes})`);
    const variant = (w.variant ?? 'connectome') as ConnectomeVariant;
    if (!variants.includes(variant)) variants.push(variant);
    const returns = cellReturns(dir, cell);
    if (returns.length < episodes || returns.some((r) => r === undefined))
      throw new UsageError(`collect.report 'worm-chemotaxis': cell ${cell.id} logged ${returns.length} of its ${episodes} episodes`);
    return { variant, seed: x.run.seed, untrained: scoreReturns(returns, k, 'first'), trained: scoreReturns(returns, k, 'last'), wallSeconds: summary.wallSeconds ?? 0 };
  });
  return wormComparisonOf(runs, variants, episodes!, k);
}

/** comparison.json and comparison.md in the sweep directory (as the in-process command writes them), once every cell is done. */
export function writeWormComparisonReport(dir: SweepDir): string[] {
  const c = wormComparisonFromSweep(dir);
  return c ? writePaperTable(dir, 'comparison', c, wormComparisonMarkdown(c)) : [];
}
