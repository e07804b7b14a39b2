/**
 * Example (b), efficient coding [ours]: P pixels, P neurons; y = +1 if more than P/2 pixels are active.
 * Reward r(sigma, x) = log q(y(x) | sigma), where q is the decoder implied by the current policies
 * (the stationary posterior). The exact solver alternates value iteration, Blahut-Arimoto and this
 * decoder update; at the fixed point <r> = -H(y | sigma), so maximising it maximises I(y; sigma).
 * The loop is seeded with q(y=+1|sigma) = logistic(decoderSlope (count - P/2)) (a flat decoder
 * gives a constant reward and never leaves the trivial fixed point).
 */
import { type PolicyAnalysis } from './analysis.ts';
import { type ChalkPixelsConfig, CHALK_PIXELS_SWEEP, mergePixelsConfig } from './config.ts';
import type { SweepRow } from './counts.ts';
import { solveExact } from './exact-solver.ts';
import { type ChalkProblem, pixelInputs, popcount } from './problem.ts';

/** Options accepted by trainChalkPixels. */
export type ChalkPixelsOptions = Parameters<typeof mergePixelsConfig>[0];

/** Reward table log q(y(x) | sigma) for a decoder table qPlus[sigma] = q(y=+1 | sigma). */
export function decoderReward(n: number, feature: Uint8Array, qPlus: Float64Array, logFloor: number): Float64Array {
  const S = 1 << n;
  const r = new Float64Array(S * feature.length);
  for (let x = 0; x < feature.length; x++) {
    for (let s = 0; s < S; s++) {
      const q = feature[x] ? qPlus[s]! : 1 - qPlus[s]!;
      r[x * S + s] = Math.max(logFloor, Math.log(Math.max(q, 1e-300)));
    }
  }
  return r;
}

/** Stationary posterior q(y=+1 | sigma) from mu(sigma, x); states with no mass keep `fallback`. */
export function posteriorDecoder(n: number, feature: Uint8Array, mu: Float64Array, fallback: Float64Array): Float64Array {
  const S = 1 << n;
  const q = Float64Array.from(fallback);
  for (let s = 0; s < S; s++) {
    let plus = 0;
    let tot = 0;
    for (let x = 0; x < feature.length; x++) {
      tot += mu[x * S + s]!;
      if (feature[x]) plus += mu[x * S + s]!;
    }
    if (tot > 1e-300) q[s] = plus / tot;
  }
  return q;
}

/** Summary of a trained example-(b) network. */
export interface ChalkPixelsSummary {
  config: ChalkPixelsConfig;
  /** <log q(y|sigma)> = -H(y|sigma) at the fixed point (nats). */
  averageReward: number;
  /** I(y; sigma) = H(y) + <log q(y|sigma)>, bits. */
  informationBits: number;
  codingCostBits: number;
  objective: number;
  /** P(decoded y == true y) with the MAP decoder. */
  decodingAccuracy: number;
  marginals: number[];
  /** tuning[i][k] = P(sigma_i = 1 | k active pixels). */
  tuning: number[][];
  /** P(total spike count = c | k active pixels), [k][c]. */
  countGivenPixels: number[][];
  /** q(y=+1 | total spike count c), averaged over states with that count. */
  decoderByCount: number[];
  converged: boolean;
  rounds: number;
  timeMs: number;
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** Train example (b) with the exact solver. */
export function trainChalkPixels(options: ChalkPixelsOptions = {}): ChalkPixelsSummary {
  return solveChalkPixels(options).summary;
}

/** Example (b) solved: the summary, the problem (inputs: the pixel patterns or counts) and the policy table over views. */
export function solveChalkPixels(options: ChalkPixelsOptions = {}): { summary: ChalkPixelsSummary; problem: ChalkProblem; piOne: Float64Array; analysis: PolicyAnalysis } {
  const c = mergePixelsConfig(options);
  const n = c.pixels;
  const S = 1 << n;
  const inp = pixelInputs(c.pixels, c.pixelProb, c.inputMode);
  let qPlus: Float64Array = new Float64Array(S);
  for (let s = 0; s < S; s++) qPlus[s] = 1 / (1 + Math.exp(-c.decoderSlope * (popcount(s) - n / 2)));
  const p: ChalkProblem = {
    neurons: n,
    inputs: inp.prior.length,
    inputPrior: inp.prior,
    switchProb: c.switchProb,
    reward: decoderReward(n, inp.feature, qPlus, c.logFloor),
    inputLabels: inp.labels,
    update: 'async',
  };
  const t0 = Date.now();
  const sol = solveExact(p, c.lambda, { ...c.exact, seed: c.seed }, (a: PolicyAnalysis) => {
    qPlus = posteriorDecoder(n, inp.feature, a.mu, qPlus);
    return decoderReward(n, inp.feature, qPlus, c.logFloor);
  });
  const a = sol.analysis;
  // Reward actually paid under the final decoder (the true posterior of the final policy).
  const finalReward = decoderReward(n, inp.feature, posteriorDecoder(n, inp.feature, a.mu, qPlus), c.logFloor);
  let avgR = 0;
  let acc = 0;
  let py = 0;
  const qFinal = posteriorDecoder(n, inp.feature, a.mu, qPlus);
  for (let x = 0; x < p.inputs; x++) {
    for (let s = 0; s < S; s++) {
      const w = a.mu[x * S + s]!;
      avgR += w * finalReward[x * S + s]!;
      const guess = qFinal[s]! >= 0.5 ? 1 : 0;
      if (guess === inp.feature[x]) acc += w;
      if (inp.feature[x]) py += w;
    }
  }
  const hy = -(py > 0 ? py * Math.log(py) : 0) - (py < 1 ? (1 - py) * Math.log(1 - py) : 0);
  // Group inputs by number of active pixels.
  const K = c.pixels + 1;
  const tuning = Array.from({ length: n }, () => new Array<number>(K).fill(0));
  const countGiven = Array.from({ length: K }, () => new Array<number>(n + 1).fill(0));
  const massK = new Array<number>(K).fill(0);
  for (let x = 0; x < p.inputs; x++) {
    const k = inp.activePixels[x]!;
    for (let s = 0; s < S; s++) {
      const w = a.mu[x * S + s]!;
      massK[k]! += w;
      countGiven[k]![popcount(s)]! += w;
      for (let i = 0; i < n; i++) if (s & (1 << i)) tuning[i]![k]! += w;
    }
  }
  const decoderByCount = new Array<number>(n + 1).fill(0);
  const nByCount = new Array<number>(n + 1).fill(0);
  for (let s = 0; s < S; s++) {
    decoderByCount[popcount(s)]! += qFinal[s]!;
    nByCount[popcount(s)]!++;
  }
  const summary: ChalkPixelsSummary = {
    config: c,
    averageReward: round(avgR),
    informationBits: round((hy + avgR) / Math.LN2),
    codingCostBits: round(a.costPerStep / Math.LN2),
    objective: round(avgR - c.lambda * a.costPerStep),
    decodingAccuracy: round(acc),
    marginals: Array.from(a.marginal, round),
    tuning: tuning.map((row) => row.map((v, k) => round(massK[k]! > 0 ? v / massK[k]! : 0))),
    countGivenPixels: countGiven.map((row, k) => row.map((v) => round(massK[k]! > 0 ? v / massK[k]! : 0))),
    decoderByCount: decoderByCount.map((v, cnt) => round(v / nByCount[cnt]!)),
    converged: sol.converged,
    rounds: sol.rounds,
    timeMs: Date.now() - t0,
  };
  return { summary, problem: p, piOne: sol.piOne, analysis: a };
}

/** Example-(b) lambda sweep: information about y vs coding cost. */
export function chalkPixelsSweep(lambdas: readonly number[] = CHALK_PIXELS_SWEEP, options: ChalkPixelsOptions = {}): (SweepRow & { informationBits: number })[] {
  return lambdas.map((lambda) => {
    const s = trainChalkPixels({ ...options, lambda });
    return {
      lambda,
      averageReward: s.averageReward,
      codingCostBits: s.codingCostBits,
      objective: s.objective,
      performance: s.decodingAccuracy,
      informationBits: s.informationBits,
      marginals: s.marginals,
    };
  });
}
