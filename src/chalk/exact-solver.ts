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
import { type ChalkProblem, dropBit, insertBit, stateCount, validateProblem, viewCount } from './problem.ts';

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
export function relativeValueIteration(p: ChalkProblem, h: Float64Array, marginal: Float64Array, lambda: number, tol: number, maxSweeps: number): { gain: number; sweeps: number; span: number } {
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
 * Synchronous soft Bellman sweep [ours]. Every neuron samples at once from its view of the same
 * pre-action state s = (sigma, x'), so the successor law is the product D(sigma' | s) =
 * prod_j pi_j(sigma'_j | v_j(s)) (2^N successors). With h fixed:
 *   V(s)        = E_D h(sigma', x') - lambda sum_j KL(pi_j(.|v_j(s)) || p_j)
 *   (T h)(post) = r(post) + E_{x'|x} V(sigma, x')
 *   dQ_j(s)     = E_D[h(sigma' with j=1) - h(sigma' with j=0)]   (the others act, j's choice set)
 * A view v_j omits sigma_j, but the others' policies see it, so dQ_j depends on s and not only on
 * v_j; the stationarity condition of the average objective over memoryless policies averages it
 * with the pre-action distribution nu: dQbar_j(v) = sum_{b} nu(v, sigma_j=b) dQ_j / sum_b nu, and
 *   pi_j(1 | v) = logistic(logit p_j + dQbar_j(v) / lambda).
 * Each sweep evaluates T under the current policy, then moves the policy's logits a step
 * SYNC_POLICY_STEP toward that soft-optimal target (in place in piOne). With N = 1 the
 * sweep equals the asynchronous one (test/chalk/sync.test.ts).
 */
export function syncSoftSweep(
  p: ChalkProblem,
  h: Float64Array,
  marginal: Float64Array,
  lambda: number,
  nu: Float64Array | null,
  piOne: Float64Array,
  out: Float64Array,
  scratch: { dist: Float64Array; dQ: Float64Array; V: Float64Array },
): void {
  const n = p.neurons;
  const S = 1 << n;
  const half = S >>> 1;
  const nV = viewCount(p);
  const { dist, dQ, V } = scratch;
  // Evaluate E_D h, the KL cost and dQ_j at every pre-action state under the current policy.
  for (let x = 0; x < p.inputs; x++) {
    const hx = x * S;
    for (let s = 0; s < S; s++) {
      dist[0] = 1;
      let size = 1;
      let kl = 0;
      for (let j = 0; j < n; j++) {
        const p1 = piOne[j * nV + x * half + dropBit(s, j)]!;
        kl += bernoulliKlNats(p1, marginal[j]!);
        for (let t = 0; t < size; t++) {
          const v = dist[t]!;
          dist[t] = v * (1 - p1);
          dist[t + size] = v * p1;
        }
        size *= 2;
      }
      let eh = 0;
      for (let t = 0; t < S; t++) eh += dist[t]! * h[hx + t]!;
      V[hx + s] = eh - lambda * kl;
      for (let j = 0; j < n; j++) {
        const bit = 1 << j;
        let d = 0;
        for (let t = 0; t < S; t++) {
          const w = dist[t]!;
          if (w !== 0) d += w * (h[hx + (t | bit)]! - h[hx + (t & ~bit)]!);
        }
        dQ[(hx + s) * n + j] = d;
      }
    }
  }
  // Apply T under the current policy.
  const q = p.switchProb;
  for (let s = 0; s < S; s++) {
    let bar = 0;
    for (let x = 0; x < p.inputs; x++) bar += p.inputPrior[x]! * V[x * S + s]!;
    for (let x = 0; x < p.inputs; x++) out[x * S + s] = p.reward[x * S + s]! + (1 - q) * V[x * S + s]! + q * bar;
  }
  // Improve the policy from h (nu-weighted over the acting neuron's own previous state).
  for (let j = 0; j < n; j++) {
    const lp = Math.log(marginal[j]! / (1 - marginal[j]!));
    for (let x = 0; x < p.inputs; x++) {
      for (let rest = 0; rest < half; rest++) {
        const s0 = x * S + insertBit(rest, j, 0);
        const s1 = x * S + insertBit(rest, j, 1);
        const w0 = (nu ? nu[s0]! : 0) + 1e-300;
        const w1 = (nu ? nu[s1]! : 0) + 1e-300;
        const d = (w0 * dQ[s0 * n + j]! + w1 * dQ[s1 * n + j]!) / (w0 + w1);
        const k = j * nV + x * half + rest;
        const cur = Math.min(1 - 1e-15, Math.max(1e-15, piOne[k]!));
        const l0 = Math.log(cur / (1 - cur));
        piOne[k] = 1 / (1 + Math.exp(-(l0 + SYNC_POLICY_STEP * (lp + d / lambda - l0))));
      }
    }
  }
}

/**
 * Step of the synchronous policy improvement in logit space: logit <- logit + step (target - logit).
 * A full step (1) makes every neuron best-respond to the others' previous policies at once, which
 * cycles (all fire -> none fire -> ...); a partial step is a natural-gradient ascent that settles.
 */
export const SYNC_POLICY_STEP = 0.2;

function bernoulliKlNats(a: number, b: number): number {
  let k = 0;
  if (a > 0) k += a * Math.log(a / b);
  if (a < 1) k += (1 - a) * Math.log((1 - a) / (1 - b));
  return k;
}

/**
 * Relative value iteration for synchronous updates (fixed marginals and nu; policy improved every
 * sweep, in place in piOne). Damped (aperiodicity transform, tau = 1/2): h <- h + tau (T h - h - g),
 * g = (T h - h)(state 0), because synchronous chains under near-deterministic policies can be
 * nearly periodic (all silent -> all active -> ...). Stops when span(T h - h) < tol.
 */
export function syncRelativeValueIteration(
  p: ChalkProblem,
  h: Float64Array,
  marginal: Float64Array,
  lambda: number,
  nu: Float64Array | null,
  piOne: Float64Array,
  tol: number,
  maxSweeps: number,
): { gain: number; sweeps: number; span: number } {
  const M = stateCount(p);
  const n = p.neurons;
  const scratch = { dist: new Float64Array(1 << n), dQ: new Float64Array(M * n), V: new Float64Array(M) };
  const next = new Float64Array(M);
  const tau = 0.5;
  let gain = 0;
  let span = Infinity;
  let sweeps = 0;
  while (sweeps < maxSweeps) {
    syncSoftSweep(p, h, marginal, lambda, nu, piOne, next, scratch);
    sweeps++;
    gain = next[0]! - h[0]!;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < M; k++) {
      const d = next[k]! - h[k]!;
      if (d < lo) lo = d;
      if (d > hi) hi = d;
      h[k] = h[k]! + tau * (d - gain);
    }
    span = hi - lo;
    if (span < tol) break;
  }
  return { gain, sweeps, span };
}

/**
 * Solve the coding-cost problem exactly (async or sync updates; sync: N <= 10, see syncSoftSweep). `updateReward`, if given, is called after
 * each outer round with the current stationary analysis and may return a new reward table (used by
 * example (b), whose reward log q(y | sigma) depends on the decoder implied by the policy).
 */
export function solveExact(p: ChalkProblem, lambda: number, config: Partial<ExactSolverConfig> = {}, updateReward?: (a: PolicyAnalysis) => Float64Array | null): ExactSolution {
  validateProblem(p);
  if (!(lambda > 0)) throw new RangeError(`lambda must be > 0, got ${lambda}`);
  if (p.neurons > 12) throw new RangeError(`neurons must be <= 12 for the exact solver, got ${p.neurons}`);
  if (p.update === 'sync' && p.neurons > 10) throw new RangeError(`neurons must be <= 10 for the synchronous exact solver (2^N x 2^N transitions per input), got ${p.neurons}`);
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
  const sync = p.update === 'sync';
  // Sync starts from the asynchronous optimum (same reward and lambda): the uniform start is a
  // stationary point (when next states do not depend on the current one, h is flat in sigma and no
  // neuron gains by conditioning on the others), and the coordinated optimum is not reached from it.
  let syncPi = new Float64Array(0);
  if (sync) {
    const a = solveExact({ ...p, update: 'async' }, lambda, config, updateReward);
    syncPi = Float64Array.from(a.piOne);
    marginal.set(a.marginal);
    for (let i = 0; i < n; i++) marginal[i] = Math.min(1 - 1e-12, Math.max(1e-12, marginal[i]!));
  }
  let policyDelta = 0;
  for (rounds = 1; rounds <= c.maxRounds; rounds++) {
    let rvi: { gain: number; sweeps: number; span: number };
    if (sync) {
      const before = Float64Array.from(syncPi);
      rvi = syncRelativeValueIteration(prob, h, marginal, lambda, analysis?.nu ?? null, syncPi, c.valueTol, c.maxValueSweeps);
      policyDelta = 0;
      for (let k = 0; k < syncPi.length; k++) policyDelta = Math.max(policyDelta, Math.abs(syncPi[k]! - before[k]!));
      piOne = Float64Array.from(syncPi);
    } else {
      rvi = relativeValueIteration(prob, h, marginal, lambda, c.valueTol, c.maxValueSweeps);
      piOne = softPolicy(prob, h, marginal, lambda);
    }
    totalSweeps += rvi.sweeps;
    gain = rvi.gain;
    analysis = analysePolicy(prob, piOne, { tol: c.stationaryTol, init: mu });
    mu = analysis.mu;
    let delta = sync ? policyDelta : 0;
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
