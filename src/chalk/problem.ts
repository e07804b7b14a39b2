/**
 * The Chalk et al. coding-cost network as plain tables: N binary neurons sigma in {0,1}^N, an input
 * x drawn from a finite set of nX values, and a reward r(sigma, x). Every other chalk module (exact
 * solver, simulator, sampling learner, inverse RL) works off this one description, so the CPU
 * reference and the future GPU kernels share the same state layout.
 *
 * Layout: a network state is the integer sigma in [0, 2^N) with neuron i = bit i; a full state is
 * s = x * 2^N + sigma. Neuron i's view (what its policy sees) is (sigma without bit i, x), stored as
 * v = x * 2^(N-1) + dropBit(sigma, i).
 *
 * Timing of one step [ours]: from post-action state (sigma, x), the input is redrawn — with
 * probability switchProb x' ~ inputPrior, else x' = x — then (async) one neuron chosen uniformly, or
 * (sync) every neuron, samples sigma_i from pi_i(. | sigma_-i, x'); the reward r(sigma', x') is paid
 * on the resulting post-action state.
 */

/** How the network updates each step. */
export type UpdateMode = 'async' | 'sync';

/** A fully enumerated network problem (small N: tables of size nX * 2^N). */
export interface ChalkProblem {
  /** Number of neurons N. */
  neurons: number;
  /** Number of distinct inputs nX. */
  inputs: number;
  /** p(x) over the nX inputs (sums to 1). */
  inputPrior: Float64Array;
  /** Probability per step that x is redrawn from inputPrior (1 = iid input every step). */
  switchProb: number;
  /** r(sigma, x) at index x * 2^N + sigma. */
  reward: Float64Array;
  /** Human-readable label of each input (JSON summaries, spike files). */
  inputLabels: string[];
  /** Asynchronous (one random neuron per step) or synchronous (all neurons) updates. */
  update: UpdateMode;
}

/** Number of set bits (the spike count of a network state). */
export function popcount(v: number): number {
  let x = v >>> 0;
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** sigma with bit i removed (the higher bits shift down by one): neuron i's view of the others. */
export function dropBit(sigma: number, i: number): number {
  const low = sigma & ((1 << i) - 1);
  return low | ((sigma >>> (i + 1)) << i);
}

/** Inverse of dropBit: put bit value a back at position i. */
export function insertBit(rest: number, i: number, a: number): number {
  const low = rest & ((1 << i) - 1);
  return low | (a << i) | ((rest >>> i) << (i + 1));
}

/** View index of neuron i in full state (sigma, x). */
export function viewIndex(neurons: number, sigma: number, x: number, i: number): number {
  return x * (1 << (neurons - 1)) + dropBit(sigma, i);
}

/** Number of views per neuron: 2^(N-1) * nX. */
export function viewCount(p: ChalkProblem): number {
  return (1 << (p.neurons - 1)) * p.inputs;
}

/** Number of full states: 2^N * nX. */
export function stateCount(p: ChalkProblem): number {
  return (1 << p.neurons) * p.inputs;
}

/** Throws RangeError unless the problem tables are consistent. */
export function validateProblem(p: ChalkProblem): void {
  if (!Number.isInteger(p.neurons) || p.neurons < 1 || p.neurons > 16) {
    throw new RangeError(`neurons must be an integer in [1, 16], got ${p.neurons}`);
  }
  if (!Number.isInteger(p.inputs) || p.inputs < 1) throw new RangeError(`inputs must be an integer >= 1, got ${p.inputs}`);
  if (p.inputPrior.length !== p.inputs) throw new RangeError(`inputPrior must have ${p.inputs} entries`);
  let s = 0;
  for (const v of p.inputPrior) {
    if (!(v >= 0)) throw new RangeError('inputPrior entries must be >= 0');
    s += v;
  }
  if (Math.abs(s - 1) > 1e-9) throw new RangeError(`inputPrior must sum to 1, got ${s}`);
  if (!(p.switchProb > 0 && p.switchProb <= 1)) throw new RangeError(`switchProb must be in (0, 1], got ${p.switchProb}`);
  if (p.reward.length !== stateCount(p)) throw new RangeError(`reward must have nX * 2^N = ${stateCount(p)} entries`);
  for (const v of p.reward) if (!Number.isFinite(v)) throw new RangeError('reward entries must be finite');
  if (p.update !== 'async' && p.update !== 'sync') throw new RangeError(`update must be 'async' or 'sync'`);
}

/** Example (a) reward forms: 'exact' = 1 if count == target(x) else 0; 'smooth' = -|count - target(x)|. */
export type CountReward = 'exact' | 'smooth';

/**
 * Example (a): N neurons, input x in {-1, +1} (index 0 = -1, index 1 = +1), reward on the spike count.
 * `opts.targets`: the target count for x = -1 and for x = +1.
 */
export function countsProblem(opts: { neurons: number; targets: readonly [number, number]; reward: CountReward; switchProb: number; pInputPlus: number; update: UpdateMode }): ChalkProblem {
  const n = opts.neurons;
  const S = 1 << n;
  const reward = new Float64Array(2 * S);
  for (let x = 0; x < 2; x++) {
    const t = opts.targets[x]!;
    for (let s = 0; s < S; s++) {
      const c = popcount(s);
      reward[x * S + s] = opts.reward === 'exact' ? (c === t ? 1 : 0) : -Math.abs(c - t);
    }
  }
  return {
    neurons: n,
    inputs: 2,
    inputPrior: Float64Array.from([1 - opts.pInputPlus, opts.pInputPlus]),
    switchProb: opts.switchProb,
    reward,
    inputLabels: ['-1', '+1'],
    update: opts.update,
  };
}

/**
 * Example (b) input set: 7 (or P) binary pixels, each active with probability pixelProb.
 * 'pixels' enumerates all 2^P patterns; 'count' keeps only the number of active pixels k (prior
 * Binomial(P, pixelProb)). The two give the same optimum because reward and dynamics depend on x only
 * through k, so an optimal policy never pays coding cost for finer detail (data processing) [ours].
 * Returns the prior, the relevant feature y(x) in {0: y=-1, 1: y=+1}, and labels.
 */
export function pixelInputs(
  pixels: number,
  pixelProb: number,
  mode: 'pixels' | 'count',
): {
  prior: Float64Array;
  feature: Uint8Array;
  activePixels: Uint8Array;
  labels: string[];
} {
  const threshold = Math.floor(pixels / 2); // y = +1 if more than 3 of 7 pixels are active
  if (mode === 'count') {
    const prior = new Float64Array(pixels + 1);
    const feature = new Uint8Array(pixels + 1);
    const active = new Uint8Array(pixels + 1);
    for (let k = 0; k <= pixels; k++) {
      prior[k] = binom(pixels, k) * pixelProb ** k * (1 - pixelProb) ** (pixels - k);
      feature[k] = k > threshold ? 1 : 0;
      active[k] = k;
    }
    return { prior, feature, activePixels: active, labels: [...Array(pixels + 1).keys()].map((k) => `k=${k}`) };
  }
  const nX = 1 << pixels;
  const prior = new Float64Array(nX);
  const feature = new Uint8Array(nX);
  const active = new Uint8Array(nX);
  const labels: string[] = [];
  for (let x = 0; x < nX; x++) {
    const k = popcount(x);
    prior[x] = pixelProb ** k * (1 - pixelProb) ** (pixels - k);
    feature[x] = k > threshold ? 1 : 0;
    active[x] = k;
    labels.push(x.toString(2).padStart(pixels, '0').split('').reverse().join(''));
  }
  return { prior, feature, activePixels: active, labels };
}

function binom(n: number, k: number): number {
  let r = 1;
  for (let j = 1; j <= k; j++) r = (r * (n - k + j)) / j;
  return r;
}
