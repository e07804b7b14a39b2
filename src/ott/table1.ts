/** Reproduction of Table 1 of Ott (2020): trials to a 100-episode mean of 300 on CartPole. */
import { ottPaperConfig, type OttConfig, type OttRewardMode } from './config.ts';
import { trainOttCartpole, type OttHooks } from './trainer.ts';

/**
 * Table 1 of the paper: average trials (last episode index, 10 repeats) per reward mode and number
 * of hidden layers; 20000 = never solved within the cap. The code's results notebook prints 5976.7
 * for bio->all at 5 layers and 1727 / 1619 / 4983 for bio alone.
 */
export const OTT_PAPER_TABLE1: Readonly<Record<'all' | 'bio_then_all' | 'task', Readonly<Record<1 | 2 | 5, number>>>> =
  Object.freeze({
    all: Object.freeze({ 1: 1480, 2: 1910, 5: 4824 }),
    bio_then_all: Object.freeze({ 1: 1275, 2: 3718, 5: 4419 }),
    task: Object.freeze({ 1: 7691, 2: 20000, 5: 20000 }),
  });

export interface OttTable1Options {
  /** Repeats per cell (the paper: 10). */
  replicas: number;
  /** Hidden-layer counts (the paper: 1, 2, 5). */
  layers: number[];
  /** Reward modes (the paper: all, bio_then_all, task). */
  rewards: OttRewardMode[];
  /** Base seed; each cell uses seed + a cell offset so cells are independent. */
  seed?: number;
  /** Any other config fields (e.g. maxEpisodes for a shorter run). */
  overrides?: Partial<OttConfig>;
}

export interface OttTable1Row {
  reward: OttRewardMode;
  layers: number;
  replicas: number;
  trialsMean: number;
  trialsStd: number;
  /** The paper's Table 1 value for this cell, null where it has none. */
  paperTrials: number | null;
  firstAboveMean: number | null;
  firstAboveStd: number | null;
  crossedCount: number;
  solvedCount: number;
  trials: number[];
  firstAbove: (number | null)[];
  wallSeconds: number;
}

/** Run every (reward, layers) cell with `replicas` repeats and put the paper's numbers beside them. */
export async function reproduceOttTable1(
  opts: OttTable1Options,
  hooks: OttHooks & { onCell?(row: OttTable1Row): void } = {},
): Promise<OttTable1Row[]> {
  const rows: OttTable1Row[] = [];
  let cell = 0;
  for (const reward of opts.rewards) {
    for (const layers of opts.layers) {
      const cfg = ottPaperConfig(layers, reward, {
        ...opts.overrides,
        replicas: opts.replicas,
        seed: ((opts.seed ?? 0) + 1000 * cell++) >>> 0,
      });
      const s = await trainOttCartpole(cfg, hooks);
      const table = OTT_PAPER_TABLE1[reward as keyof typeof OTT_PAPER_TABLE1] as Record<number, number> | undefined;
      const row: OttTable1Row = {
        reward,
        layers,
        replicas: opts.replicas,
        trialsMean: s.trialsMean,
        trialsStd: s.trialsStd,
        paperTrials: table?.[layers] ?? null,
        firstAboveMean: s.firstAboveMean,
        firstAboveStd: s.firstAboveStd,
        crossedCount: s.crossedCount,
        solvedCount: s.solvedCount,
        trials: s.replicas.map((x) => x.trials),
        firstAbove: s.replicas.map((x) => x.firstAboveThreshold),
        wallSeconds: s.wallSeconds,
      };
      rows.push(row);
      hooks.onCell?.(row);
    }
  }
  return rows;
}
