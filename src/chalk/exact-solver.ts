/**
 * Exact solver for small N (all nX * 2^N states enumerated), asynchronous updates [ours]:
 *
 *   inner loop — soft relative value iteration for the average-reward, KL-regularised problem with the
 *   marginals p_i held fixed:
 *     W_j(v)      = lambda * log sum_a p_j(a) exp(h(v with sigma_j = a) / lambda)
 *     (T h)(s)    = r(s) + E_{x'|x} (1/N) sum_j W_j(view_j(sigma, x'))
 *     h          <- T h - (T h)(s_ref)           (s_ref = state 0; g = (T h)(s_ref) at convergence)
 *     pi_j(a | v) = p_j(a) exp((h(v_a) - W_j(v)) / lambda)
 *   Since every neuron shares the reward, one value function h over the network state serves all
 *   agents; neuron j's Q_j(v, a) is h of the state it would create.
 *   outer loop — Blahut-Arimoto: p_j <- E_nu[pi_j(. | view)] under the stationary pre-action
 *   distribution nu of the current policies, until max_j |delta p_j(1)| < marginalTol.
 *
 * At the fixed point g = <r> - lambda * (1/N) sum_j I_j, with I_j = E_nu KL(pi_j || p_j) (checked in tests).
 */
import { CounterRng, Stream } from '../rng/counter-rng.ts';
import { analysePolicy, type PolicyAnalysis } from './analysis.ts';
import { type ChalkProblem, insertBit, stateCount, validateProblem, viewCount } from './problem.ts';

/** Settings of the exact solver. */
export interface ExactSolverConfig {
  /** Inner loop stops when span(h_new - h_old) < valueTol (reward units); > 0. */
  valueTol: number;
  /** Cap on inner relative-value-iteration sweeps per outer round; >= 1. */
  maxValueSweeps: number;
  /** Outer (Blahut-Arimoto) loop stops when max_i |p_i(1) change| < marginalTol; > 0. */
  marginalTol: number;
  /** Cap on outer rounds; >= 1. */
  maxRounds: number;
  /** Initial p_i(1) for every neuron; in (0, 1). */
  initialMarginal: number;
  /** Relative random perturbation of the initial p_i(1) (0 keeps neurons symmetric); in [0, 0.5]. */
  symmetryBreaking: number;
  /** Seed for the symmetry-breaking perturbation. */
  seed: number;
  /** Power-iteration tolerance (L1) for stationary distributions; > 0. */
  stationaryTol: number;
}

/** Defaults: tight enough that the sampled learner can be compared at the 1e-3 level. */
export const EXACT_DEFAULTS: Readonly<ExactSolverConfig> = Object.freeze({
  valueTol: 1e-10,
  maxValueSweeps: 200_000,
  marginalTol: 1e-7,
  maxRounds: 500,
  initialMarginal: 0.5,
  symmetryBreaking: 0,
  seed: 1,
  stationaryTol: 1e-12,
});

/** Throws RangeError naming the field when out of range. */
export function validateExactSolverConfig(c: ExactSolverConfig): void {
  const pos = (k: keyof ExactSolverConfig) => {
    if (!(Number(c[k]) > 0)) throw new RangeError(`exact.${k} must be > 0, got ${c[k]}`);
  };
  pos('valueTol');
  pos('marginalTol');
  pos('stationaryTol');
  if (!Number.isInteger(c.maxValueSweeps) || c.maxValueSweeps < 1) throw new RangeError(`exact.maxValueSweeps must be an integer >= 1, got ${c.maxValueSweeps}`);
  if (!Number.isInteger(c.maxRounds) || c.maxRounds < 1) throw new RangeError(`exact.maxRounds must be an integer >= 1, got ${c.maxRounds}`);
  if (!(c.initialMarginal > 0 && c.initialMarginal < 1)) throw new RangeError(`exact.initialMarginal must be in (0, 1), got ${c.initialMarginal}`);
  if (!(c.symmetryBreaking >= 0 && c.symmetryBreaking <= 0.5)) throw new RangeError(`exact.symmetryBreaking must be in [0, 0.5], got ${c.symmetryBreaking}`);
}

/** Result of the exact solver. */
export interface ExactSolution {
  /** Relative (differential) value h(s), h(state 0) = 0. */
  h: Float64Array;
  /** Optimal gain g = <r> - lambda * cost per step. */
  gain: number;
  /** pi_i(1 | view), index i * nViews + v. */
  piOne: Float64Array;
  /** p_i(1) used by the final policy (the Blahut-Arimoto fixed point when converged). */
  marginal: Float64Array;
  /** Stationary analysis of the final policy. */
  analysis: PolicyAnalysis;
  /** Outer rounds run, total inner sweeps, whether both loops met their tolerances. */
  rounds: number;
  valueSweeps: number;
  converged: boolean;
}

/** Soft value of neuron j's choice between the two states h0, h1 (stable log-sum-exp). */
export function softChoice(h0: number, h1: number, p1: number, lambda: number): number {
  const m = Math.max(h0, h1);
  return m + lambda * Math.log((1 - p1) * Math.exp((h0 - m) / lambda) + p1 * Math.exp((h1 - m) / lambda));
}

/** pi_j(1 | v) = p1 e^{h1/lambda} / (p0 e^{h0/lambda} + p1 e^{h1/lambda}), computed as a logistic. */
export function softPolicyOne(h0: number, h1: number, p1: number, lambda: number): number {
  const z = (h1 - h0) / lambda + Math.log(p1 / (1 - p1));
  return 1 / (1 + Math.exp(-z));
}

/** Per-view soft values W_j(v) for all neurons (index j * nViews + v). */
export function softViewValues(p: ChalkProblem, h: Float64Array, marginal: Float64Array, lambda: number, out: Float64Array): void {
  const n = p.neurons;
  const S = 1 << n;
  const half = 1 << (n - 1);
  const nV = viewCount(p);
  for (let j = 0; j < n; j++) {
    const p1 = marginal[j]!;
    for (let x = 0; x < p.inputs; x++) {
      for (let rest = 0; rest < half; rest++) {
        const h0 = h[x * S + insertBit(rest, j, 0)]!;
        const h1 = h[x * S + insertBit(rest, j, 1)]!;
        out[j * nV + x * half + rest] = softChoice(h0, h1, p1, lambda);
      }
    }
  }
}

/** One application of the soft Bellman operator T (async), written into `out`. */
export function softBellman(p: ChalkProblem, h: Float64Array, marginal: Float64Array, lambda: number, W: Float64Array, out: Float64Array): void {
  const n = p.neurons;
  const S = 1 << n;
  const half = 1 << (n - 1);
  const nV = viewCount(p);
  const q = p.switchProb;
  softViewValues(p, h, marginal, lambda, W);
  // Wavg(sigma, x') = (1/N) sum_j W_j(view_j(sigma, x')), stored temporarily in out.
  for (let x = 0; x < p.inputs; x++) {
    for (let s = 0; s < S; s++) {
      let acc = 0;
      for (let j = 0; j < n; j++) {
        const low = s & ((1 << j) - 1);
        acc += W[j * nV + x * half + (low | ((s >>> (j + 1)) << j))]!;
      }
      out[x * S + s] = acc / n;
    }
  }
  for (let s = 0; s < S; s++) {
    let bar = 0;
    for (let x = 0; x < p.inputs; x++) bar += p.inputPrior[x]! * out[x * S + s]!;
    for (let x = 0; x < p.inputs; x++) {
      const k = x * S + s;
      out[k] = p.reward[k]! + (1 - q) * out[k]! + q * bar;
    }
  }
}

/** Soft-optimal policy table for value h and marginals p. */
export function softPolicy(p: ChalkProblem, h: Float64Array, marginal: Float64Array, lambda: number): Float64Array {
  const n = p.neurons;
  const S = 1 << n;
  const half = 1 << (n - 1);
  const nV = viewCount(p);
  const pi = new Float64Array(n * nV);
  for (let j = 0; j < n; j++) {
    for (let x = 0; x < p.inputs; x++) {
      for (let rest = 0; rest < half; rest++) {
        pi[j * nV + x * half + rest] = softPolicyOne(h[x * S + insertBit(rest, j, 0)]!, h[x * S + insertBit(rest, j, 1)]!, marginal[j]!, lambda);
      }
    }
  }
  return pi;
}

/**
 * Soft relative value iteration with fixed marginals. Warm-starts from h (modified in place).
 * Returns the gain estimate and sweeps used.
 */
export function relativeValueIteration(
  p: ChalkProblem,
  h: Float64Array,
  marginal: Float64Array,
  lambda: number,
  tol: number,
  maxSweeps: number,
): { gain: number; sweeps: number; span: number } {
  const M = stateCount(p);
  const W = new Float64Array(p.neurons * viewCount(p));
  const next = new Float64Array(M);
  let gain = 0;
  let span = Infinity;
  let sweeps = 0;
  while (sweeps < maxSweeps) {
    softBellman(p, h, marginal, lambda, W, next);
    sweeps++;
    gain = next[0]!;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < M; k++) {
      const nv = next[k]! - gain;
      const d = nv - h[k]!;
      if (d < lo) lo = d;
      if (d > hi) hi = d;
      h[k] = nv;
    }
    span = hi - lo;
    if (span < tol) break;
  }
  return { gain, sweeps, span };
}

/**
 * Solve the coding-cost problem exactly (async updates). `updateReward`, if given, is called after
 * each outer round with the current stationary analysis and may return a new reward table (used by
 * example (b), whose reward log q(y | sigma) depends on the decoder implied by the policy).
 */
export function solveExact(
  p: ChalkProblem,
  lambda: number,
  config: Partial<ExactSolverConfig> = {},
  updateReward?: (a: PolicyAnalysis) => Float64Array | null,
): ExactSolution {
  validateProblem(p);
  if (p.update !== 'async') throw new RangeError(`update must be 'async' for the exact solver (sync is simulation/analysis only)`);
  if (!(lambda > 0)) throw new RangeError(`lambda must be > 0, got ${lambda}`);
  if (p.neurons > 12) throw new RangeError(`neurons must be <= 12 for the exact solver, got ${p.neurons}`);
  const c: ExactSolverConfig = { ...EXACT_DEFAULTS, ...config };
  validateExactSolverConfig(c);
  const n = p.neurons;
  const prob: ChalkProblem = { ...p, reward: Float64Array.from(p.reward) };
  const marginal = new Float64Array(n);
  const rng = new CounterRng(c.seed, Stream.init, 0);
  for (let i = 0; i < n; i++) {
    const u = c.symmetryBreaking > 0 ? 1 + c.symmetryBreaking * (2 * rng.uniform() - 1) : 1;
    marginal[i] = Math.min(0.999, Math.max(0.001, c.initialMarginal * u));
  }
  const h = new Float64Array(stateCount(p));
  let totalSweeps = 0;
  let rounds = 0;
  let converged = false;
  let gain = 0;
  let mu: Float64Array | undefined;
  let analysis: PolicyAnalysis | undefined;
  let piOne: Float64Array = new Float64Array(0);
  for (rounds = 1; rounds <= c.maxRounds; rounds++) {
    const rvi = relativeValueIteration(prob, h, marginal, lambda, c.valueTol, c.maxValueSweeps);
    totalSweeps += rvi.sweeps;
    gain = rvi.gain;
    piOne = softPolicy(prob, h, marginal, lambda);
    analysis = analysePolicy(prob, piOne, { tol: c.stationaryTol, init: mu });
    mu = analysis.mu;
    let delta = 0;
    for (let i = 0; i < n; i++) delta = Math.max(delta, Math.abs(analysis.marginal[i]! - marginal[i]!));
    const newReward = updateReward ? updateReward(analysis) : null;
    let rewardDelta = 0;
    if (newReward) {
      for (let k = 0; k < newReward.length; k++) rewardDelta = Math.max(rewardDelta, Math.abs(newReward[k]! - prob.reward[k]!));
      prob.reward.set(newReward);
    }
    if (delta < c.marginalTol && rewardDelta < c.marginalTol && rvi.span < c.valueTol) {
      converged = true;
      break;
    }
    // Blahut-Arimoto step; clamp away from 0/1 so log p stays finite.
    for (let i = 0; i < n; i++) marginal[i] = Math.min(1 - 1e-12, Math.max(1e-12, analysis.marginal[i]!));
  }
  return { h, gain, piOne, marginal, analysis: analysis!, rounds: Math.min(rounds, c.maxRounds), valueSweeps: totalSweeps, converged };
}
