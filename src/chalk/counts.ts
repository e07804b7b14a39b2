/**
 * Example (a): the exact solver's entry point trainChalkCounts and its lambda sweep, and the
 * summaries (JSON-serialisable) of every solver. The sampled solvers run as experiments (rule
 * 'coding-cost', src/rules/coding-cost.ts) through the one loop; their summaries are built here.
 */
import { type PolicyAnalysis, policyByOthersCount } from './analysis.ts';
import { type ChalkCountsConfig, CHALK_COUNTS_SWEEP, mergeCountsConfig } from './config.ts';
import { type ExactSolution, solveExact } from './exact-solver.ts';
import { type ChalkProblem, countsProblem } from './problem.ts';
import type { SampledRun } from './sampling-learner.ts';
import { countLevelProblem, logisticPolicyTable } from './logistic-learner.ts';
import type { LogisticRun } from './logistic-learner.ts';

/** Options accepted by trainChalkCounts: any preset field, nested solver settings partial. */
export type ChalkCountsOptions = Parameters<typeof mergeCountsConfig>[0];

/** Summary of a trained example-(a) network. */
export interface ChalkCountsSummary {
  config: ChalkCountsConfig;
  solver: 'exact' | 'sampled';
  /** <r> under the stationary distribution of the final policy. */
  averageReward: number;
  /** Coding cost paid per step, nats and bits (mean over neurons of E KL(pi_i || p_i)). */
  codingCostNats: number;
  codingCostBits: number;
  /** <r> - lambda * coding cost. */
  objective: number;
  /** The solver's own gain estimate (equals objective at convergence). */
  gain: number;
  /** p_i(1) per neuron. */
  marginals: number[];
  /** P(count = k | x) per input label. */
  countDist: Record<string, number[]>;
  /** P(count = target(x) | x). */
  massOnTarget: Record<string, number>;
  /** Most likely count per input. */
  modeCount: Record<string, number>;
  /** Mean pi_i(1) by number of other active neurons, per input. */
  policyByOthersCount: Record<string, number[]>;
  converged: boolean;
  timeMs: number;
  /** Sampled solver only: chain-steps and empirical count histogram over the last steps. */
  chainSteps?: number;
  empiricalCountDist?: Record<string, number[]>;
}

/** Build the example-(a) problem from a config. */
export function countsProblemFromConfig(c: ChalkCountsConfig): ChalkProblem {
  return countsProblem({ neurons: c.neurons, targets: c.targets, reward: c.reward, switchProb: c.switchProb, pInputPlus: c.pInputPlus, update: c.update });
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** Turn an analysis into the per-input summary fields. */
export function summariseCounts(p: ChalkProblem, targets: readonly number[], a: PolicyAnalysis, piOne: Float64Array, lambda: number) {
  const byLabel = <T>(f: (x: number) => T): Record<string, T> => Object.fromEntries(p.inputLabels.map((l, x) => [l, f(x)]));
  const pbc = policyByOthersCount(p, piOne, a.nu);
  return {
    averageReward: round(a.averageReward),
    codingCostNats: round(a.costPerStep),
    codingCostBits: round(a.costPerStep / Math.LN2),
    objective: round(a.averageReward - lambda * a.costPerStep),
    marginals: Array.from(a.marginal, round),
    countDist: byLabel((x) => a.countDist[x]!.map(round)),
    massOnTarget: byLabel((x) => round(a.countDist[x]![targets[x]!]!)),
    modeCount: byLabel((x) => a.countDist[x]!.indexOf(Math.max(...a.countDist[x]!))),
    policyByOthersCount: byLabel((x) => pbc[x]!.map((v) => (Number.isNaN(v) ? -1 : round(v)))),
  };
}

/**
 * Train example (a) with the exact solver: N binary neurons with input x in {-1,+1}, rewarded for
 * `targets` active neurons, with coding-cost weight lambda. (The sampled solvers are experiments:
 * rule 'coding-cost' with solver 'sampled', trained by trainExperiment / `hedonist run`.)
 */
export function trainChalkCounts(options: ChalkCountsOptions = {}): ChalkCountsSummary & { piOne: number[] } {
  return solveChalkCounts(mergeCountsConfig(options)).summary;
}

/** The exact solve of a validated config: the summary, the problem and the solution (policy, analysis). */
export function solveChalkCounts(c: ChalkCountsConfig): { summary: ChalkCountsSummary & { piOne: number[] }; problem: ChalkProblem; solution: ExactSolution } {
  if (c.solver !== 'exact') throw new RangeError("trainChalkCounts runs the exact solver; the sampled solvers run as experiments (rule 'coding-cost', solver 'sampled')");
  const p = countsProblemFromConfig(c);
  const t0 = Date.now();
  const s = solveExact(p, c.lambda, c.exact);
  const summary = {
    config: c,
    solver: 'exact' as const,
    ...summariseCounts(p, c.targets, s.analysis, s.piOne, c.lambda),
    gain: round(s.gain),
    converged: s.converged,
    timeMs: Date.now() - t0,
    piOne: Array.from(s.piOne),
  };
  return { summary, problem: p, solution: s };
}

/** Summary of a sampled run of the tabular learner (either backend). */
export function sampledSummary(c: ChalkCountsConfig, p: ChalkProblem, run: SampledRun, t0: number): ChalkCountsSummary & { piOne: number[] } {
  return {
    config: c,
    solver: 'sampled',
    ...summariseCounts(p, c.targets, run.analysis, run.piOne, c.lambda),
    gain: round(run.gain),
    converged: true,
    timeMs: Date.now() - t0,
    chainSteps: run.chainSteps,
    empiricalCountDist: Object.fromEntries(p.inputLabels.map((l, x) => [l, run.empiricalCountDist[x]!.map(round)])),
    piOne: Array.from(run.piOne),
  };
}

/** One row of a reward-vs-coding-cost sweep. */
export interface SweepRow {
  lambda: number;
  averageReward: number;
  codingCostBits: number;
  objective: number;
  /** Mean over inputs of P(count = target | x) (counts) or decoding accuracy (pixels). */
  performance: number;
  marginals: number[];
}

/** Example-(a) lambda sweep (exact solver unless options.solver says otherwise). */
export function chalkCountsSweep(lambdas: readonly number[] = CHALK_COUNTS_SWEEP, options: ChalkCountsOptions = {}): SweepRow[] {
  return lambdas.map((lambda) => {
    const s = trainChalkCounts({ ...options, lambda });
    const m = Object.values(s.massOnTarget);
    return {
      lambda,
      averageReward: s.averageReward,
      codingCostBits: s.codingCostBits,
      objective: s.objective,
      performance: round(m.reduce((a, b) => a + b, 0) / m.length),
      marginals: s.marginals,
    };
  });
}

/** The count-level problem of a logistic-policy config. */
export function logisticProblemFromConfig(c: ChalkCountsConfig) {
  return countLevelProblem({ neurons: c.neurons, targets: c.targets, reward: c.reward, switchProb: c.switchProb, pInputPlus: c.pInputPlus, update: c.update });
}

/**
 * Summary of a run of the logistic (count-feature) learner at any N (either backend): empirical
 * count distribution, reward and coding cost from the chains; for N <= 12 also the exact analysis
 * of the learned policy. nearTarget = P(|count - target| <= max(0, round(N / 32)) | x).
 */
export function logisticSummary(c: ChalkCountsConfig, run: LogisticRun, t0: number): ChalkCountsSummary & { piOne: number[]; nearTarget: Record<string, number> } {
  const n = c.neurons;
  const lp = run.state.problem;
  const labels = lp.inputLabels;
  const byLabel = <T>(f: (x: number) => T): Record<string, T> => Object.fromEntries(labels.map((l, x) => [l, f(x)]));
  const band = Math.round(n / 32);
  const near = (x: number) => {
    let m = 0;
    for (let k = Math.max(0, c.targets[x]! - band); k <= Math.min(n, c.targets[x]! + band); k++) m += run.countDist[x]![k]!;
    return round(m);
  };
  const base = {
    config: c,
    solver: 'sampled' as const,
    averageReward: round(run.averageReward),
    codingCostNats: round(run.codingCostNats),
    codingCostBits: round(run.codingCostNats / Math.LN2),
    objective: round(run.averageReward - c.lambda * run.codingCostNats),
    gain: round(run.gain),
    marginals: Array.from(run.state.marginal, round),
    countDist: byLabel((x) => run.countDist[x]!.map(round)),
    massOnTarget: byLabel((x) => round(run.countDist[x]![c.targets[x]!]!)),
    modeCount: byLabel((x) => run.countDist[x]!.indexOf(Math.max(...run.countDist[x]!))),
    policyByOthersCount: byLabel((x) => Array.from({ length: Math.min(n, 64) }, (_, k) => round(run.policyByOthers(Math.round((k * (n - 1)) / Math.max(1, Math.min(n, 64) - 1)), x)))),
    converged: true,
    timeMs: 0,
    chainSteps: run.chainSteps,
    empiricalCountDist: byLabel((x) => run.countDist[x]!.map(round)),
    nearTarget: byLabel(near),
  };
  let piOne: number[] = [];
  if (n <= 12) {
    const tab = logisticPolicyTable(run.state);
    piOne = Array.from(tab.piOne);
    Object.assign(base, summariseCounts(tab.problem, c.targets, tab.analysis, tab.piOne, c.lambda));
  }
  return { ...base, timeMs: Date.now() - t0, piOne };
}
