/**
 * Reproductions: Table 1 (every rule on every task, beside the paper's numbers) and the
 * multiplexer scaling experiment (Fig. 3/4: 64M-32M hidden units), plus a sparse fan-in variant
 * for networks far larger than the paper's.
 */
import { CHUNG_PRESETS, CHUNG_CODE_TABLE1, CHUNG_TABLE1, CHUNG_TASKS, chungPreset, type ChungConfig, type ChungRule, type ChungTask } from './config.ts';
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

/** A Table 1 row: a cell's summary beside the paper's and the public code's numbers. */
export function chungTable1Row(row: ChungTableRow, task: ChungTask, cfg: ChungConfig, s: Pick<ChungSummary, 'meanReturn' | 'stdReturn' | 'wallSeconds'>): ChungTable1Row {
  const paper = CHUNG_TABLE1[row]?.[task] ?? null;
  const code = CHUNG_CODE_TABLE1[row]?.[task];
  return {
    row,
    task,
    mean: s.meanReturn,
    std: s.stdReturn,
    paperMean: paper ? paper[0] : null,
    paperStd: paper ? paper[1] : null,
    code: code ? { mean: code[0], std: code[1], runs: code[2] } : null,
    episodes: cfg.episodes,
    replicas: cfg.replicas,
    comparable: cfg.episodes === CHUNG_PRESETS[task].episodes,
    wallSeconds: s.wallSeconds,
  };
}

/** Runs the requested cells of Table 1 and returns them beside the paper's numbers. */
export async function reproduceChungTable1(o: Table1Options = {}): Promise<ChungTable1Row[]> {
  const rows: ChungTable1Row[] = [];
  for (const task of o.tasks ?? ['multiplexer', 'cartpole', 'acrobot', 'lunarlander']) {
    for (const row of o.rows ?? CHUNG_TABLE_ROWS) {
      const cfg = table1Config(row, task, o);
      if (!cfg) continue;
      const s = await trainChung(cfg, o.hooks, o.train);
      const out = chungTable1Row(row, task, cfg, s);
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

/** The config of one dense scaling run: the multiplexer with 64M-32M hidden units, trained by `rule`. */
export function scalingConfig(M: number, rule: ChungRule, o: Omit<ScalingOptions, 'M' | 'rules'>): ChungConfig {
  return chungPreset('multiplexer', {
    rule,
    hidden: [Math.max(1, Math.round(64 * M)), Math.max(1, Math.round(32 * M))],
    fanIn: o.fanIn ?? 0,
    episodes: o.episodes,
    replicas: o.replicas ?? 1,
    seed: o.seed ?? 1,
    ...o.overrides,
  });
}

/** A scaling row from a run's summary (M = 0: the sparse million network; its hidden sizes and fan-in from the summary). */
export function scalingRow(
  M: number,
  rule: ChungRule,
  s: Pick<ChungSummary, 'hidden' | 'fanIn' | 'meanReturn' | 'stdReturn' | 'finalMeanReturn' | 'episodes' | 'replicas' | 'wallSeconds'>,
): ScalingRow {
  return {
    M,
    rule,
    hidden: [...s.hidden],
    hiddenUnits: s.hidden.reduce((a, b) => a + b, 0),
    fanIn: s.fanIn,
    mean: s.meanReturn,
    std: s.stdReturn,
    finalMean: s.finalMeanReturn,
    episodes: s.episodes,
    replicas: s.replicas,
    wallSeconds: s.wallSeconds,
    msPerEpisode: (s.wallSeconds * 1000) / s.episodes,
  };
}

/** scaling.csv: one line per run, the backend it ran on last. */
export function scalingCsv(rows: readonly ScalingRow[], backend: string): string {
  return (
    [
      'M,rule,hidden1,hidden2,fanIn,mean,std,finalMean,episodes,replicas,wallSeconds,msPerEpisode,backend',
      ...rows.map((r) => [r.M, r.rule, r.hidden[0], r.hidden[1], r.fanIn, r.mean, r.std, r.finalMean, r.episodes, r.replicas, r.wallSeconds, r.msPerEpisode, backend].join(',')),
    ].join('\n') + '\n'
  );
}

/** The scaling table as the command prints it. */
export function scalingText(rows: readonly ScalingRow[]): string {
  return [
    'M       rule        hidden         mean    std    last10%  episodes x R   ms/episode',
    ...rows.map(
      (x) =>
        `${String(x.M || 'sparse').padEnd(8)}${x.rule.padEnd(12)}${x.hidden.join('-').padEnd(15)}${x.mean.toFixed(3).padStart(6)} ${x.std.toFixed(3).padStart(6)} ${x.finalMean.toFixed(3).padStart(8)}  ${`${x.episodes} x ${x.replicas}`.padEnd(13)}${x.msPerEpisode.toFixed(1).padStart(10)}`,
    ),
  ].join('\n');
}

/** Multiplexer with 64M-32M hidden units for each M and rule (paper Fig. 3/4), through the core (weight-max on env multiplexer). */
export async function runChungScaling(o: ScalingOptions): Promise<ScalingRow[]> {
  const out: ScalingRow[] = [];
  for (const M of o.M) {
    for (const rule of o.rules ?? ['weightmax', 'reinforce', 'backprop']) {
      const cfg = scalingConfig(M, rule, o);
      const row = scalingRow(M, rule, await trainChung(cfg, o.hooks, o.train));
      o.onRun?.(row);
      out.push(row);
    }
  }
  return out;
}

const fmt = (x: number | null, d = 2) => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(d));

/** How a measured mean compares with a reference mean (std): better, within one reference std, or below. */
export function versus(mean: number, refMean: number | null, refStd: number | null): 'better' | 'within std' | 'below' | '-' {
  if (refMean === null || refStd === null) return '-';
  if (mean >= refMean) return 'better';
  return mean >= refMean - refStd ? 'within std' : 'below';
}

/** How a measured cell compares with the paper. */
export function versusPaper(r: Pick<ChungTable1Row, 'mean' | 'paperMean' | 'paperStd'>): 'better' | 'within std' | 'below' | '-' {
  return versus(r.mean, r.paperMean, r.paperStd);
}

/**
 * Table 1 as markdown: the paper's mean (std) and, where it was run here, the public code's beside
 * ours; cells not run at the paper's episode count are marked.
 */
export function chungTable1Markdown(rows: readonly ChungTable1Row[]): string {
  const lines = [
    '| rule | task | paper mean (std) | public code mean (std), runs | ours mean (std) | vs paper | vs code | episodes | replicas | wall s |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const d = r.task === 'multiplexer' ? 3 : 2;
    const paper = r.paperMean === null ? '-' : `${fmt(r.paperMean, d)} (${fmt(r.paperStd, d)})`;
    const code = r.code ? `${fmt(r.code.mean, d)} (${fmt(r.code.std, d)}), ${r.code.runs}` : '-';
    const ep = r.comparable ? String(r.episodes) : `${r.episodes}*`;
    const vsCode = r.code ? versus(r.mean, r.code.mean, r.code.std) : '-';
    lines.push(
      `| ${r.row} | ${r.task} | ${paper} | ${code} | ${fmt(r.mean, d)} (${fmt(r.std, d)}) | ${r.comparable ? versusPaper(r) : 'n/c'} | ${r.comparable ? vsCode : 'n/c'} | ${ep} | ${r.replicas} | ${r.wallSeconds.toFixed(0)} |`,
    );
  }
  if (rows.some((r) => !r.comparable)) {
    lines.push(
      '',
      `\\* not the paper's episode count (${CHUNG_TASKS.map((t) => `${t} ${CHUNG_PRESETS[t].episodes}`).join(', ')}): the metric is the mean return over all training episodes, so a shorter run is not comparable (n/c).`,
    );
  }
  if (rows.some((r) => r.code)) {
    lines.push('', "public code: the paper's repository (stephen-chung-mh/weight_max, config_mp.ini) run on this project's machine, numpy seeds 0..runs-1 (docs/chung.md).");
  }
  return lines.join('\n') + '\n';
}
