/**
 * Stochastic network dynamics under fixed policies, and the random draws every chalk sampler uses.
 * Each draw is a pure function of (seed, stream, agent, step) so the GPU sampling learner and this
 * CPU reference make identical choices:
 *   input switch  : rngUniform(seed, Stream.chalkInputSwitch, chain, t) < switchProb
 *   input value   : inverse CDF of inputPrior at rngUniform(seed, Stream.chalkInputValue, chain, t)
 *   acting neuron : floor(rngUniform(seed, Stream.chalkPick, chain, t) * N)        (async)
 *   spike         : rngUniform(seed, Stream.spike, chain * N + i, t) < pi_i(1 | view)
 */
import { rngUniform, Stream } from '../rng/counter-rng.ts';
import { type ChalkProblem, viewCount, viewIndex } from './problem.ts';

/** Input after the step-t redraw for chain r (x unchanged unless the switch draw fires). */
export function drawInput(seed: number, chain: number, t: number, x: number, prior: ArrayLike<number>, switchProb: number): number {
  if (rngUniform(seed, Stream.chalkInputSwitch, chain, t) >= switchProb) return x;
  const u = rngUniform(seed, Stream.chalkInputValue, chain, t);
  let acc = 0;
  for (let k = 0; k < prior.length; k++) {
    acc += prior[k]!;
    if (u < acc) return k;
  }
  return prior.length - 1; // u above the rounded total: last input
}

/** Neuron that acts at step t in chain r (async updates). */
export function drawPick(seed: number, chain: number, t: number, neurons: number): number {
  return Math.min(neurons - 1, Math.floor(rngUniform(seed, Stream.chalkPick, chain, t) * neurons));
}

/** Spike decision of neuron i in chain r at step t given pi_i(1 | view). */
export function drawSpike(seed: number, chain: number, neurons: number, i: number, t: number, pOne: number): number {
  return rngUniform(seed, Stream.spike, chain * neurons + i, t) < pOne ? 1 : 0;
}

/** A recorded spike train: row t holds the post-action state of step t and the input it was paid under. */
export interface SpikeTrain {
  /** Number of neurons N. */
  neurons: number;
  /** Number of rows T. */
  steps: number;
  /** sigma[t * N + i] in {0, 1}. */
  sigma: Uint8Array;
  /** Input index of row t (into the problem's inputs / the file's distinct input values). */
  input: Int32Array;
  /** Labels of the input indices. */
  inputLabels: string[];
}

/**
 * Run one chain of the network for `steps` steps under policy table piOne (layout of analysis.ts),
 * with the problem's update mode. Row 0 is the initial state (all silent, input drawn from the prior).
 */
export function simulate(p: ChalkProblem, piOne: Float64Array, opts: { steps: number; seed: number; chain?: number; dead?: readonly number[] }): SpikeTrain {
  const n = p.neurons;
  const nV = viewCount(p);
  const r = opts.chain ?? 0;
  const T = opts.steps;
  const sigma = new Uint8Array(T * n);
  const input = new Int32Array(T);
  const dead = new Uint8Array(n);
  for (const d of opts.dead ?? []) dead[d] = 1;
  let x = drawInput(opts.seed, r, 0, 0, p.inputPrior, 1);
  let s = 0;
  input[0] = x;
  for (let t = 1; t < T; t++) {
    x = drawInput(opts.seed, r, t, x, p.inputPrior, p.switchProb);
    if (p.update === 'async') {
      const j = drawPick(opts.seed, r, t, n);
      const a = dead[j] ? 0 : drawSpike(opts.seed, r, n, j, t, piOne[j * nV + viewIndex(n, s, x, j)]!);
      s = a ? s | (1 << j) : s & ~(1 << j);
    } else {
      let next = 0;
      for (let i = 0; i < n; i++) {
        if (!dead[i] && drawSpike(opts.seed, r, n, i, t, piOne[i * nV + viewIndex(n, s, x, i)]!)) next |= 1 << i;
      }
      s = next;
    }
    for (let i = 0; i < n; i++) sigma[t * n + i] = (s >>> i) & 1;
    input[t] = x;
  }
  return { neurons: n, steps: T, sigma, input, inputLabels: p.inputLabels.slice() };
}

/** Threshold T with u < q  <=>  (u * 2^24) < T for every u on the RNG's 2^-24 grid (the kernels' integer draws). */
export function uniformThreshold(q: number): number {
  return Math.min(2 ** 32 - 1, Math.max(0, Math.ceil(q * 16777216)));
}

/**
 * The kernels' problem buffer: [reward table | input prior | cumulative-prior thresholds as u32
 * bits], f32. The thresholds accumulate the prior in f64 in drawInput's order, so the kernels' input
 * draws are the twin's.
 */
export function problemBuffer(reward: ArrayLike<number>, prior: ArrayLike<number>): Float32Array {
  const nR = reward.length;
  const nX = prior.length;
  const buf = new Float32Array(nR + 2 * nX);
  buf.set(reward, 0);
  buf.set(prior, nR);
  const thr = new Uint32Array(buf.buffer);
  let acc = 0;
  for (let k = 0; k < nX; k++) {
    acc += prior[k]!;
    thr[nR + nX + k] = uniformThreshold(acc);
  }
  return buf;
}
