/**
 * Reproductions: Table 1 (every rule on every task, beside the paper's numbers) and the
 * multiplexer scaling experiment (Fig. 3/4: 64M-32M hidden units), plus a sparse fan-in variant
 * for networks far larger than the paper's.
 */
import { CHUNG_PRESETS, CHUNG_CODE_TABLE1, CHUNG_TABLE1, chungPreset, type ChungConfig, type ChungRule, type ChungTask } from './config.ts';
import { trainChung, type ChungHooks, type ChungSummary, type ChungTrainOptions } from './trainer.ts';

/** Table 1 row keys: a rule, or 'weightmax+traces' (Weight Max with the code-form traces). */
export type ChungTableRow = ChungRule | 'weightmax+traces';
/** The rows of Chung (2022) Table 1: the learning rules compared. */
export const CHUNG_TABLE_ROWS: readonly ChungTableRow[] = ['weightmax', 'weightmax+traces', 'reinforce', 'thomas', 'ste', 'backprop'];

/** What reproduceChungTable1 runs: which tasks and rules, how many runs, on which backend. */
export interface Table1Options {
  /** Tasks (columns) to run; default all four. */
  tasks?: ChungTask[];
  /** Rows to run; default all six. */
  rows?: ChungTableRow[];
  /** Runs per cell (the paper: 10). */
  replicas?: number;
  /** Episodes per run; default the paper's per-task count. Fewer episodes give a smaller area under the curve, not comparable with the paper. */
  episodes?: Partial<Record<ChungTask, number>>;
  seed?: number;
  /** Extra overrides applied to every cell. */
  overrides?: Partial<ChungConfig>;
  /** Called when a cell finishes. */
  onCell?(row: ChungTable1Row): void;
  hooks?: ChungHooks;
  /** Where the CartPole, Acrobot and LunarLander cells run (the core's backends; default the CPU twins). */
  train?: ChungTrainOptions;
}

/** One cell of Chung (2022) Table 1 as reproduced (area under the learning curve), beside the paper's. */
export interface ChungTable1Row {
  row: ChungTableRow;
  task: ChungTask;
  mean: number;
  std: number;
  paperMean: number | null;
  paperStd: number | null;
  /** The public code run here (CHUNG_CODE_TABLE1), where it was: mean, std and runs. */
  code?: { mean: number; std: number; runs: number } | null;
  episodes: number;
  replicas: number;
  /** True when the run used the paper's episode count (only then is the mean comparable). */
  comparable: boolean;
  wallSeconds: number;
}

/**
 * Config of one Table 1 cell (null for cells the paper leaves empty: traces on the multiplexer).
 * The paper: "In all baselines, the output unit was trained by REINFORCE, and we used eligibility
 * traces", so the four baseline rows run with the code-form traces on the multi-step tasks.
 */
export function table1Config(row: ChungTableRow, task: ChungTask, o: Table1Options = {}): ChungConfig | null {
  if (row === 'weightmax+traces' && task === 'multiplexer') return null;
  return chungPreset(task, {
    rule: row === 'weightmax+traces' ? 'weightmax' : row,
    traces: task !== 'multiplexer' && row !== 'weightmax',
    replicas: o.replicas ?? 10,
    episodes: o.episodes?.[task] ?? CHUNG_PRESETS[task].episodes,
    seed: o.seed ?? 1,
    ...o.overrides,
  });
}

/** Runs the requested cells of Table 1 and returns them beside the paper's numbers. */
export async function reproduceChungTable1(o: Table1Options = {}): Promise<ChungTable1Row[]> {
  const rows: ChungTable1Row[] = [];
  for (const task of o.tasks ?? ['multiplexer', 'cartpole', 'acrobot', 'lunarlander']) {
    for (const row of o.rows ?? CHUNG_TABLE_ROWS) {
      const cfg = table1Config(row, task, o);
      if (!cfg) continue;
      const s = await trainChung(cfg, o.hooks, o.train);
      const paper = CHUNG_TABLE1[row]?.[task] ?? null;
      const code = CHUNG_CODE_TABLE1[row]?.[task];
      const out: ChungTable1Row = {
        row, task, mean: s.meanReturn, std: s.stdReturn,
        paperMean: paper ? paper[0] : null, paperStd: paper ? paper[1] : null,
        code: code ? { mean: code[0], std: code[1], runs: code[2] } : null,
        episodes: cfg.episodes, replicas: cfg.replicas,
        comparable: cfg.episodes === CHUNG_PRESETS[task].episodes, wallSeconds: s.wallSeconds,
      };
      o.onCell?.(out);
      rows.push(out);
    }
  }
  return rows;
}

/** What runChungScaling runs: the width multipliers and rules of the scaling experiment. */
export interface ScalingOptions {
  /** Width multipliers: hidden layers are [round(64 M), round(32 M)] (the paper: M from 1/4 up). */
  M: number[];
  rules?: ChungRule[];
  /** Episodes per run (the paper: 800k). */
  episodes: number;
  replicas?: number;
  seed?: number;
  /** Presynaptic units per hidden unit; 0 = dense (the paper). */
  fanIn?: number;
  overrides?: Partial<ChungConfig>;
  onRun?(row: ScalingRow): void;
  hooks?: ChungHooks;
  /** Where the cells run (the core's backends; default the CPU twins). */
  train?: ChungTrainOptions;
}

/** One run of the scaling experiment: width multiplier, rule and its result. */
export interface ScalingRow {
  M: number;
  rule: ChungRule;
  hidden: number[];
  hiddenUnits: number;
  fanIn: number;
  mean: number;
  std: number;
  finalMean: number;
  episodes: number;
  replicas: number;
  wallSeconds: number;
  /** Wall time per episode (all replicas together). */
  msPerEpisode: number;
}

/** Multiplexer with 64M-32M hidden units for each M and rule (paper Fig. 3/4), through the core (weight-max on env multiplexer). */
export async function runChungScaling(o: ScalingOptions): Promise<ScalingRow[]> {
  const out: ScalingRow[] = [];
  for (const M of o.M) {
    const hidden = [Math.max(1, Math.round(64 * M)), Math.max(1, Math.round(32 * M))];
    for (const rule of o.rules ?? ['weightmax', 'reinforce', 'backprop']) {
      const cfg = chungPreset('multiplexer', {
        rule, hidden, fanIn: o.fanIn ?? 0, episodes: o.episodes, replicas: o.replicas ?? 1, seed: o.seed ?? 1, ...o.overrides,
      });
      const s: ChungSummary = await trainChung(cfg, o.hooks, o.train);
      const row: ScalingRow = {
        M, rule, hidden, hiddenUnits: hidden[0]! + hidden[1]!, fanIn: cfg.fanIn,
        mean: s.meanReturn, std: s.stdReturn, finalMean: s.finalMeanReturn,
        episodes: cfg.episodes, replicas: cfg.replicas, wallSeconds: s.wallSeconds,
        msPerEpisode: (s.wallSeconds * 1000) / cfg.episodes,
      };
      o.onRun?.(row);
      out.push(row);
    }
  }
  return out;
}
