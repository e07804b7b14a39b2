/**
 * The coding-cost rule (Chalk et al., docs/chalk.md): binary neuron-agents share a reward on the
 * network state and each pays lambda x its coding cost KL(pi_i || p_i). The rule brings its own task
 * (no env): the counts problem (example (a)) or the pixels problem (example (b)).
 *
 * Solvers as models:
 *   sampled, tabular  — one step = one iteration of the parallel-chain sampling learner:
 *                       chalk-chain (per chain) -> chalk-critic -> chalk-learn -> clock-tick
 *   sampled, logistic — one step = one iteration of the count-feature learner:
 *                       chalk-fa-chain -> chalk-fa-critic -> chalk-fa-learn -> clock-tick
 *   exact (counts, pixels) — the enumerated solver has no steps: a program of none, solved when the
 *                       run is summarised (CPU, f64 library code: src/chalk/exact-solver.ts).
 * Sampled runs have a fixed budget (`steps`); the loop cuts the last chunk to it on both backends.
 * Metrics: per chunk {step, charts/gain, charts/mean_marginal} (a window of the model buffer: the
 * marginals and the gain), then the final record; the summary is built from the final buffers.
 * The critic sums TD errors over chains in a fixed order (ascending chain) on both backends.
 */
import { type ChalkCountsConfig, type ChalkPixelsConfig, CHALK_COUNTS_PRESET, CHALK_PIXELS_PRESET, mergeCountsConfig, mergePixelsConfig } from '../chalk/config.ts';
import { type ChalkCountsSummary, countsProblemFromConfig, logisticProblemFromConfig, logisticSummary, sampledSummary, solveChalkCounts } from '../chalk/counts.ts';
import { problemBuffer } from '../chalk/dynamics.ts';
import { reproduceFromTrained, type ReproduceOptions, type ReproduceSummary } from '../chalk/reproduce.ts';
import { initialLogisticBuffers, logisticLayout, logisticPolicyTable, logisticView, summariseLogistic, type LogisticRun } from '../chalk/logistic-learner.ts';
import type { PolicyAnalysis } from '../chalk/analysis.ts';
import { type ChalkPixelsSummary, solveChalkPixels } from '../chalk/pixels.ts';
import type { ChalkProblem } from '../chalk/problem.ts';
import { initialSamplerBuffers, learnerView, sampledRun, samplerLayout, type SampledRun } from '../chalk/sampling-learner.ts';
import { ConfigError } from '../config/validate.ts';
import type { Experiment } from '../experiment/schema.ts';
import { CHALK_CHAIN, CHALK_CRITIC, CHALK_LEARN, type ChalkSamplerLayout } from '../kernels/chalk.ts';
import { CHALK_FA_CHAIN, CHALK_FA_CRITIC, CHALK_FA_LEARN, type ChalkFaLayout } from '../kernels/chalk-fa.ts';
import { CLOCK_TICK } from '../kernels/clock.ts';
import type { HostArray, KernelDef } from '../run/kernel-def.ts';
import type { MetricsDecoder, MetricsRecord, Model } from '../run/model.ts';
import type { BufferDecl, StepProgram } from '../run/program.ts';

export type CodingCostExperiment = Experiment & { rule: { name: 'coding-cost' } };

/** What a coding-cost run reports (summary.json): the counts (with rule.reproduce: its analysis) or the pixels summary. */
export type CodingCostSummary = (ChalkCountsSummary & { reproduction?: ReproduceSummary }) | ChalkPixelsSummary;

/** The trained network behind a summary, for analyses that need more than JSON (spike trains, reproduction). */
export interface CodingCostTrained {
  /** The counts config (absent for pixels). */
  config?: ChalkCountsConfig;
  /** The enumerated problem and the policy table over views (N <= 12; absent otherwise). */
  problem?: ChalkProblem;
  piOne?: Float64Array;
  analysis?: PolicyAnalysis;
  /** The learner's final state and statistics (sampled solvers). */
  sampled?: SampledRun;
  logistic?: LogisticRun;
}

/** A coding-cost model: after `summarise`, `trained` holds the policy table and the learner's state. */
export interface CodingCostModel extends Model<CodingCostSummary> {
  trained?: CodingCostTrained;
}

const rangeToConfig = <T>(f: () => T): T => {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError && !(e instanceof ConfigError)) throw new ConfigError('rule', e.message);
    throw e;
  }
};

/** The counts config an experiment describes (validated: errors name the field and its range). */
export function codingCostCountsConfig(x: CodingCostExperiment): ChalkCountsConfig {
  const r = x.rule;
  const t = r.task;
  if (t.name !== 'counts') throw new ConfigError('rule.task.name', `rule.task.name is '${t.name}', not 'counts'`);
  const n = t.neurons;
  return rangeToConfig(() =>
    mergeCountsConfig({
      neurons: n,
      lambda: r.lambda ?? CHALK_COUNTS_PRESET.lambda,
      targets: t.targets ?? [Math.round(n / 4), Math.round((3 * n) / 4)],
      reward: t.reward,
      switchProb: t.switchProb,
      pInputPlus: t.pInputPlus,
      update: t.update,
      solver: r.solver,
      policy: r.policy,
      seed: x.run.seed,
      ...(r.exact ? { exact: r.exact } : {}),
      ...(r.sampled ? { sampled: r.sampled } : {}),
      ...(r.logistic ? { logistic: r.logistic } : {}),
    }),
  );
}

/** The pixels config an experiment describes. */
export function codingCostPixelsConfig(x: CodingCostExperiment): ChalkPixelsConfig {
  const r = x.rule;
  const t = r.task;
  if (t.name !== 'pixels') throw new ConfigError('rule.task.name', `rule.task.name is '${t.name}', not 'pixels'`);
  if (r.solver !== 'exact') throw new ConfigError('rule.solver', "rule.solver must be 'exact' with task 'pixels' (the decoder reward is re-derived from the exact stationary distribution)");
  const { name: _n, ...task } = t;
  return rangeToConfig(() => mergePixelsConfig({ ...task, lambda: r.lambda ?? CHALK_PIXELS_PRESET.lambda, seed: x.run.seed, ...(r.exact ? { exact: r.exact } : {}) }));
}

const countsFinal = (s: ChalkCountsSummary): MetricsRecord => ({ final: true, averageReward: s.averageReward, codingCostBits: s.codingCostBits, massOnTarget: s.massOnTarget });

/** An exact solver as a model: no steps, a one-word metrics buffer nobody reads, solved at summarise. */
class NoSteps implements MetricsDecoder {
  readonly done = true;
  ingest(): void {}
  progress() {
    return { done: 1, total: 1, unit: 'solves' };
  }
  save(): unknown {
    return null;
  }
  load(): void {}
}
const NO_STEPS: StepProgram = { buffers: [{ name: 'metrics', type: 'u32', length: 1 }], reset: [], step: [], metrics: 'metrics' };

/**
 * Progress of a learner with a fixed budget: each readback holds [marginal: N | gain] after a chunk
 * (the loop's chunks are min(per, steps - done) steps), logged as {step, charts/gain, charts/mean_marginal}.
 */
export class LearnerProgress implements MetricsDecoder {
  step = 0;
  gain = 0;
  constructor(
    readonly steps: number,
    readonly per: number,
    readonly neurons: number,
  ) {}

  ingest(words: Uint32Array, emit: (r: MetricsRecord) => void): void {
    const v = new Float32Array(words.buffer, words.byteOffset, words.length);
    const n = this.neurons;
    this.step = Math.min(this.step + this.per, this.steps);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += v[i]!;
    this.gain = v[n]!;
    emit({ step: this.step, 'charts/gain': this.gain, 'charts/mean_marginal': sum / n });
  }

  get done(): boolean {
    return this.step >= this.steps;
  }

  progress() {
    return { done: this.step, total: this.steps, label: { gain: this.gain }, unit: 'steps' };
  }

  save(): unknown {
    return { step: this.step, gain: Number.isFinite(this.gain) ? this.gain : null };
  }

  load(s: unknown): void {
    const st = s as { step: number; gain: number | null };
    this.step = st.step;
    this.gain = st.gain ?? NaN;
  }
}

const clockBuffer = (): BufferDecl => ({ name: 'clock', type: 'u32', length: 4, init: new Uint32Array([1, 0, 0, 0]) });
const stepsDone = (state: Readonly<Record<string, HostArray>>) => state.clock![0]! - 1;

/**
 * A learner's step program: its buffers, then its three kernels (chain, critic, learn) over one
 * layout and binding map and the clock tick; the metrics are the n marginals and the gain at `margOffset` of the model.
 */
function learnerProgram<L>(buffers: BufferDecl[], kernels: readonly KernelDef<L>[], layout: L, bind: Record<string, string>, margOffset: number, n: number): StepProgram {
  return {
    buffers,
    reset: [],
    step: [...kernels.map((kernel) => ({ kernel, layout, bind })), { kernel: CLOCK_TICK, layout: {}, bind: { clock: 'clock' } }],
    metrics: { buffer: 'model', offset: margOffset, length: n + 1 },
  };
}

/** The tabular sampling learner as a step program (buffers: clock, problem, model, chain, td-delta, pi-one, hist). */
export function samplerProgram(problem: ChalkProblem, lambda: number, config: ChalkCountsConfig['sampled']): StepProgram {
  const L = samplerLayout(problem);
  const init = initialSamplerBuffers(problem, lambda, config);
  const R = config.chains;
  const n = problem.neurons;
  const layout: ChalkSamplerLayout = { problem, lambda, config };
  const bind = { clock: 'clock', problem: 'problem', model: 'model', chain: 'chain', tdDelta: 'td-delta', piOne: 'pi-one', hist: 'hist' };
  const buffers: BufferDecl[] = [
    clockBuffer(),
    { name: 'problem', type: 'f32', length: L.states + 2 * problem.inputs, init: problemBuffer(problem.reward, problem.inputPrior), constant: true },
    { name: 'model', type: 'f32', length: L.modelLength, init: init.model },
    { name: 'chain', type: 'u32', length: 3 * R, init: init.chain },
    { name: 'td-delta', type: 'f32', length: R, scratch: true },
    { name: 'pi-one', type: 'f32', length: R * n, scratch: true },
    { name: 'hist', type: 'u32', length: problem.inputs * (n + 1) },
  ];
  return learnerProgram(buffers, [CHALK_CHAIN, CHALK_CRITIC, CHALK_LEARN], layout, bind, L.margOffset, n);
}

/** The logistic learner as a step program (buffers: clock, problem, model, chain, spk, work, hist). */
export function logisticProgram(c: ChalkCountsConfig): StepProgram {
  const problem = logisticProblemFromConfig(c);
  const config = c.logistic;
  const L = logisticLayout(problem, config);
  const init = initialLogisticBuffers(problem, c.lambda, config);
  const R = config.chains;
  const n = problem.neurons;
  const layout: ChalkFaLayout = { problem, lambda: c.lambda, config };
  const bind = { clock: 'clock', problem: 'problem', model: 'model', chain: 'chain', spk: 'spk', scratch: 'work', hist: 'hist' };
  const buffers: BufferDecl[] = [
    clockBuffer(),
    { name: 'problem', type: 'f32', length: problem.inputs * (n + 1) + 2 * problem.inputs, init: problemBuffer(problem.rewardByCount, problem.inputPrior), constant: true },
    { name: 'model', type: 'f32', length: L.modelLength, init: init.model },
    { name: 'chain', type: 'u32', length: 4 * R, init: init.chain },
    { name: 'spk', type: 'u32', length: R * n },
    // [piOne | err | tdDelta] are rewritten every step; the reward / cost sums after them accumulate: state.
    { name: 'work', type: 'f32', length: L.workLength },
    { name: 'hist', type: 'u32', length: problem.inputs * (n + 1) },
  ];
  return learnerProgram(buffers, [CHALK_FA_CHAIN, CHALK_FA_CRITIC, CHALK_FA_LEARN], layout, bind, L.margOffset, n);
}

/** A solver with no steps (exact, pixels): `solve` does the whole work when the loop asks for the summary. */
function stepFreeModel(solve: (m: CodingCostModel) => CodingCostSummary, finalRecords: (s: CodingCostSummary) => MetricsRecord[]): CodingCostModel {
  const m: CodingCostModel = { kind: 'coding-cost', program: NO_STEPS, decoder: new NoSteps(), stepsPerChunk: 1, stepLimit: 0, summarise: () => solve(m), finalRecords };
  return m;
}

/** The exact counts solve; with `reproduce`, Chalk (a)'s analysis of the solved network in summary.reproduction. */
function exactCountsModel(c: ChalkCountsConfig, reproduce?: ReproduceOptions): CodingCostModel {
  return stepFreeModel(
    (m) => {
      const t0 = Date.now();
      const { summary, problem, solution } = solveChalkCounts(c);
      const { piOne: _p, ...rest } = summary;
      const trained = { config: c, problem, piOne: solution.piOne, analysis: solution.analysis };
      m.trained = trained;
      return reproduce ? { ...rest, reproduction: reproduceFromTrained(trained, reproduce, t0) } : rest;
    },
    (s) => [countsFinal(s as ChalkCountsSummary)],
  );
}

function pixelsModel(c: ChalkPixelsConfig): CodingCostModel {
  return stepFreeModel(
    (m) => {
      const { summary, problem, piOne, analysis } = solveChalkPixels(c);
      m.trained = { problem, piOne, analysis };
      return summary;
    },
    (s) => {
      const p = s as ChalkPixelsSummary;
      return [{ final: true, informationBits: p.informationBits, codingCostBits: p.codingCostBits, decodingAccuracy: p.decodingAccuracy }];
    },
  );
}

function sampledModel(c: ChalkCountsConfig, per: number): CodingCostModel {
  const p = countsProblemFromConfig(c);
  const cfg = c.sampled;
  const t0 = Date.now();
  const m: CodingCostModel = {
    kind: 'coding-cost',
    program: samplerProgram(p, c.lambda, cfg),
    decoder: new LearnerProgress(cfg.steps, per, p.neurons),
    stepsPerChunk: per,
    stepLimit: cfg.steps,
    summarise(state) {
      const st = learnerView(p, c.lambda, cfg, { model: state.model as Float32Array, chain: state.chain as Uint32Array });
      const run = sampledRun(st, state.hist as Uint32Array, stepsDone(state));
      const { piOne: _p, ...summary } = sampledSummary(c, p, run, t0);
      m.trained = { config: c, problem: p, piOne: run.piOne, analysis: run.analysis, sampled: run };
      return summary;
    },
    finalRecords: (s) => [countsFinal(s as ChalkCountsSummary)],
  };
  return m;
}

function logisticModel(c: ChalkCountsConfig, per: number): CodingCostModel {
  const cfg = c.logistic;
  const t0 = Date.now();
  const m: CodingCostModel = {
    kind: 'coding-cost',
    program: logisticProgram(c),
    decoder: new LearnerProgress(cfg.steps, per, c.neurons),
    stepsPerChunk: per,
    stepLimit: cfg.steps,
    summarise(state) {
      const st = logisticView(logisticProblemFromConfig(c), c.lambda, cfg, {
        model: state.model as Float32Array,
        chain: state.chain as Uint32Array,
        spk: state.spk as Uint32Array,
        work: state.work as Float32Array,
        hist: state.hist as Uint32Array,
      });
      const run = summariseLogistic(st);
      const { piOne: _p, ...summary } = logisticSummary(c, run, t0);
      m.trained = { config: c, logistic: run };
      if (c.neurons <= 12) {
        const tab = logisticPolicyTable(st);
        Object.assign(m.trained, { problem: tab.problem, piOne: tab.piOne, analysis: tab.analysis });
      }
      return summary;
    },
    finalRecords: (s) => [countsFinal(s as ChalkCountsSummary)],
  };
  return m;
}

/** Compose a coding-cost experiment into a model (no env: the rule brings its task). */
export function buildCodingCost(x: CodingCostExperiment): CodingCostModel {
  if (x.rule.task.name === 'pixels') {
    if (x.rule.reproduce) throw new ConfigError('rule.reproduce', "rule.reproduce analyses example (a): it needs rule.task.name 'counts'");
    return pixelsModel(codingCostPixelsConfig(x));
  }
  const c = codingCostCountsConfig(x);
  const reproduce = x.rule.reproduce;
  if (reproduce && (c.solver !== 'exact' || c.policy !== 'tabular'))
    throw new ConfigError('rule.reproduce', "rule.reproduce analyses an exact solve: it needs rule.solver 'exact' and rule.policy 'tabular' (task counts)");
  if (c.solver === 'exact') return exactCountsModel(c, reproduce);
  return c.policy === 'logistic' ? logisticModel(c, x.run.stepsPerChunk) : sampledModel(c, x.run.stepsPerChunk);
}

const fmt = (v: number, d = 3) => v.toFixed(d);
const dist = (row: number[]) => row.map((v) => fmt(v, 2)).join(' ');

/** Human-readable lines of a coding-cost run (the `hedonist run` and `train chalk-*` output). */
export function formatCodingCost(r: Record<string, unknown>): string {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const s = r as Record<string, any>;
  const stop = s.stopped ? ` — stopped by ${s.signal ?? 'signal'} at step ${s.envSteps}` : '';
  const tail = `summary: ${s.runDir}/summary.json${s.checkpoint ? `; checkpoint: ${s.checkpoint} (--resume ${s.runDir})` : ''}`;
  if (s.informationBits !== undefined) {
    return [
      `chalk-pixels, lambda ${s.config.lambda}, pixel prob ${s.config.pixelProb}, ${(s.timeMs / 1000).toFixed(1)} s, converged ${s.converged}`,
      `I(y; sigma) ${fmt(s.informationBits)} bits, coding cost ${fmt(s.codingCostBits)} bits/step, decoding accuracy ${fmt(s.decodingAccuracy)}`,
      `marginals p_i(1): ${s.marginals.map((v: number) => fmt(v)).join(' ')}`,
      'tuning P(sigma_i = 1 | k pixels on), k = 0..P:',
      ...(s.tuning as number[][]).map((row, i) => `  neuron ${i}: ${dist(row)}`),
      tail,
    ].join('\n');
  }
  return [
    `chalk-counts, solver ${s.solver}${s.solver === 'sampled' ? ` on ${s.adapter}` : ''}, lambda ${s.config.lambda}, targets ${s.config.targets.join('/')}, ${(s.timeMs / 1000).toFixed(1)} s${stop}`,
    `<r> ${fmt(s.averageReward)}, coding cost ${fmt(s.codingCostBits)} bits/step, objective ${fmt(s.objective)}, gain ${fmt(s.gain)}`,
    ...Object.keys(s.countDist).map((x) => `x=${x}: P(count = target) ${fmt(s.massOnTarget[x])}, mode ${s.modeCount[x]}, P(count) ${dist(s.countDist[x])}`),
    ...(s.nearTarget
      ? [
          `P(|count - target| <= ${Math.round(s.config.neurons / 32)}): ${Object.entries(s.nearTarget)
            .map(([x, v]) => `x=${x} ${fmt(v as number)}`)
            .join(', ')}; ${fmt(s.timeMs / s.config.logistic.steps, 2)} ms/step`,
        ]
      : []),
    `marginals p_i(1): ${s.marginals.length > 16 ? `mean ${fmt(s.marginals.reduce((a: number, b: number) => a + b, 0) / s.marginals.length)} over ${s.marginals.length}` : s.marginals.map((v: number) => fmt(v, 3)).join(' ')}`,
    tail,
  ].join('\n');
}

/** The rule's registry entry (src/experiment/rules.ts). */
export const CODING_COST_RULE = {
  needsEnv: false,
  reads: [],
  build: (x: CodingCostExperiment): Model => buildCodingCost(x) as Model,
  format: formatCodingCost,
};
