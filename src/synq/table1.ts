/**
 * Reproduction of Bhargava et al. Table 1 (validation accuracy, synaptic RL vs gradient descent,
 * 0 and 32 hidden units) on MNIST instead of notMNIST, beside the paper's numbers.
 */
import { parseExperiment } from '../experiment/load.ts';
import type { Experiment } from '../experiment/schema.ts';
import { trainExperiment } from '../experiment/train.ts';
import type { GpuContext } from '../gpu/context.ts';
import type { MetricsRecord } from '../run/model.ts';
import { gdCodeIterations, MNIST_0HU_PRESET, mnistSplitSizes, type GdInit } from './config.ts';
import type { FailCheck } from './mnist-task.ts';
import { stats } from './synq-core.ts';

/** Paper Table 1 (notMNIST, 5 runs each; accuracies as fractions, runtimes in seconds). */
export const PAPER_TABLE1 = [
  { experiment: 'synrl-32hu', min: 0.8912, max: 0.8912, mean: 0.8845, std: 0.006, runtimeSeconds: 5.5 * 3600, params: 25_450 },
  { experiment: 'gd-32hu', min: 0.8857, max: 0.9, mean: 0.8956, std: 0.0052, runtimeSeconds: 20 * 60, params: 25_450 },
  { experiment: 'synrl-0hu', min: 0.8765, max: 0.8884, mean: 0.8828, std: 0.0041, runtimeSeconds: 1.5 * 3600, params: 7_850 },
  { experiment: 'gd-0hu', min: 0.8611, max: 0.8673, mean: 0.8642, std: 0.0022, runtimeSeconds: 5 * 60, params: 7_850 },
] as const;

/** Options of the reproduction; the iteration counts default to the paper's (hours on a CPU). */
export interface Table1Options {
  /** Runs per experiment (paper: 5). */
  replicas: number;
  /** Synaptic-RL iterations for 0 hidden units (paper: 200k). */
  iterations0?: number;
  /** Synaptic-RL iterations for 32 hidden units (paper: 500k). */
  iterations32?: number;
  /** GD steps (both sizes; default the authors' GD code's: gdCodeIterations). */
  gdIterations?: number;
  /** Which rows to run (default all four). */
  experiments?: ('synrl-32hu' | 'gd-32hu' | 'synrl-0hu' | 'gd-0hu')[];
  seed?: number;
  /** Settings of every synaptic-RL row. */
  synq?: { maxSamples?: number; evalEvery?: number };
  /** Settings of every GD row. */
  gd?: { maxSamples?: number; evalEvery?: number; init?: GdInit };
  /** Where the SynRL rows run (default the CPU twins) and the GD rows (default the CPU reference). */
  /** 'auto' (a sweep's cells): WebGPU on a hardware adapter, else the CPU. */
  backend?: 'cpu' | 'webgpu' | 'auto';
  gdBackend?: 'cpu' | 'webgpu' | 'auto';
  /** The WebGPU device, for rows on 'webgpu'. */
  ctx?: GpuContext;
  /** Called when a row starts. */
  onRow?: (experiment: string) => void;
  /** Every metrics record of the row's run, its budget added as `total` (before `replica`). */
  onRecord?: (experiment: string, m: MetricsRecord) => void;
}

/** One measured row beside the paper's. */
export interface Table1Row {
  experiment: string;
  params: number;
  iterations: number;
  validAccuracy: number[];
  /** Replicas that failed the code's start check (excluded from min/max/mean/std, as the code breaks out of them). */
  failed: boolean[];
  min: number;
  max: number;
  mean: number;
  std: number;
  /** Wall time of the whole row (all replicas batched) in seconds. */
  wallSeconds: number;
  paper: (typeof PAPER_TABLE1)[number];
}

/** The experiment of one row (synaptic-q on the golden table, or gd) and its budget. */
export function table1Experiment(o: Table1Options, row: (typeof PAPER_TABLE1)[number]['experiment']): { x: Experiment; iterations: number } {
  const hidden = row.endsWith('32hu') ? 32 : 0;
  const seed = o.seed ?? 1;
  if (row.startsWith('synrl')) {
    const iterations = (hidden ? o.iterations32 : o.iterations0) ?? (hidden ? 500_000 : 200_000);
    const x = parseExperiment({
      name: row,
      // A smaller training set (maxSamples) takes a minibatch no larger than itself.
      rule: {
        name: 'synaptic-q',
        task: {
          kind: 'mnist',
          hidden,
          ...(o.synq?.maxSamples
            ? { maxSamples: o.synq.maxSamples, batchSize: Math.max(1, Math.min(MNIST_0HU_PRESET.batchSize, mnistSplitSizes(MNIST_0HU_PRESET.validationFraction, o.synq.maxSamples).train)) }
            : {}),
        },
        policy: 'golden',
        iterations,
        ...(o.synq?.evalEvery ? { evalEvery: o.synq.evalEvery } : {}),
      },
      run: { seed, replicas: o.replicas, backend: o.backend ?? 'cpu' },
    });
    return { x, iterations };
  }
  const iterations = o.gdIterations ?? gdCodeIterations(hidden);
  const x = parseExperiment({
    name: row,
    rule: {
      name: 'gd',
      task: { kind: 'mnist', hidden, ...(o.gd?.maxSamples !== undefined ? { maxSamples: o.gd.maxSamples } : {}) },
      iterations,
      evalEvery: o.gd?.evalEvery ?? Math.max(1, Math.floor(iterations / 20)),
      ...(o.gd?.init ? { init: o.gd.init } : {}),
    },
    run: { seed, replicas: o.replicas, backend: o.gdBackend ?? 'cpu' },
  });
  return { x, iterations };
}

/** What a row's run reports (its summary) that the table needs. */
export interface Table1RunSummary {
  validAccuracy: number[];
  failCheck?: FailCheck | null;
}

/** The paper's row by name. */
export function paperRow(experiment: string): (typeof PAPER_TABLE1)[number] {
  const p = PAPER_TABLE1.find((x) => x.experiment === experiment);
  if (!p) throw new RangeError(`bhargava-table1: no row '${experiment}' (rows: ${PAPER_TABLE1.map((x) => x.experiment).join(', ')})`);
  return p;
}

/** A measured row from its run's summary, the paper's beside it. */
export function table1Row(experiment: string, iterations: number, s: Table1RunSummary, replicas: number, wallSeconds: number): Table1Row {
  const paper = paperRow(experiment);
  const acc = s.validAccuracy;
  const failed = s.failCheck?.failed ?? new Array<boolean>(replicas).fill(false);
  return { experiment, params: paper.params, iterations, validAccuracy: acc, failed, ...stats(acc.filter((_, k) => !failed[k])), wallSeconds, paper };
}

/** Runs the requested rows (each an experiment through the one loop) and returns them with the paper's values attached. */
export async function reproduceBhargavaTable1(o: Table1Options): Promise<{ dataset: 'mnist'; rows: Table1Row[] }> {
  const want = o.experiments ?? ['synrl-32hu', 'gd-32hu', 'synrl-0hu', 'gd-0hu'];
  const rows: Table1Row[] = [];
  for (const paper of PAPER_TABLE1) {
    if (!want.includes(paper.experiment)) continue;
    o.onRow?.(paper.experiment);
    const { x, iterations } = table1Experiment(o, paper.experiment);
    const t0 = performance.now();
    const r = await trainExperiment(x, {
      ctx: o.ctx,
      sink: {
        write(m) {
          if ('event' in m) return; // the start check: in the summary
          const { replica, ...rest } = m;
          o.onRecord?.(paper.experiment, { ...rest, total: iterations, replica: replica! });
        },
        flush: () => 0,
      },
    });
    rows.push(table1Row(paper.experiment, iterations, r.summary as Table1RunSummary, o.replicas, (performance.now() - t0) / 1000));
  }
  return { dataset: 'mnist', rows };
}

/** SynRL minus GD at one size: the paper's question in Table 1. */
export interface Table1Gap {
  hidden: 0 | 32;
  /** Mean SynRL accuracy minus mean GD accuracy (fractions), over each row's non-failed replicas. */
  gap: number;
  /** Mean over replicas of SynRL(r) - GD(r), same split each; null unless both rows have the same replicas and none failed. */
  pairedGap: number | null;
  /** The paper's (notMNIST) mean difference. */
  paperGap: number;
  /** |gap| <= 0.02 (the issue's "within 2 points"). */
  within2: boolean;
}

/** The SynRL - GD differences of the sizes for which both rows were run. */
export function table1Gaps(rows: Table1Row[]): Table1Gap[] {
  const out: Table1Gap[] = [];
  for (const hidden of [0, 32] as const) {
    const syn = rows.find((r) => r.experiment === `synrl-${hidden}hu`);
    const gd = rows.find((r) => r.experiment === `gd-${hidden}hu`);
    if (!syn || !gd) continue;
    const gap = syn.mean - gd.mean;
    const paired =
      syn.validAccuracy.length === gd.validAccuracy.length && !syn.failed.some(Boolean) ? syn.validAccuracy.reduce((a, v, r) => a + v - gd.validAccuracy[r], 0) / syn.validAccuracy.length : null;
    out.push({ hidden, gap, pairedGap: paired, paperGap: syn.paper.mean - gd.paper.mean, within2: Math.abs(gap) <= 0.02 });
  }
  return out;
}

/** The table (validation accuracy in %, ours beside the paper's) and the SynRL - GD gaps: table1.md, and what the command prints. */
export function bhargavaTable1Markdown(rows: readonly Table1Row[]): string {
  const pct = (x: number) => (100 * x).toFixed(2);
  const lines = [
    '| experiment | params | iterations | min | max | mean | std | failed | wall s | paper min | paper max | paper mean | paper std | paper runtime |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (x) =>
        `| ${x.experiment} | ${x.params} | ${x.iterations} | ${pct(x.min)} | ${pct(x.max)} | ${pct(x.mean)} | ${pct(x.std)} | ${x.failed.filter(Boolean).length}/${x.validAccuracy.length} | ${(x.wallSeconds / x.validAccuracy.length).toFixed(1)} | ${pct(x.paper.min)} | ${pct(x.paper.max)} | ${pct(x.paper.mean)} | ${pct(x.paper.std)} | ${(x.paper.runtimeSeconds / 60).toFixed(0)} min |`,
    ),
  ];
  const gaps = table1Gaps([...rows]).map((g) => {
    const pts = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)}`;
    return `SynRL - GD at ${g.hidden} HU: ${pts(g.gap)} points${g.pairedGap === null ? '' : ` (paired by replica: ${pts(g.pairedGap)})`}, ${g.within2 ? 'within' : 'not within'} 2 points; paper ${pts(g.paperGap)}`;
  });
  return [...lines, ...(gaps.length ? ['', ...gaps] : [])].join('\n') + '\n';
}
