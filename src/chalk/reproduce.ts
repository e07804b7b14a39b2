/**
 * reproduceChalk: example (a) end to end — train exactly, check the count targets are reached,
 * sample spike trains, recover the reward (error vs number of samples), and predict cell death
 * under the inferred reward (compared with the prediction under the true reward).
 */
import { totalVariation } from './analysis.ts';
import { predictCellDeath, type CellDeathPrediction } from './cell-death.ts';
import type { PolicyAnalysis } from './analysis.ts';
import { countsProblemFromConfig, summariseCounts } from './counts.ts';
import { type ChalkCountsConfig, mergeCountsConfig } from './config.ts';
import type { ChalkProblem } from './problem.ts';
import { simulate } from './dynamics.ts';
import { solveExact } from './exact-solver.ts';
import { inferReward } from './infer.ts';

/** Options of reproduceChalk. */
export interface ReproduceOptions {
  /** Coding-cost weight; large enough that off-target counts are visited (default 0.5). */
  lambda?: number;
  /** Spike-train lengths for the recovery curve (default [1e4, 1e5, 1e6]). */
  samples?: number[];
  /** Run the maximum-likelihood fit (slow: ~10 s) on the longest train (default true). */
  maxLikelihood?: boolean;
  /** Number of neurons killed for the cell-death prediction (default 2; the highest-index ones). */
  deadCount?: number;
  /** Seed of the spike trains. */
  seed?: number;
}

/** JSON summary of the reproduction. */
export interface ReproduceSummary {
  lambda: number;
  targets: [number, number];
  trained: ReturnType<typeof summariseCounts>;
  targetsReached: boolean;
  recovery: { samples: number; bellmanError: number; inferredTarget: Record<string, number> }[];
  maxLikelihood?: { samples: number; error: number; inferredTarget: Record<string, number> };
  targetsRecovered: boolean;
  cellDeath: CellDeathPrediction & {
    /** Reward used for re-optimisation: 'ml' (inferred, features) or 'bellman' (inferred table). */
    rewardSource: string;
    /** Same prediction under the true reward, and TV distance between the two count distributions. */
    countDistAfterTrueReward: Record<string, number[]>;
    tvInferredVsTrue: Record<string, number>;
  };
  timeMs: number;
}

/** The trained example-(a) network a reproduction starts from: its config, problem and policy table. */
export interface TrainedCounts {
  config: ChalkCountsConfig;
  problem: ChalkProblem;
  /** pi_i(1 | view), analysis.ts layout. */
  piOne: Float64Array;
  /** Stationary analysis of piOne. */
  analysis: PolicyAnalysis;
}

/** Run the example-(a) reproduction, training with the exact solver first (library entry point). */
export function reproduceChalk(o: ReproduceOptions = {}): ReproduceSummary {
  const t0 = Date.now();
  const lambda = o.lambda ?? 0.5;
  const cfg = mergeCountsConfig({ lambda });
  const p = countsProblemFromConfig(cfg);
  const sol = solveExact(p, lambda, cfg.exact);
  return reproduceFromTrained({ config: cfg, problem: p, piOne: sol.piOne, analysis: sol.analysis }, o, t0);
}

/**
 * The reproduction's analysis of a trained network (`reproduce chalk` trains it as an experiment):
 * targets reached, reward recovered from spike trains of increasing length, cell death predicted
 * under the inferred reward and under the true one.
 */
export function reproduceFromTrained(t: TrainedCounts, o: ReproduceOptions = {}, t0 = Date.now()): ReproduceSummary {
  const cfg = t.config;
  const lambda = cfg.lambda;
  const p = t.problem;
  const sol = { piOne: t.piOne };
  const trained = summariseCounts(p, cfg.targets, t.analysis, t.piOne, lambda);
  const targetsReached = p.inputLabels.every((l, x) => trained.modeCount[l] === cfg.targets[x]);
  const samples = o.samples ?? [10_000, 100_000, 1_000_000];
  const seed = o.seed ?? 7;
  const recovery: ReproduceSummary['recovery'] = [];
  let last: ReturnType<typeof inferReward> | undefined;
  for (const T of samples) {
    const train = simulate(p, sol.piOne, { steps: T, seed });
    last = inferReward({ spikes: train, lambda, method: 'bellman', inputs: 2, trueReward: p.reward });
    recovery.push({ samples: T, bellmanError: last.bellman!.error!, inferredTarget: last.bellman!.inferredTarget });
  }
  let ml: ReproduceSummary['maxLikelihood'];
  let rewardForDeath = last!.tables.bellman!;
  let rewardSource = 'bellman';
  if (o.maxLikelihood ?? true) {
    const T = samples[samples.length - 1]!;
    const train = simulate(p, sol.piOne, { steps: T, seed });
    const res = inferReward({ spikes: train, lambda, method: 'ml', inputs: 2, trueReward: p.reward });
    ml = { samples: T, error: res.ml!.error!, inferredTarget: res.ml!.inferredTarget };
    rewardForDeath = res.tables.ml!;
    rewardSource = 'ml';
  }
  const finalTargets = ml?.inferredTarget ?? recovery[recovery.length - 1]!.inferredTarget;
  const targetsRecovered = p.inputLabels.every((l, x) => finalTargets[l] === cfg.targets[x]);
  const k = o.deadCount ?? 2;
  const dead = [...Array(k).keys()].map((j) => p.neurons - 1 - j);
  const pred = predictCellDeath(p, sol.piOne, rewardForDeath, lambda, dead, cfg.exact);
  const truth = predictCellDeath(p, sol.piOne, p.reward, lambda, dead, cfg.exact);
  const tv = Object.fromEntries(p.inputLabels.map((l) => [l, Math.round(totalVariation(pred.countDistAfter[l]!, truth.countDistAfter[l]!) * 1e6) / 1e6]));
  return {
    lambda,
    targets: cfg.targets,
    trained,
    targetsReached,
    recovery,
    maxLikelihood: ml,
    targetsRecovered,
    cellDeath: { ...pred, rewardSource, countDistAfterTrueReward: truth.countDistAfter, tvInferredVsTrue: tv },
    timeMs: Date.now() - t0,
  };
}

/** recovery.tsv: the reward-recovery curve (error and inferred targets per spike-train length). */
export function recoveryTsv(s: Pick<ReproduceSummary, 'recovery'>): string {
  return ['samples\tbellmanError\tinferredTargets', ...s.recovery.map((r) => `${r.samples}\t${r.bellmanError}\t${Object.values(r.inferredTarget).join('/')}`)].join('\n') + '\n';
}
