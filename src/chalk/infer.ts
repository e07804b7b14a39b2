/** inferReward: inverse RL entry point over a spike train or spike-file text (JSON summary). */
import type { SpikeTrain } from './dynamics.ts';
import { countInputFeatures, fitRewardMaxLikelihood, invertBellman, rewardByCount, rewardError, centrePerInput } from './inverse.ts';
import { parseSpikeFile } from './spike-file.ts';

/** Options of inferReward. */
export interface InferRewardOptions {
  /** Spike train, or the text of a spike file (see spike-file.ts). */
  spikes: SpikeTrain | string;
  /** Known coding-cost weight lambda; > 0. */
  lambda: number;
  /** 'bellman' (non-parametric inversion), 'ml' (max likelihood, one-hot count x input), or 'both'. */
  method?: 'bellman' | 'ml' | 'both';
  /** Number of inputs, if some never occur in the train. */
  inputs?: number;
  /** True reward table (x * 2^N + sigma), to report recovery errors. */
  trueReward?: Float64Array;
  /** Adam iterations for 'ml' (default 40). */
  iterations?: number;
}

/** Summary of one reward estimate. */
export interface RewardEstimate {
  /** Visit-weighted mean reward by (input, spike count), centred per input; null where never visited. */
  byCount: Record<string, (number | null)[]>;
  /** argmax over visited counts per input: the inferred target count. */
  inferredTarget: Record<string, number>;
  /** Visit-weighted RMS error vs trueReward after per-input centring (when trueReward given). */
  error?: number;
}

/** Result of inferReward (reward tables kept as typed arrays for reuse, summaries JSON-safe). */
export interface InferRewardResult {
  neurons: number;
  transitions: number;
  inputLabels: string[];
  switchProbEstimate: number;
  marginals: number[];
  bellman?: RewardEstimate;
  ml?: RewardEstimate & { weights: number[]; logLikelihood: number };
  /** Full recovered tables (not JSON-summarised). */
  tables: { bellman?: Float64Array; ml?: Float64Array; visits: Float64Array };
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

function estimate(r: Float64Array, visits: Float64Array, n: number, nX: number, labels: string[], truth?: Float64Array): RewardEstimate {
  const bc = rewardByCount(centrePerInput(r, visits, n, nX), visits, n, nX);
  const lab = <T>(f: (x: number) => T) => Object.fromEntries(labels.map((l, x) => [l, f(x)]));
  const out: RewardEstimate = {
    byCount: lab((x) => bc[x]!.map((v) => (Number.isNaN(v) ? null : round(v)))),
    inferredTarget: lab((x) => {
      let best = -1;
      for (let c = 0; c <= n; c++) if (!Number.isNaN(bc[x]![c]!) && (best < 0 || bc[x]![c]! > bc[x]![best]!)) best = c;
      return best;
    }),
  };
  if (truth) out.error = round(rewardError(truth, r, visits, n, nX));
  return out;
}

/** Infer r(sigma, x) up to a constant per input from spikes, with lambda known. */
export function inferReward(o: InferRewardOptions): InferRewardResult {
  if (!(o.lambda > 0)) throw new RangeError(`lambda must be > 0, got ${o.lambda}`);
  const train = typeof o.spikes === 'string' ? parseSpikeFile(o.spikes) : o.spikes;
  const method = o.method ?? 'both';
  const inv = invertBellman(train, o.lambda, { inputs: o.inputs });
  const n = train.neurons;
  const nX = inv.counts.inputs;
  const labels = train.inputLabels.length === nX ? train.inputLabels : [...Array(nX).keys()].map(String);
  const visits = inv.counts.postVisits;
  const res: InferRewardResult = {
    neurons: n,
    transitions: inv.counts.transitions,
    inputLabels: labels,
    switchProbEstimate: round(inv.counts.switchProb),
    marginals: Array.from(inv.policy.marginal, round),
    tables: { visits },
  };
  if (method !== 'ml') {
    res.bellman = estimate(inv.reward, visits, n, nX, labels, o.trueReward);
    res.tables.bellman = inv.reward;
  }
  if (method !== 'bellman') {
    const ml = fitRewardMaxLikelihood(train, o.lambda, { inputs: nX, features: countInputFeatures(n, nX, labels), iterations: o.iterations });
    res.ml = { ...estimate(ml.reward, visits, n, nX, labels, o.trueReward), weights: Array.from(ml.weights, round), logLikelihood: round(ml.logLikelihood) };
    res.tables.ml = ml.reward;
  }
  return res;
}
