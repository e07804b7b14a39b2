/**
 * Exact analysis of fixed per-neuron policies on an enumerated ChalkProblem: the stationary
 * distribution of the network Markov chain, each neuron's action marginal p_i, average reward,
 * coding cost, and spike-count distributions. Used by the exact solver (Blahut-Arimoto step), to
 * score policies learned by sampling, and for cell-death predictions.
 *
 * Policy table layout: piOne[i * nViews + v] = pi_i(sigma_i = 1 | view v), v = viewIndex(...).
 */
import { type ChalkProblem, insertBit, popcount, stateCount, viewCount, viewIndex } from './problem.ts';

/** Stationary quantities of a policy. */
export interface PolicyAnalysis {
  /** Stationary distribution over post-action states s = x * 2^N + sigma (the rewarded states). */
  mu: Float64Array;
  /** Distribution over pre-action states (sigma, x') seen by the acting neuron(s). */
  nu: Float64Array;
  /** p_i(1) = E_nu[pi_i(1 | view)]: each neuron's steady-state firing marginal. */
  marginal: Float64Array;
  /** Per-neuron coding cost I_i = E_nu KL(pi_i(.|view) || p_i), in nats. */
  info: Float64Array;
  /** <r(sigma, x)> under mu. */
  averageReward: number;
  /** Coding cost paid per step: mean_i I_i (async, one neuron acts) or sum_i I_i (sync), nats. */
  costPerStep: number;
  /** countDist[x][k] = P(spike count = k | x) under mu. */
  countDist: number[][];
  /** rates[x][i] = P(sigma_i = 1 | x) under mu. */
  rates: number[][];
  /** Power-iteration sweeps used and final L1 change. */
  sweeps: number;
  residual: number;
}

/** Pre-action distribution nu(sigma, x') = (1-q) mu(sigma, x') + q p(x') sum_x mu(sigma, x). */
export function preActionDistribution(p: ChalkProblem, mu: Float64Array, out?: Float64Array): Float64Array {
  const S = 1 << p.neurons;
  const nu = out ?? new Float64Array(mu.length);
  const q = p.switchProb;
  for (let s = 0; s < S; s++) {
    let m = 0;
    for (let x = 0; x < p.inputs; x++) m += mu[x * S + s]!;
    for (let x = 0; x < p.inputs; x++) nu[x * S + s] = (1 - q) * mu[x * S + s]! + q * p.inputPrior[x]! * m;
  }
  return nu;
}

/** One step of the chain: mu -> mu P under policy piOne (async or sync per p.update). */
export function chainStep(p: ChalkProblem, piOne: Float64Array, mu: Float64Array, nuScratch: Float64Array, out: Float64Array): void {
  const n = p.neurons;
  const S = 1 << n;
  const nV = viewCount(p);
  preActionDistribution(p, mu, nuScratch);
  out.fill(0);
  if (p.update === 'async') {
    for (let x = 0; x < p.inputs; x++) {
      for (let s = 0; s < S; s++) {
        const w = nuScratch[x * S + s]! / n;
        if (w === 0) continue;
        for (let j = 0; j < n; j++) {
          const p1 = piOne[j * nV + viewIndex(n, s, x, j)]!;
          const bit = 1 << j;
          out[x * S + (s | bit)] += w * p1;
          out[x * S + (s & ~bit)] += w * (1 - p1);
        }
      }
    }
    return;
  }
  // Sync: every neuron samples independently from its own view of the pre-action state.
  const dist = new Float64Array(S);
  for (let x = 0; x < p.inputs; x++) {
    for (let s = 0; s < S; s++) {
      const w = nuScratch[x * S + s]!;
      if (w === 0) continue;
      dist[0] = w;
      let size = 1;
      for (let j = 0; j < n; j++) {
        const p1 = piOne[j * nV + viewIndex(n, s, x, j)]!;
        for (let t = 0; t < size; t++) {
          const v = dist[t]!;
          dist[t] = v * (1 - p1);
          dist[t + size] = v * p1;
        }
        size *= 2;
      }
      for (let t = 0; t < S; t++) out[x * S + t] += dist[t]!;
    }
  }
}

/**
 * Stationary distribution by power iteration (warm-started from `init` when given) to L1 change < tol.
 * Every chain here is aperiodic (a chosen neuron may keep its state) and, with p_i in (0,1), irreducible.
 */
export function stationary(p: ChalkProblem, piOne: Float64Array, opts: { tol?: number; maxSweeps?: number; init?: Float64Array } = {}): { mu: Float64Array; sweeps: number; residual: number } {
  const tol = opts.tol ?? 1e-11;
  const maxSweeps = opts.maxSweeps ?? 200_000;
  const M = stateCount(p);
  let mu = opts.init ? Float64Array.from(opts.init) : new Float64Array(M).fill(1 / M);
  let next = new Float64Array(M);
  const nu = new Float64Array(M);
  let residual = Infinity;
  let sweeps = 0;
  while (sweeps < maxSweeps) {
    chainStep(p, piOne, mu, nu, next);
    sweeps++;
    residual = 0;
    let total = 0;
    for (let k = 0; k < M; k++) {
      residual += Math.abs(next[k]! - mu[k]!);
      total += next[k]!;
    }
    for (let k = 0; k < M; k++) next[k] /= total; // guard against drift from rounding
    [mu, next] = [next, mu];
    if (residual < tol) break;
  }
  return { mu, sweeps, residual };
}

/** KL(Bernoulli(a) || Bernoulli(b)) in nats. */
export function bernoulliKl(a: number, b: number): number {
  let k = 0;
  if (a > 0) k += a * Math.log(a / b);
  if (a < 1) k += (1 - a) * Math.log((1 - a) / (1 - b));
  return k;
}

/** Marginals p_i(1) = E_nu[pi_i(1|view)] and per-neuron information I_i for the given nu. */
export function marginalsAndInfo(p: ChalkProblem, piOne: Float64Array, nu: Float64Array): { marginal: Float64Array; info: Float64Array } {
  const n = p.neurons;
  const S = 1 << n;
  const nV = viewCount(p);
  const marginal = new Float64Array(n);
  const info = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let x = 0; x < p.inputs; x++) for (let s = 0; s < S; s++) m += nu[x * S + s]! * piOne[i * nV + viewIndex(n, s, x, i)]!;
    marginal[i] = m;
    let I = 0;
    for (let x = 0; x < p.inputs; x++) {
      for (let s = 0; s < S; s++) {
        const w = nu[x * S + s]!;
        if (w > 0) I += w * bernoulliKl(piOne[i * nV + viewIndex(n, s, x, i)]!, m);
      }
    }
    info[i] = Math.max(0, I);
  }
  return { marginal, info };
}

/** Full stationary analysis of a policy table. */
export function analysePolicy(p: ChalkProblem, piOne: Float64Array, opts: { tol?: number; init?: Float64Array } = {}): PolicyAnalysis {
  const n = p.neurons;
  const S = 1 << n;
  const { mu, sweeps, residual } = stationary(p, piOne, opts);
  const nu = preActionDistribution(p, mu);
  const { marginal, info } = marginalsAndInfo(p, piOne, nu);
  let averageReward = 0;
  for (let k = 0; k < mu.length; k++) averageReward += mu[k]! * p.reward[k]!;
  const countDist: number[][] = [];
  const rates: number[][] = [];
  for (let x = 0; x < p.inputs; x++) {
    const cd = new Array<number>(n + 1).fill(0);
    const rt = new Array<number>(n).fill(0);
    let px = 0;
    for (let s = 0; s < S; s++) {
      const w = mu[x * S + s]!;
      px += w;
      cd[popcount(s)]! += w;
      for (let i = 0; i < n; i++) if (s & (1 << i)) rt[i]! += w;
    }
    countDist.push(cd.map((v) => (px > 0 ? v / px : 0)));
    rates.push(rt.map((v) => (px > 0 ? v / px : 0)));
  }
  let infoSum = 0;
  for (const v of info) infoSum += v;
  const costPerStep = p.update === 'async' ? infoSum / n : infoSum;
  return { mu, nu, marginal, info, averageReward, costPerStep, countDist, rates, sweeps, residual };
}

/**
 * Policy summarised by (input, number of other active neurons): mean over neurons and over views
 * (weighted by the pre-action distribution) of pi_i(1 | view). byCount[x][c], NaN where never visited.
 */
export function policyByOthersCount(p: ChalkProblem, piOne: Float64Array, nu: Float64Array): number[][] {
  const n = p.neurons;
  const S = 1 << n;
  const nV = viewCount(p);
  const out: number[][] = [];
  for (let x = 0; x < p.inputs; x++) {
    const num = new Array<number>(n).fill(0);
    const den = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      for (let rest = 0; rest < 1 << (n - 1); rest++) {
        const w = nu[x * S + insertBit(rest, i, 0)]! + nu[x * S + insertBit(rest, i, 1)]!;
        const c = popcount(rest);
        num[c]! += w * piOne[i * nV + x * (1 << (n - 1)) + rest]!;
        den[c]! += w;
      }
    }
    out.push(num.map((v, c) => (den[c]! > 0 ? v / den[c]! : NaN)));
  }
  return out;
}

/** Total-variation distance between two discrete distributions. */
export function totalVariation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let k = 0; k < a.length; k++) d += Math.abs(a[k]! - b[k]!);
  return d / 2;
}
