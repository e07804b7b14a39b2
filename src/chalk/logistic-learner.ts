/**
 * Sampling learner for any N [ours]: function approximation instead of tables, so the parameter
 * count grows like N (not 2^N). Same objective as the tabular learner (sampling-learner.ts): reward
 * minus lambda * log(pi_i / p_i), marginals p_i tracked online, soft actor-critic, R parallel chains.
 * Reward and features see the network only through the spike count c, so a problem is a reward table
 * over (x, c) (count-level problems: example (a) at any N).
 *
 * Features (tent / piecewise-linear interpolation over B + 1 knots of a count value in [0, N]):
 *   tent_k(c) = max(0, 1 - |c B / N - k|), k = 0..B   (B = N gives one-hot counts)
 *   actor of neuron i:  A_i(s) = sum_k w_i[x', k] tent_k(o_i),  o_i = others active in the pre-action
 *                       state (its view: the input x' and how many of the others spike)
 *                       pi_i(1 | s) = logistic(logit p_i + A_i(s) / lambda)   (per-neuron logistic)
 *   critic (shared):    h(x, c) = sum_k u[x, k] tent_k(c)
 * A neuron's own previous state is not a feature: the tabular views (and the exact solver) leave it
 * out too, so with B = N the class holds every symmetric tabular policy and the N = 8 result can be
 * compared with the exact solver. (It restricts the class to policies symmetric in the others.)
 *
 * One step t, per chain r (chain kernel, one invocation per chain; reductions over i ascending):
 *   x' = drawInput(x); o_i = c - sigma_i; pi_i as above (piOne[r, i])
 *   async: j = drawPick, sigma_j ~ pi_j;  target = (1/N) sum_j [pi_j h(x', o_j + 1) + (1 - pi_j) h(x', o_j) - lambda KL_j]
 *          actor target y_i = h(x', o_i + 1) - h(x', o_i)            (Q_i of the neuron's two choices)
 *   sync:  every sigma_i ~ pi_i, c' = sum sigma_i;  target = h(x', c') - lambda sum_i KL_i
 *          y_i = h(x', c' - sigma_i + 1) - h(x', c' - sigma_i)       (sampled others, unbiased)
 *   delta_r = r(x, c) - g + target - h(x, c)   (x, c: the previous post-action state)
 *   err[r, i] = y_i - A_i(s)
 * then critic (per knot): u[x,k] += alpha_t sum_r [x_r = x] tent_k(c_r) delta_r / sum_r [x_r = x] tent_k(c_r)
 *      actor  (per neuron and feature): w_i[f] += eta sum_r phi_f(r, i) err[r, i] / sum_r phi_f(r, i)
 *      marginal (per neuron, after warm-up): p_i <- clamp((1 - beta) p_i + beta mean_r pi_i(r))
 *      reference (one thread): g = mean_k u (pins the free constant of h, as mean_s h in the tables).
 * The critic starts at the one-step reward on its knots; actor weights at 0; p_i = 1/2.
 * With one-hot features the normalised updates are the tabular ones (mean over the chains that hit
 * a cell). The three registered kernels (src/kernels/chalk-fa.ts: CHALK_FA_CHAIN, CHALK_FA_CRITIC,
 * CHALK_FA_LEARN) run logisticChainStep, logisticCriticStep and logisticLearnStep below as their CPU
 * twins and shaders/chalk-fa-{chain,critic,learn}.wgsl on WebGPU; the 'coding-cost' rule
 * (src/rules/coding-cost.ts) orders them into a step program.
 */
import { drawInput, drawPick, drawSpike } from './dynamics.ts';
import { analysePolicy, type PolicyAnalysis } from './analysis.ts';
import { type ChalkProblem, popcount, type UpdateMode } from './problem.ts';

/** A problem whose reward depends on the network only through the spike count. */
export interface CountLevelProblem {
  neurons: number;
  inputs: number;
  inputPrior: Float64Array;
  switchProb: number;
  /** r(x, c) at index x * (N + 1) + c. */
  rewardByCount: Float64Array;
  inputLabels: string[];
  update: UpdateMode;
}

/** Settings of the logistic (function-approximation) learner. */
export interface LogisticConfig {
  /** Parallel chains R; integer in [1, 4096]. */
  chains: number;
  /** Learning steps; integer >= 1. */
  steps: number;
  /** Tent knots over the count axis: B + 1 knots; integer in [1, 256], at most N. */
  countBins: number;
  /** Critic rate alpha0 (decays as alpha0 / (1 + t / criticDecay)); in (0, 1]. */
  criticRate: number;
  criticDecay: number;
  /** Actor regression rate; in (0, 1]. */
  actorRate: number;
  /**
   * Actor trust region kappa >= 0 (0 = off): each step a weight moves at most kappa * lambda / sqrt(N)
   * (f32, actorStepCap). In a synchronous population every neuron sees the same count, so a weight
   * change dA moves the expected count by N pi (1 - pi) dA / lambda; the cap keeps that below
   * ~kappa / 2 standard deviations of the count per step whatever the reward scale.
   */
  actorTrust: number;
  /** Marginal running-mean rate; in (0, 1]. */
  marginalRate: number;
  /** Steps before the marginals start to move; integer >= 0. */
  marginalWarmup: number;
  /** Clamp of p_i; in (0, 0.5). */
  minMarginal: number;
  seed: number;
  /** Histogram, reward and cost are recorded over the last recordFraction of steps; in [0, 1]. */
  recordFraction: number;
}

export const LOGISTIC_DEFAULTS: Readonly<LogisticConfig> = Object.freeze({
  chains: 128,
  steps: 12_000,
  countBins: 32,
  criticRate: 0.5,
  criticDecay: 2_000,
  actorRate: 0.05,
  actorTrust: 0,
  marginalRate: 0.0005,
  marginalWarmup: 4_000,
  minMarginal: 1e-4,
  seed: 1,
  recordFraction: 0.25,
});

/** Throws RangeError naming the field and its range. */
export function validateLogisticConfig(c: LogisticConfig, neurons?: number): void {
  const unit = (k: 'criticRate' | 'actorRate' | 'marginalRate') => {
    if (!(c[k] > 0 && c[k] <= 1)) throw new RangeError(`logistic.${k} must be in (0, 1], got ${c[k]}`);
  };
  if (!Number.isInteger(c.chains) || c.chains < 1 || c.chains > 4096) throw new RangeError(`logistic.chains must be an integer in [1, 4096], got ${c.chains}`);
  if (!Number.isInteger(c.steps) || c.steps < 1) throw new RangeError(`logistic.steps must be an integer >= 1, got ${c.steps}`);
  if (!Number.isInteger(c.countBins) || c.countBins < 1 || c.countBins > 256) throw new RangeError(`logistic.countBins must be an integer in [1, 256], got ${c.countBins}`);
  if (neurons !== undefined && c.countBins > neurons) throw new RangeError(`logistic.countBins must be <= neurons (${neurons}), got ${c.countBins}`);
  unit('criticRate');
  unit('actorRate');
  unit('marginalRate');
  if (!(c.actorTrust >= 0 && Number.isFinite(c.actorTrust))) throw new RangeError(`logistic.actorTrust must be a finite number >= 0, got ${c.actorTrust}`);
  if (!(c.criticDecay > 0)) throw new RangeError(`logistic.criticDecay must be > 0, got ${c.criticDecay}`);
  if (!Number.isInteger(c.marginalWarmup) || c.marginalWarmup < 0) throw new RangeError(`logistic.marginalWarmup must be an integer >= 0, got ${c.marginalWarmup}`);
  if (!(c.minMarginal > 0 && c.minMarginal < 0.5)) throw new RangeError(`logistic.minMarginal must be in (0, 0.5), got ${c.minMarginal}`);
  if (!(c.recordFraction >= 0 && c.recordFraction <= 1)) throw new RangeError(`logistic.recordFraction must be in [0, 1], got ${c.recordFraction}`);
}

/** Most neurons the logistic learner takes (per-chain u32 counts; buffers R * N). */
export const LOGISTIC_MAX_NEURONS = 1 << 20;

/** Example (a) at any N: reward 'exact' (1 if c = target) or 'smooth' (-|c - target| / max(1, N/8)). */
export function countLevelProblem(o: {
  neurons: number;
  targets: readonly [number, number];
  reward: 'exact' | 'smooth';
  switchProb: number;
  pInputPlus: number;
  update: UpdateMode;
}): CountLevelProblem {
  const n = o.neurons;
  if (!Number.isInteger(n) || n < 1 || n > LOGISTIC_MAX_NEURONS) throw new RangeError(`neurons must be an integer in [1, ${LOGISTIC_MAX_NEURONS}], got ${n}`);
  const r = new Float64Array(2 * (n + 1));
  const scale = Math.max(1, n / 8);
  for (let x = 0; x < 2; x++) {
    const t = o.targets[x]!;
    if (!Number.isInteger(t) || t < 0 || t > n) throw new RangeError(`targets must be integers in [0, ${n}], got ${t}`);
    for (let c = 0; c <= n; c++) r[x * (n + 1) + c] = o.reward === 'exact' ? (c === t ? 1 : 0) : -Math.abs(c - t) / scale;
  }
  return { neurons: n, inputs: 2, inputPrior: Float64Array.from([1 - o.pInputPlus, o.pInputPlus]), switchProb: o.switchProb, rewardByCount: r, inputLabels: ['-1', '+1'], update: o.update };
}

const f32 = Math.fround;

/**
 * Tent interpolation of count c over B + 1 knots on [0, N]: lower knot (integer division, exact on
 * both backends) and the weight of the upper one, f32(remainder) * f32(1/N) (a correctly rounded
 * product, so WGSL gets the same bits); c = N is the upper end of the last segment.
 */
export function tentKnot(c: number, n: number, bins: number): { k0: number; frac: number } {
  const k0 = Math.floor((c * bins) / n);
  if (k0 >= bins) return { k0: bins - 1, frac: 1 };
  return { k0, frac: f32(f32(c * bins - k0 * n) * f32(1 / n)) };
}

/** All learner buffers (the GPU layout, f32/u32). */
export interface LogisticState {
  problem: CountLevelProblem;
  lambda: number;
  config: LogisticConfig;
  /** spk[r * N + i]: bit 0 = current state, bit 1 = state before the last act. */
  spk: Uint32Array;
  /** chain = [input x: R | post count c: R | td index (x_old * (N+1) + c_old): R | pre-action count: R] */
  chain: Uint32Array;
  piOne: Float32Array;
  err: Float32Array;
  tdDelta: Float32Array;
  /** Per-chain sums over recorded steps of the reward and the coding cost (nats per step). */
  rewardSum: Float32Array;
  costSum: Float32Array;
  /** model = [u: nX (B+1) | w: N nX (B+1) | marginal: N | gain: 1] */
  u: Float32Array;
  w: Float32Array;
  marginal: Float32Array;
  gain: Float32Array;
  hist: Uint32Array;
}

export function createLogisticLearner(problem: CountLevelProblem, lambda: number, config: LogisticConfig): LogisticState {
  validateLogisticConfig(config, problem.neurons);
  if (!(lambda > 0)) throw new RangeError(`lambda must be > 0, got ${lambda}`);
  const n = problem.neurons;
  const R = config.chains;
  const K = problem.inputs * (config.countBins + 1);
  const st: LogisticState = {
    problem,
    lambda,
    config,
    spk: new Uint32Array(R * n),
    chain: new Uint32Array(4 * R),
    piOne: new Float32Array(R * n),
    err: new Float32Array(R * n),
    tdDelta: new Float32Array(R),
    rewardSum: new Float32Array(R),
    costSum: new Float32Array(R),
    u: new Float32Array(K),
    w: new Float32Array(n * K),
    marginal: new Float32Array(n).fill(0.5),
    gain: new Float32Array(1),
    hist: new Uint32Array(problem.inputs * (n + 1)),
  };
  // Critic starts at the one-step reward on its knots (h = r): with tents most knots are never
  // visited early on, and a zero start gives the actor h(c+1) - h(c) of arbitrary sign there.
  const B = config.countBins;
  for (let x = 0; x < problem.inputs; x++) {
    for (let k = 0; k <= B; k++) st.u[x * (B + 1) + k] = problem.rewardByCount[x * (n + 1) + Math.round((k * n) / B)]!;
  }
  for (let r = 0; r < R; r++) {
    const x = drawInput(config.seed, r, 0, 0, problem.inputPrior, 1);
    st.chain[r] = x;
    st.chain[2 * R + r] = x * (n + 1);
  }
  return st;
}

/** Largest actor weight change per step (f32; 0 = no cap): actorTrust * lambda / sqrt(N). */
export function actorStepCap(config: LogisticConfig, lambda: number, neurons: number): number {
  return config.actorTrust > 0 ? f32((config.actorTrust * lambda) / Math.sqrt(neurons)) : 0;
}

/** An actor weight step eta * num / den, clamped to +-cap when cap > 0 (f32, the kernel's order). */
function actorStep(eta: number, num: number, den: number, cap: number): number {
  const d = f32(f32(eta * num) / den);
  return cap > 0 ? Math.min(cap, Math.max(-cap, d)) : d;
}

/** h(x, c) from the critic weights (f32 in the kernel's order). */
export function criticValue(u: Float32Array, x: number, c: number, n: number, bins: number): number {
  const { k0, frac } = tentKnot(c, n, bins);
  const b = x * (bins + 1) + k0;
  return f32(f32(f32(1 - frac) * u[b]!) + f32(frac * u[b + 1]!));
}

/** A_i(x, o) from neuron i's actor weights. */
export function actorValue(w: Float32Array, i: number, x: number, o: number, n: number, bins: number, inputs: number): number {
  return criticValue(w.subarray(i * inputs * (bins + 1)), x, o, n, bins);
}

/** pi(1) = logistic(logit p + A / lambda), f32 in the kernel's order. */
export function logisticPolicy(p: number, a: number, lambda: number): number {
  const z = f32(f32(Math.log(f32(p / f32(1 - p)))) + f32(a / lambda));
  return f32(1 / f32(1 + f32(Math.exp(-z))));
}

function klF32(pi: number, p: number): number {
  let k = 0;
  if (pi > 0) k = f32(k + f32(pi * f32(Math.log(f32(pi / p)))));
  if (pi < 1) k = f32(k + f32(f32(1 - pi) * f32(Math.log(f32(f32(1 - pi) / f32(1 - p))))));
  return k;
}

/** Chain kernel twin (shaders/chalk-fa-chain.wgsl), one invocation per chain r at step t. */
export function logisticChainKernel(st: LogisticState, r: number, t: number, recordFrom: number): void {
  const p = st.problem;
  const n = p.neurons;
  const R = st.config.chains;
  const B = st.config.countBins;
  const seed = st.config.seed;
  const lam = st.lambda;
  const xOld = st.chain[r]!;
  const cOld = st.chain[R + r]!;
  const x = drawInput(seed, r, t, xOld, p.inputPrior, p.switchProb);
  st.chain[r] = x;
  let kl = 0;
  let soft = 0;
  for (let i = 0; i < n; i++) {
    const o = cOld - (st.spk[r * n + i]! & 1);
    const a = actorValue(st.w, i, x, o, n, B, p.inputs);
    const pi = logisticPolicy(st.marginal[i]!, a, lam);
    st.piOne[r * n + i] = pi;
    const k = klF32(pi, st.marginal[i]!);
    kl = f32(kl + k);
    if (p.update === 'async') {
      const h0 = criticValue(st.u, x, o, n, B);
      const h1 = criticValue(st.u, x, o + 1, n, B);
      soft = f32(soft + f32(f32(f32(pi * h1) + f32(f32(1 - pi) * h0)) - f32(lam * k)));
      st.err[r * n + i] = f32(f32(h1 - h0) - a);
    }
  }
  let cNew: number;
  let target: number;
  if (p.update === 'async') {
    const j = drawPick(seed, r, t, n);
    const prev = st.spk[r * n + j]! & 1;
    for (let i = 0; i < n; i++) st.spk[r * n + i] = ((st.spk[r * n + i]! & 1) << 1) | (st.spk[r * n + i]! & 1);
    const a = drawSpike(seed, r, n, j, t, st.piOne[r * n + j]!);
    st.spk[r * n + j] = (prev << 1) | a;
    cNew = cOld - prev + a;
    target = f32(soft / n);
  } else {
    cNew = 0;
    for (let i = 0; i < n; i++) {
      const a = drawSpike(seed, r, n, i, t, st.piOne[r * n + i]!);
      st.spk[r * n + i] = ((st.spk[r * n + i]! & 1) << 1) | a;
      cNew += a;
    }
    for (let i = 0; i < n; i++) {
      const o = cNew - (st.spk[r * n + i]! & 1);
      const y = f32(criticValue(st.u, x, o + 1, n, B) - criticValue(st.u, x, o, n, B));
      st.err[r * n + i] = f32(y - actorValue(st.w, i, x, cOld - ((st.spk[r * n + i]! >>> 1) & 1), n, B, p.inputs));
    }
    target = f32(criticValue(st.u, x, cNew, n, B) - f32(lam * kl));
  }
  const rew = f32(p.rewardByCount[xOld * (n + 1) + cOld]!);
  st.chain[2 * R + r] = xOld * (n + 1) + cOld;
  st.chain[3 * R + r] = cOld;
  st.tdDelta[r] = f32(f32(f32(rew - st.gain[0]!) + target) - criticValue(st.u, xOld, cOld, n, B));
  st.chain[R + r] = cNew;
  if (t > recordFrom) {
    st.hist[x * (n + 1) + cNew]++;
    st.rewardSum[r] = f32(st.rewardSum[r]! + f32(p.rewardByCount[x * (n + 1) + cNew]!));
    st.costSum[r] = f32(st.costSum[r]! + (p.update === 'async' ? f32(kl / n) : kl));
  }
}

/** Critic kernel twin (shaders/chalk-fa-critic.wgsl), one invocation per knot q = x * (B+1) + k. */
export function logisticCriticKernel(st: LogisticState, q: number, t: number): void {
  const n = st.problem.neurons;
  const R = st.config.chains;
  const B = st.config.countBins;
  const x = Math.floor(q / (B + 1));
  const k = q - x * (B + 1);
  let num = 0;
  let den = 0;
  for (let r = 0; r < R; r++) {
    const idx = st.chain[2 * R + r]!;
    const xr = Math.floor(idx / (n + 1));
    if (xr !== x) continue;
    const { k0, frac } = tentKnot(idx - xr * (n + 1), n, B);
    const wgt = k === k0 ? f32(1 - frac) : k === k0 + 1 ? frac : 0;
    if (wgt > 0) {
      num = f32(num + f32(wgt * st.tdDelta[r]!));
      den = f32(den + wgt);
    }
  }
  if (den > 0) {
    const alpha = f32(st.config.criticRate / f32(1 + f32(t / st.config.criticDecay)));
    st.u[q] = f32(st.u[q]! + f32(f32(alpha * num) / den));
  }
}

/**
 * Learn kernel twin, invocation k: k < N K actor weight (i, f); k < N K + N marginal of neuron i;
 * k = N K + N reference level. (The reference reads u after the critic dispatch; the actor reads err
 * and the chains, so the three share one dispatch.) shaders/chalk-fa-learn.wgsl runs the actor per
 * neuron instead (invocation i < N = logisticActorScatter for neuron i, bit-identical to the
 * per-weight form, O(R + K) instead of O(R K) per neuron), then marginals (N + i) and reference (2 N).
 */
export function logisticLearnKernel(st: LogisticState, k: number, t: number): void {
  const p = st.problem;
  const n = p.neurons;
  const R = st.config.chains;
  const B = st.config.countBins;
  const K = p.inputs * (B + 1);
  if (k < n * K) {
    const i = Math.floor(k / K);
    const fI = k - i * K;
    const x = Math.floor(fI / (B + 1));
    const kb = fI - x * (B + 1);
    let num = 0;
    let den = 0;
    for (let r = 0; r < R; r++) {
      if (st.chain[r] !== x) continue;
      const o = st.chain[3 * R + r]! - ((st.spk[r * n + i]! >>> 1) & 1);
      const { k0, frac } = tentKnot(o, n, B);
      const wgt = kb === k0 ? f32(1 - frac) : kb === k0 + 1 ? frac : 0;
      if (wgt > 0) {
        num = f32(num + f32(wgt * st.err[r * n + i]!));
        den = f32(den + wgt);
      }
    }
    if (den > 0) st.w[k] = f32(st.w[k]! + actorStep(st.config.actorRate, num, den, actorStepCap(st.config, st.lambda, n)));
    return;
  }
  if (k < n * K + n) {
    if (t <= st.config.marginalWarmup) return;
    const i = k - n * K;
    let sum = 0;
    for (let r = 0; r < R; r++) sum = f32(sum + st.piOne[r * n + i]!);
    const beta = st.config.marginalRate;
    const m = f32(f32(f32(1 - beta) * st.marginal[i]!) + f32(f32(beta * sum) / R));
    st.marginal[i] = Math.min(f32(1 - st.config.minMarginal), Math.max(f32(st.config.minMarginal), m));
    return;
  }
  if (k === n * K + n) {
    let sum = 0;
    for (let q = 0; q < K; q++) sum = f32(sum + st.u[q]!);
    st.gain[0] = f32(sum / K);
  }
}

/** The step (from 1) after which histogram, reward and cost are recorded. */
export function logisticRecordFrom(c: Pick<LogisticConfig, 'steps' | 'recordFraction'>): number {
  return Math.floor(c.steps * (1 - c.recordFraction));
}

/** The per-chain part of step t (CPU twin of shaders/chalk-fa-chain.wgsl): every chain, ascending. */
export function logisticChainStep(st: LogisticState, t: number, recordFrom: number): void {
  for (let r = 0; r < st.config.chains; r++) logisticChainKernel(st, r, t, recordFrom);
}

/** The critic part of step t (CPU twin of shaders/chalk-fa-critic.wgsl): every knot. */
export function logisticCriticStep(st: LogisticState, t: number): void {
  const K = st.problem.inputs * (st.config.countBins + 1);
  for (let q = 0; q < K; q++) logisticCriticKernel(st, q, t);
}

/** The actor, marginal and reference part of step t (CPU twin of shaders/chalk-fa-learn.wgsl). */
export function logisticLearnStep(st: LogisticState, t: number): void {
  const n = st.problem.neurons;
  const K = st.problem.inputs * (st.config.countBins + 1);
  logisticActorScatter(st);
  for (let k = n * K; k <= n * K + n; k++) logisticLearnKernel(st, k, t);
}

/** Where each part of the learner lives in the packed buffers both backends use. */
export interface LogisticLayout {
  /** Critic knots nX (B + 1). */
  K: number;
  /** model = [u: K | w: N K | marginal: N | gain: 1] */
  wOffset: number;
  margOffset: number;
  gainOffset: number;
  modelLength: number;
  /** work = [piOne: R N | err: R N | tdDelta: R | rewardSum: R | costSum: R] (the sums are state: they accumulate) */
  workLength: number;
}

export function logisticLayout(p: Pick<CountLevelProblem, 'neurons' | 'inputs'>, c: Pick<LogisticConfig, 'chains' | 'countBins'>): LogisticLayout {
  const n = p.neurons;
  const K = p.inputs * (c.countBins + 1);
  const wOffset = K;
  const margOffset = wOffset + n * K;
  const gainOffset = margOffset + n;
  return { K, wOffset, margOffset, gainOffset, modelLength: gainOffset + 1, workLength: 2 * c.chains * n + 3 * c.chains };
}

/** The packed buffers a learner is viewed over (any left out are empty in the view). */
export interface LogisticArrays {
  model?: Float32Array;
  chain?: Uint32Array;
  spk?: Uint32Array;
  work?: Float32Array;
  hist?: Uint32Array;
}

/** A LogisticState whose arrays are views into the packed buffers, so the twins write them in place. */
export function logisticView(problem: CountLevelProblem, lambda: number, config: LogisticConfig, b: LogisticArrays): LogisticState {
  const L = logisticLayout(problem, config);
  const R = config.chains;
  const n = problem.neurons;
  const model = b.model ?? new Float32Array(L.modelLength);
  const work = b.work ?? new Float32Array(L.workLength);
  return {
    problem,
    lambda,
    config,
    spk: b.spk ?? new Uint32Array(0),
    chain: b.chain ?? new Uint32Array(0),
    piOne: work.subarray(0, R * n),
    err: work.subarray(R * n, 2 * R * n),
    tdDelta: work.subarray(2 * R * n, 2 * R * n + R),
    rewardSum: work.subarray(2 * R * n + R, 2 * R * n + 2 * R),
    costSum: work.subarray(2 * R * n + 2 * R, 2 * R * n + 3 * R),
    u: model.subarray(0, L.K),
    w: model.subarray(L.wOffset, L.margOffset),
    marginal: model.subarray(L.margOffset, L.gainOffset),
    gain: model.subarray(L.gainOffset, L.gainOffset + 1),
    hist: b.hist ?? new Uint32Array(0),
  };
}

/** A fresh learner (createLogisticLearner, which validates) packed into the step program's initial buffers. */
export function initialLogisticBuffers(problem: CountLevelProblem, lambda: number, config: LogisticConfig): { model: Float32Array; chain: Uint32Array } {
  const init = createLogisticLearner(problem, lambda, config);
  const L = logisticLayout(problem, config);
  const model = new Float32Array(L.modelLength);
  model.set(init.u, 0);
  model.set(init.w, L.wOffset);
  model.set(init.marginal, L.margOffset);
  model[L.gainOffset] = init.gain[0]!;
  return { model, chain: init.chain };
}

/**
 * The actor part of logisticLearnKernel for every (i, f) at once: per neuron, a scatter over chains
 * in ascending r into the two features each chain touches; every feature sees the same additions in
 * the same order as the per-feature kernel, so the f32 results are identical (test/chalk/logistic.test.ts).
 */
export function logisticActorScatter(st: LogisticState): void {
  const p = st.problem;
  const n = p.neurons;
  const R = st.config.chains;
  const B = st.config.countBins;
  const K = p.inputs * (B + 1);
  const num = new Float32Array(K);
  const den = new Float32Array(K);
  const eta = st.config.actorRate;
  const cap = actorStepCap(st.config, st.lambda, n);
  for (let i = 0; i < n; i++) {
    num.fill(0);
    den.fill(0);
    for (let r = 0; r < R; r++) {
      const x = st.chain[r]!;
      const o = st.chain[3 * R + r]! - ((st.spk[r * n + i]! >>> 1) & 1);
      const { k0, frac } = tentKnot(o, n, B);
      const e = st.err[r * n + i]!;
      const a = x * (B + 1) + k0;
      const w0 = f32(1 - frac);
      if (w0 > 0) {
        num[a] = num[a]! + f32(w0 * e);
        den[a] = den[a]! + w0;
      }
      if (frac > 0) {
        num[a + 1] = num[a + 1]! + f32(frac * e);
        den[a + 1] = den[a + 1]! + frac;
      }
    }
    for (let q = 0; q < K; q++) {
      if (den[q]! > 0) st.w[i * K + q] = f32(st.w[i * K + q]! + actorStep(eta, num[q]!, den[q]!, cap));
    }
  }
}

/** Result of a logistic run (either backend). */
export interface LogisticRun {
  state: LogisticState;
  /** Empirical P(count = c | x) over the recorded steps, per input. */
  countDist: number[][];
  /** Mean reward and coding cost (nats per step: mean over neurons for async, sum for sync) over the recorded chain-steps. */
  averageReward: number;
  codingCostNats: number;
  gain: number;
  /** Policy pi(1 | x, others active) averaged over neurons, per input (index o = 0..N-1). */
  policyByOthers: (o: number, x: number) => number;
  chainSteps: number;
}

export function summariseLogistic(st: LogisticState): LogisticRun {
  const p = st.problem;
  const n = p.neurons;
  const R = st.config.chains;
  const recorded = st.config.steps - Math.floor(st.config.steps * (1 - st.config.recordFraction));
  const countDist: number[][] = [];
  for (let x = 0; x < p.inputs; x++) {
    const row = Array.from(st.hist.subarray(x * (n + 1), (x + 1) * (n + 1)));
    const tot = row.reduce((a, b) => a + b, 0);
    countDist.push(row.map((v) => (tot > 0 ? v / tot : 0)));
  }
  let rs = 0;
  let cs = 0;
  for (let r = 0; r < R; r++) {
    rs += st.rewardSum[r]!;
    cs += st.costSum[r]!;
  }
  const denom = Math.max(1, R * recorded);
  return {
    state: st,
    countDist,
    averageReward: rs / denom,
    codingCostNats: cs / denom,
    gain: st.gain[0]!,
    policyByOthers: (o, x) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += logisticPolicy(st.marginal[i]!, actorValue(st.w, i, x, o, n, st.config.countBins, p.inputs), st.lambda);
      return s / n;
    },
    chainSteps: R * st.config.steps,
  };
}

/**
 * For small N: the learner's policy as a table over views (analysis.ts layout) on the equivalent
 * enumerated ChalkProblem, and that table's exact stationary analysis.
 */
export function logisticPolicyTable(st: LogisticState): { problem: ChalkProblem; piOne: Float64Array; analysis: PolicyAnalysis } {
  const p = st.problem;
  const n = p.neurons;
  if (n > 12) throw new RangeError(`neurons must be <= 12 to tabulate the policy, got ${n}`);
  const S = 1 << n;
  const half = S >>> 1;
  const reward = new Float64Array(p.inputs * S);
  for (let x = 0; x < p.inputs; x++) for (let s = 0; s < S; s++) reward[x * S + s] = p.rewardByCount[x * (n + 1) + popcount(s)]!;
  const problem: ChalkProblem = { neurons: n, inputs: p.inputs, inputPrior: p.inputPrior, switchProb: p.switchProb, reward, inputLabels: p.inputLabels, update: p.update };
  const nV = half * p.inputs;
  const piOne = new Float64Array(n * nV);
  for (let i = 0; i < n; i++) {
    for (let x = 0; x < p.inputs; x++) {
      for (let rest = 0; rest < half; rest++) {
        piOne[i * nV + x * half + rest] = logisticPolicy(st.marginal[i]!, actorValue(st.w, i, x, popcount(rest), n, st.config.countBins, p.inputs), st.lambda);
      }
    }
  }
  return { problem, piOne, analysis: analysePolicy(problem, piOne) };
}
