/**
 * Inverse RL for coding-cost networks (asynchronous dynamics, lambda known) [ours]:
 *
 * 1. Empirical policies. A transition row t -> t+1 either flips one neuron j (j acted and chose the
 *    other state) or flips none. With uniform choice of the acting neuron,
 *      P(flip j | pre-action state s) = pi_j(flip | view_j(s)) / N,
 *    and the two states sharing neuron j's view v (sigma_j = 0 or 1) both inform pi_j(1 | v).
 *    pi_j(1|v) is the maximiser of that (per-neuron marginal, i.e. composite) likelihood with a
 *    Beta(1 + kappa, 1 + kappa) prior; p_j(1) = visit-weighted mean of pi_j(1|v).
 * 2. Bellman inversion. lambda log(pi_j(a|v)/p_j(a)) = h(v_a) - W_j(v), so every edge of the
 *    hypercube gives h(v_1) - h(v_0) = lambda (logit pi_j(1|v) - logit p_j(1)); h(., x) is fit by
 *    weighted least squares over the edges (weights ~ Fisher information), then
 *      r(s) = h(s) - E_{x'|x} (1/N) sum_j W_j(view_j(sigma, x')) + g.
 *    Identifiability: neurons cannot move x, so h and hence r are recovered up to an additive
 *    constant per input x (adding c(x) to r never changes any policy). Errors are reported after
 *    removing the visit-weighted mean per x; states never visited get no estimate.
 * 3. Maximum likelihood for r linear in given features (default one-hot of (spike count, x)): the
 *    exact multinomial likelihood of the observed flips under the soft-optimal policy of r_w (p_j
 *    fixed at the empirical marginals), maximised by Adam; the gradient goes through the soft
 *    Bellman fixed point with one adjoint solve per step: (I - P_pi)^T y = dL/dh, dL/dw_k = sum_s y(s) phi_k(s).
 */
import { chainStep } from './analysis.ts';
import type { SpikeTrain } from './dynamics.ts';
import { relativeValueIteration, softChoice, softPolicy } from './exact-solver.ts';
import { type ChalkProblem, insertBit, popcount, viewCount, viewIndex } from './problem.ts';

/** Transition statistics of a spike train (asynchronous dynamics). */
export interface TransitionCounts {
  neurons: number;
  inputs: number;
  /** visits[s]: transitions leaving pre-action state s = x_{t+1} * 2^N + sigma_t. */
  visits: Float64Array;
  /** flips[s * N + j]: of those, how many flipped neuron j. */
  flips: Float64Array;
  /** postVisits[s]: rows in post-action state s (for weighting reward errors). */
  postVisits: Float64Array;
  /** Empirical input prior and switching probability (fit of the model (1-q) delta + q p(x)). */
  inputPrior: Float64Array;
  switchProb: number;
  transitions: number;
}

/** Count transitions; throws RangeError if a row changes more than one neuron (not asynchronous). */
export function countTransitions(train: SpikeTrain, inputs?: number): TransitionCounts {
  const n = train.neurons;
  if (n > 12) throw new RangeError(`neurons must be <= 12 for tabular inverse RL, got ${n}`);
  let nX = inputs ?? 0;
  for (let t = 0; t < train.steps; t++) nX = Math.max(nX, train.input[t]! + 1);
  const S = 1 << n;
  const visits = new Float64Array(S * nX);
  const flips = new Float64Array(S * nX * n);
  const postVisits = new Float64Array(S * nX);
  const freq = new Float64Array(nX);
  let changes = 0;
  const stateAt = (t: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s |= train.sigma[t * n + i]! << i;
    return s;
  };
  let prev = stateAt(0);
  postVisits[train.input[0]! * S + prev]++;
  freq[train.input[0]!]++;
  for (let t = 1; t < train.steps; t++) {
    const cur = stateAt(t);
    const x = train.input[t]!;
    freq[x]++;
    postVisits[x * S + cur]++;
    if (x !== train.input[t - 1]) changes++;
    const pre = x * S + prev;
    visits[pre]++;
    const diff = cur ^ prev;
    if (diff !== 0) {
      if (popcount(diff) > 1) {
        throw new RangeError(`row ${t + 1}: ${popcount(diff)} neurons changed in one step; asynchronous dynamics change at most one`);
      }
      flips[pre * n + Math.log2(diff)]++;
    }
    prev = cur;
  }
  const T = train.steps;
  let sumSq = 0;
  for (let x = 0; x < nX; x++) {
    freq[x] /= T;
    sumSq += freq[x]! ** 2;
  }
  const changeRate = changes / (T - 1);
  const switchProb = sumSq < 1 ? Math.min(1, Math.max(1e-6, changeRate / (1 - sumSq))) : 1;
  return { neurons: n, inputs: nX, visits, flips, postVisits, inputPrior: freq, switchProb, transitions: T - 1 };
}

/** Empirical policy table pi_j(1|v), visit weights, and marginals p_j(1). */
export interface EmpiricalPolicy {
  piOne: Float64Array;
  /** Observations informing each (j, v): visits of both states sharing the view. */
  observations: Float64Array;
  marginal: Float64Array;
}

/** Maximum (penalised) composite likelihood estimate of every pi_j(1 | v); kappa = Beta prior pseudo-count. */
export function empiricalPolicy(c: TransitionCounts, kappa = 0.5): EmpiricalPolicy {
  const n = c.neurons;
  const S = 1 << n;
  const half = S >>> 1;
  const nV = half * c.inputs;
  const piOne = new Float64Array(n * nV);
  const observations = new Float64Array(n * nV);
  const marginal = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let num = 0;
    let den = 0;
    for (let x = 0; x < c.inputs; x++) {
      for (let rest = 0; rest < half; rest++) {
        const s0 = x * S + insertBit(rest, j, 0);
        const s1 = x * S + insertBit(rest, j, 1);
        const n0 = c.visits[s0]!;
        const up = c.flips[s0 * n + j]!;
        const n1 = c.visits[s1]!;
        const down = c.flips[s1 * n + j]!;
        // d/dtheta of: up log th + (n0-up) log(1 - th/N) + down log(1-th) + (n1-down) log(1-(1-th)/N) + kappa log th(1-th)
        const grad = (th: number) => (up + kappa) / th - (n0 - up) / (n - th) - (down + kappa) / (1 - th) + (n1 - down) / (n - 1 + th);
        let lo = 1e-9;
        let hi = 1 - 1e-9;
        for (let it = 0; it < 60; it++) {
          const mid = 0.5 * (lo + hi);
          if (grad(mid) > 0) lo = mid;
          else hi = mid;
        }
        const th = 0.5 * (lo + hi);
        const k = j * nV + x * half + rest;
        piOne[k] = th;
        observations[k] = n0 + n1;
        num += (n0 + n1) * th;
        den += n0 + n1;
      }
    }
    marginal[j] = den > 0 ? num / den : 0.5;
  }
  return { piOne, observations, marginal };
}

/** Problem skeleton (N, inputs, fitted input process, async) with a zero reward table. */
export function inferredProblem(c: TransitionCounts, labels?: string[]): ChalkProblem {
  return {
    neurons: c.neurons,
    inputs: c.inputs,
    inputPrior: Float64Array.from(c.inputPrior),
    switchProb: c.switchProb,
    reward: new Float64Array((1 << c.neurons) * c.inputs),
    inputLabels: labels ?? [...Array(c.inputs).keys()].map(String),
    update: 'async',
  };
}

/**
 * Weighted least-squares fit of h(., x) to the edge differences (conjugate gradients on the weighted
 * graph Laplacian plus a tiny ridge that sets h = 0 on unreached states), per input x.
 */
export function fitValueFromPolicy(c: TransitionCounts, pol: EmpiricalPolicy, lambda: number): Float64Array {
  const n = c.neurons;
  const S = 1 << n;
  const half = S >>> 1;
  const nV = half * c.inputs;
  const h = new Float64Array(S * c.inputs);
  for (let x = 0; x < c.inputs; x++) {
    // Edge list for this input.
    const e0: number[] = [];
    const e1: number[] = [];
    const w: number[] = [];
    const d: number[] = [];
    let wMax = 0;
    for (let j = 0; j < n; j++) {
      const lp = Math.log(pol.marginal[j]! / (1 - pol.marginal[j]!));
      for (let rest = 0; rest < half; rest++) {
        const k = j * nV + x * half + rest;
        const obs = pol.observations[k]!;
        if (obs <= 0) continue;
        const th = pol.piOne[k]!;
        e0.push(insertBit(rest, j, 0));
        e1.push(insertBit(rest, j, 1));
        const wk = (obs * th * (1 - th)) / n; // Fisher information of the logit from obs draws at rate th/N
        w.push(wk);
        wMax = Math.max(wMax, wk);
        d.push(lambda * (Math.log(th / (1 - th)) - lp));
      }
    }
    if (e0.length === 0) continue;
    const ridge = 1e-9 * wMax;
    const apply = (v: Float64Array, out: Float64Array) => {
      for (let s = 0; s < S; s++) out[s] = ridge * v[s]!;
      for (let e = 0; e < e0.length; e++) {
        const diff = w[e]! * (v[e1[e]!]! - v[e0[e]!]!);
        out[e1[e]!] += diff;
        out[e0[e]!] -= diff;
      }
    };
    const b = new Float64Array(S);
    for (let e = 0; e < e0.length; e++) {
      b[e1[e]!] += w[e]! * d[e]!;
      b[e0[e]!] -= w[e]! * d[e]!;
    }
    // Conjugate gradients.
    const v = new Float64Array(S);
    const r = Float64Array.from(b);
    const pdir = Float64Array.from(b);
    const Ap = new Float64Array(S);
    let rr = r.reduce((a, z) => a + z * z, 0);
    const stop = 1e-24 * Math.max(1e-300, rr);
    for (let it = 0; it < 20 * S && rr > stop; it++) {
      apply(pdir, Ap);
      let pAp = 0;
      for (let s = 0; s < S; s++) pAp += pdir[s]! * Ap[s]!;
      if (pAp <= 0) break;
      const a = rr / pAp;
      let rrNew = 0;
      for (let s = 0; s < S; s++) {
        v[s] += a * pdir[s]!;
        r[s] -= a * Ap[s]!;
        rrNew += r[s]! * r[s]!;
      }
      const beta = rrNew / rr;
      rr = rrNew;
      for (let s = 0; s < S; s++) pdir[s] = r[s]! + beta * pdir[s]!;
    }
    h.set(v, x * S);
  }
  return h;
}

/** r(s) = h(s) - E_{x'|x} (1/N) sum_j W_j(view_j(sigma, x')) under the fitted input process (g dropped). */
export function rewardFromValue(p: ChalkProblem, h: Float64Array, marginal: Float64Array, lambda: number): Float64Array {
  const n = p.neurons;
  const S = 1 << n;
  const wavg = new Float64Array(S * p.inputs);
  for (let x = 0; x < p.inputs; x++) {
    for (let s = 0; s < S; s++) {
      let acc = 0;
      for (let j = 0; j < n; j++) {
        const rest = s & ~(1 << j);
        acc += softChoice(h[x * S + rest]!, h[x * S + (rest | (1 << j))]!, marginal[j]!, lambda);
      }
      wavg[x * S + s] = acc / n;
    }
  }
  const r = new Float64Array(S * p.inputs);
  const q = p.switchProb;
  for (let s = 0; s < S; s++) {
    let bar = 0;
    for (let x = 0; x < p.inputs; x++) bar += p.inputPrior[x]! * wavg[x * S + s]!;
    for (let x = 0; x < p.inputs; x++) r[x * S + s] = h[x * S + s]! - (1 - q) * wavg[x * S + s]! - q * bar;
  }
  return r;
}

/** Subtract the weighted mean per input (the identifiable part of a reward table). */
export function centrePerInput(r: Float64Array, weights: Float64Array, neurons: number, inputs: number): Float64Array {
  const S = 1 << neurons;
  const out = Float64Array.from(r);
  for (let x = 0; x < inputs; x++) {
    let m = 0;
    let w = 0;
    for (let s = 0; s < S; s++) {
      m += weights[x * S + s]! * r[x * S + s]!;
      w += weights[x * S + s]!;
    }
    if (w > 0) for (let s = 0; s < S; s++) out[x * S + s] -= m / w;
  }
  return out;
}

/** Visit-weighted RMS difference of two reward tables after centring each per input. */
export function rewardError(truth: Float64Array, estimate: Float64Array, weights: Float64Array, neurons: number, inputs: number): number {
  const a = centrePerInput(truth, weights, neurons, inputs);
  const b = centrePerInput(estimate, weights, neurons, inputs);
  let e = 0;
  let w = 0;
  for (let k = 0; k < a.length; k++) {
    e += weights[k]! * (a[k]! - b[k]!) ** 2;
    w += weights[k]!;
  }
  return Math.sqrt(e / w);
}

/** Visit-weighted mean of a reward table per (input, spike count); NaN where never visited. */
export function rewardByCount(r: Float64Array, weights: Float64Array, neurons: number, inputs: number): number[][] {
  const S = 1 << neurons;
  const out: number[][] = [];
  for (let x = 0; x < inputs; x++) {
    const num = new Array<number>(neurons + 1).fill(0);
    const den = new Array<number>(neurons + 1).fill(0);
    for (let s = 0; s < S; s++) {
      const c = popcount(s);
      num[c]! += weights[x * S + s]! * r[x * S + s]!;
      den[c]! += weights[x * S + s]!;
    }
    out.push(num.map((v, c) => (den[c]! > 0 ? v / den[c]! : NaN)));
  }
  return out;
}

/** Result of the Bellman inversion. */
export interface BellmanInversion {
  counts: TransitionCounts;
  policy: EmpiricalPolicy;
  h: Float64Array;
  /** Recovered reward, centred per input (visit-weighted), NaN-free (unvisited states hold the Bellman value of h = 0 there). */
  reward: Float64Array;
}

/** Non-parametric inverse RL: empirical policies -> h -> r (see module comment, step 2). */
export function invertBellman(train: SpikeTrain, lambda: number, opts: { inputs?: number; kappa?: number } = {}): BellmanInversion {
  if (!(lambda > 0)) throw new RangeError(`lambda must be > 0, got ${lambda}`);
  const counts = countTransitions(train, opts.inputs);
  const policy = empiricalPolicy(counts, opts.kappa ?? 0.5);
  const h = fitValueFromPolicy(counts, policy, lambda);
  const prob = inferredProblem(counts);
  const r = rewardFromValue(prob, h, policy.marginal, lambda);
  return { counts, policy, h, reward: centrePerInput(r, counts.postVisits, counts.neurons, counts.inputs) };
}

/** Feature map for maximum likelihood: features[s * K + k]. */
export interface RewardFeatures {
  count: number;
  values: Float64Array;
  names: string[];
}

/** One-hot of (input, spike count): K = nX * (N + 1), feature x * (N + 1) + count. */
export function countInputFeatures(neurons: number, inputs: number, labels?: string[]): RewardFeatures {
  const S = 1 << neurons;
  const K = inputs * (neurons + 1);
  const values = new Float64Array(S * inputs * K);
  const names: string[] = [];
  for (let x = 0; x < inputs; x++) for (let c = 0; c <= neurons; c++) names.push(`x=${labels?.[x] ?? x},count=${c}`);
  for (let x = 0; x < inputs; x++) for (let s = 0; s < S; s++) values[(x * S + s) * K + x * (neurons + 1) + popcount(s)] = 1;
  return { count: K, values, names };
}

/** Result of maximum-likelihood reward fitting. */
export interface MaxLikelihoodFit {
  weights: Float64Array;
  reward: Float64Array;
  logLikelihood: number;
  iterations: number;
  piOne: Float64Array;
}

/** Exact multinomial log-likelihood of the flip counts under policy piOne (and its gradient wrt h, if asked). */
export function flipLogLikelihood(p: ChalkProblem, c: TransitionCounts, piOne: Float64Array, lambda: number, gradH?: Float64Array): number {
  const n = p.neurons;
  const S = 1 << n;
  const nV = viewCount(p);
  let L = 0;
  if (gradH) gradH.fill(0);
  const phi = new Float64Array(n);
  for (let x = 0; x < p.inputs; x++) {
    for (let s = 0; s < S; s++) {
      const pre = x * S + s;
      const visits = c.visits[pre]!;
      if (visits === 0) continue;
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const p1 = piOne[j * nV + viewIndex(n, s, x, j)]!;
        phi[j] = (s >>> j) & 1 ? 1 - p1 : p1;
        sum += phi[j]!;
      }
      let stay = visits;
      for (let j = 0; j < n; j++) stay -= c.flips[pre * n + j]!;
      const pStay = Math.max(1e-300, 1 - sum / n);
      L += stay * Math.log(pStay);
      for (let j = 0; j < n; j++) {
        const f = c.flips[pre * n + j]!;
        if (f > 0) L += f * Math.log(Math.max(1e-300, phi[j]!) / n);
        if (!gradH) continue;
        const dLdphi = f / Math.max(1e-300, phi[j]!) - stay / (n * pStay);
        const p1 = (s >>> j) & 1 ? 1 - phi[j]! : phi[j]!;
        const dphidz = ((s >>> j) & 1 ? -1 : 1) * p1 * (1 - p1);
        const G = (dLdphi * dphidz) / lambda; // z = logit p + (h1 - h0) / lambda
        const rest = s & ~(1 << j);
        gradH[x * S + (rest | (1 << j))] += G;
        gradH[x * S + rest] -= G;
      }
    }
  }
  return L;
}

/**
 * Maximum-likelihood reward weights for r_w(s) = sum_k w_k phi_k(s) (module comment, step 3).
 * p_j is held at the empirical marginals; returns the weights centred per input where the features are
 * the default one-hot (count, x).
 */
export function fitRewardMaxLikelihood(
  train: SpikeTrain,
  lambda: number,
  opts: { inputs?: number; features?: RewardFeatures; iterations?: number; learningRate?: number; kappa?: number } = {},
): MaxLikelihoodFit & { counts: TransitionCounts; marginal: Float64Array } {
  const counts = countTransitions(train, opts.inputs);
  const policy = empiricalPolicy(counts, opts.kappa ?? 0.5);
  const marginal = policy.marginal;
  const prob = inferredProblem(counts, train.inputLabels);
  const feats = opts.features ?? countInputFeatures(counts.neurons, counts.inputs);
  const K = feats.count;
  const M = prob.reward.length;
  // Start from the visit-weighted least-squares projection of the Bellman-inverted reward onto the
  // features (cheap and already close), so a few likelihood steps suffice.
  const w = projectOntoFeatures(rewardFromValue(prob, fitValueFromPolicy(counts, policy, lambda), marginal, lambda), counts.postVisits, feats);
  const mAdam = new Float64Array(K);
  const vAdam = new Float64Array(K);
  const lr = opts.learningRate ?? 0.01;
  const iters = opts.iterations ?? 40;
  const h = new Float64Array(M);
  const gradH = new Float64Array(M);
  let y = new Float64Array(M);
  let yNext = new Float64Array(M);
  const scratch = new Float64Array(M);
  let L = -Infinity;
  let piOne: Float64Array = new Float64Array(0);
  const setReward = () => {
    prob.reward.fill(0);
    for (let s = 0; s < M; s++) for (let k = 0; k < K; k++) prob.reward[s] += feats.values[s * K + k]! * w[k]!;
  };
  let it = 0;
  for (it = 1; it <= iters; it++) {
    setReward();
    relativeValueIteration(prob, h, marginal, lambda, 1e-9, 100_000);
    piOne = softPolicy(prob, h, marginal, lambda);
    L = flipLogLikelihood(prob, counts, piOne, lambda, gradH);
    // Adjoint: y = sum_t (P^T)^t gradH (gradH sums to zero, so the series converges).
    y.fill(0);
    for (let sweep = 0; sweep < 100_000; sweep++) {
      chainStep(prob, piOne, y, scratch, yNext);
      let change = 0;
      let scale = 0;
      for (let s = 0; s < M; s++) {
        yNext[s] += gradH[s]!;
        change += Math.abs(yNext[s]! - y[s]!);
        scale += Math.abs(yNext[s]!);
      }
      [y, yNext] = [yNext, y];
      if (change <= 1e-10 * Math.max(1, scale)) break;
    }
    for (let k = 0; k < K; k++) {
      let g = 0;
      for (let s = 0; s < M; s++) g += y[s]! * feats.values[s * K + k]!;
      g /= counts.transitions; // per-transition scale keeps Adam's step meaningful
      mAdam[k] = 0.9 * mAdam[k]! + 0.1 * g;
      vAdam[k] = 0.999 * vAdam[k]! + 0.001 * g * g;
      const mh = mAdam[k]! / (1 - 0.9 ** it);
      const vh = vAdam[k]! / (1 - 0.999 ** it);
      w[k] += (lr * mh) / (Math.sqrt(vh) + 1e-12);
    }
  }
  setReward();
  return { weights: w, reward: Float64Array.from(prob.reward), logLikelihood: L, iterations: it - 1, piOne, counts, marginal };
}

/** Weighted least-squares projection of a reward table onto features (normal equations, Gauss-Jordan). */
export function projectOntoFeatures(r: Float64Array, weights: Float64Array, feats: RewardFeatures): Float64Array {
  const K = feats.count;
  const A = new Float64Array(K * K);
  const b = new Float64Array(K);
  for (let s = 0; s < r.length; s++) {
    const ws = weights[s]!;
    if (ws === 0) continue;
    for (let k = 0; k < K; k++) {
      const fk = feats.values[s * K + k]!;
      if (fk === 0) continue;
      b[k] += ws * fk * r[s]!;
      for (let l = 0; l < K; l++) A[k * K + l] += ws * fk * feats.values[s * K + l]!;
    }
  }
  // Ridge keeps features of unvisited states at 0 and makes the system solvable.
  let tr = 0;
  for (let k = 0; k < K; k++) tr += A[k * K + k]!;
  for (let k = 0; k < K; k++) A[k * K + k] += 1e-9 * Math.max(1e-300, tr / K);
  for (let c = 0; c < K; c++) {
    let piv = c;
    for (let k = c + 1; k < K; k++) if (Math.abs(A[k * K + c]!) > Math.abs(A[piv * K + c]!)) piv = k;
    if (piv !== c) {
      for (let l = 0; l < K; l++) [A[c * K + l], A[piv * K + l]] = [A[piv * K + l]!, A[c * K + l]!];
      [b[c], b[piv]] = [b[piv]!, b[c]!];
    }
    const d = A[c * K + c]!;
    for (let k = 0; k < K; k++) {
      if (k === c) continue;
      const f = A[k * K + c]! / d;
      if (f === 0) continue;
      for (let l = c; l < K; l++) A[k * K + l] -= f * A[c * K + l]!;
      b[k] -= f * b[c]!;
    }
  }
  const w = new Float64Array(K);
  for (let k = 0; k < K; k++) w[k] = b[k]! / A[k * K + k]!;
  return w;
}
