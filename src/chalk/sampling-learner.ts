/**
 * Sampling learner (the future GPU path), asynchronous updates: R independent Markov chains of the
 * same network run in parallel and feed one shared set of parameters — a soft actor-critic on the
 * reward minus lambda * log(pi_i / p_i):
 *
 *   critic  h(s): tabular differential value over full states s = x * 2^N + sigma (all neurons share
 *           the reward, so they share h; neuron j's Q_j(v, a) = h(v with sigma_j = a)).
 *           Expected (over the spike a) TD error of chain r whose acting neuron is j with view v:
 *             delta = r(s) - gain + E_{x'} (1/N) sum_j sum_a pi_j(a|v_j) [h(v_j,a) - lambda log(pi_j(a|v_j)/p_j(a))] - h(s)
 *   actor   tabular per neuron over its view: pi_i(1|v) = logistic(logit p_i + A_i[v] / lambda), where
 *           A_i[v] tracks the soft advantage h(v_1) - h(v_0) (SAC's policy-improvement step, a
 *           natural-gradient move of the logits toward the Boltzmann target).
 *   marginal p_i(1): running mean over chains of pi_i(1 | current view) (the Blahut-Arimoto step).
 *
 * Why tabular: the soft-optimal policy is logistic in h(v_1) - h(v_0), which is not linear in
 * (sigma, x), so a logistic-linear policy cannot match the exact solver on the 8-neuron example;
 * tables over views can, and with 2^(N-1) * nX entries per neuron they fit a GPU up to N ~ 16.
 *
 * Buffers (views over the step program's packed buffers, f32 where the GPU holds f32):
 *   model = [h[s] | advantage[i * nViews + v] | marginal[i] | gain] f32,
 *   chain = [input[r] | post[r] (previous post-action state) | tdIndex[r]] u32,
 *   piOne[r * N + i] f32, tdDelta[r] f32, hist[x * (N+1) + count] u32.
 * One step t = kernels in this order (each exported below; one invocation per listed index):
 *   chalkInputKernel (r) -> chalkPolicyKernel (r, i) -> chalkTdKernel (r) -> chalkAsyncActKernel (r)
 *   -> chalkCriticApplyKernel (state s) -> chalkActorKernel (i, v) -> chalkMarginalKernel (i)
 *   -> chalkReferenceKernel (1)
 * (The reference level of step t's TD errors is mean h after step t-1's critic; gain starts at 0 =
 * mean of h = 0.) Reductions over chains always sum in ascending r.
 * The three registered kernels (src/kernels/chalk.ts: CHALK_CHAIN, CHALK_CRITIC, CHALK_LEARN) run
 * samplerChainStep, samplerCriticStep and samplerLearnStep below as their CPU twins, and
 * shaders/chalk-{chain,critic,learn}.wgsl on WebGPU; the 'coding-cost' rule
 * (src/rules/coding-cost.ts) orders them into a step program.
 */
import { analysePolicy, type PolicyAnalysis } from './analysis.ts';
import { drawInput, drawPick, drawSpike } from './dynamics.ts';
import { type ChalkProblem, insertBit, stateCount, validateProblem, viewCount, viewIndex } from './problem.ts';

/** Settings of the sampling learner. */
export interface SamplingConfig {
  /** Parallel Markov chains R; integer in [1, 65536]. */
  chains: number;
  /** Learning steps T (each advances every chain by one update); integer >= 1. */
  steps: number;
  /** Initial critic step size alpha0 (per visited state, applied to the mean TD error); in (0, 1]. */
  criticRate: number;
  /** Critic step size decays as alpha0 / (1 + t / criticDecay); steps, > 0. */
  criticDecay: number;
  /** Actor rate eta: A <- A + eta (h(v1) - h(v0) - A) each step; in (0, 1]. */
  actorRate: number;
  /** Running-mean rate of the marginals p_i; in (0, 1]. Keep it well below the critic/actor rates:
   *  the Blahut-Arimoto step is only meaningful once the policy has settled for the current p_i. */
  marginalRate: number;
  /** p_i stay at 1/2 for the first marginalWarmup steps (the critic must be fit first, else the
   *  marginals chase an untrained policy toward 0 or 1 and get stuck there); integer >= 0. */
  marginalWarmup: number;
  /** Average the TD target over the input transition using p(x) and switchProb (true), or use the
   *  sampled next input (false, noisier; see report). */
  inputExpectation: boolean;
  /** p_i is clamped to [minMarginal, 1 - minMarginal] so log p stays finite; in (0, 0.5). */
  minMarginal: number;
  /** Seed of every draw (inputs, picks, spikes). */
  seed: number;
  /** Spike-count histogram is recorded over the last `recordFraction` of steps; in [0, 1]. */
  recordFraction: number;
}

/** Defaults that reach total variation < 0.05 against the exact solver on the 8-neuron preset. */
export const SAMPLING_DEFAULTS: Readonly<SamplingConfig> = Object.freeze({
  chains: 128,
  steps: 20_000,
  criticRate: 0.5,
  criticDecay: 2_000,
  actorRate: 0.05,
  marginalRate: 0.0005,
  marginalWarmup: 5_000,
  inputExpectation: true,
  minMarginal: 1e-4,
  seed: 1,
  recordFraction: 0.25,
});

/** Throws RangeError naming the field when out of range. */
export function validateSamplingConfig(c: SamplingConfig): void {
  const unit = (k: 'criticRate' | 'actorRate' | 'marginalRate') => {
    if (!(c[k] > 0 && c[k] <= 1)) throw new RangeError(`sampled.${k} must be in (0, 1], got ${c[k]}`);
  };
  if (!Number.isInteger(c.chains) || c.chains < 1 || c.chains > 65536) throw new RangeError(`sampled.chains must be an integer in [1, 65536], got ${c.chains}`);
  if (!Number.isInteger(c.steps) || c.steps < 1) throw new RangeError(`sampled.steps must be an integer >= 1, got ${c.steps}`);
  unit('criticRate');
  unit('actorRate');
  unit('marginalRate');
  if (!Number.isInteger(c.marginalWarmup) || c.marginalWarmup < 0) throw new RangeError(`sampled.marginalWarmup must be an integer >= 0, got ${c.marginalWarmup}`);
  if (!(c.criticDecay > 0)) throw new RangeError(`sampled.criticDecay must be > 0, got ${c.criticDecay}`);
  if (!(c.minMarginal > 0 && c.minMarginal < 0.5)) throw new RangeError(`sampled.minMarginal must be in (0, 0.5), got ${c.minMarginal}`);
  if (!(c.recordFraction >= 0 && c.recordFraction <= 1)) throw new RangeError(`sampled.recordFraction must be in [0, 1], got ${c.recordFraction}`);
}

/** All learner buffers (what the GPU would hold). */
export interface LearnerState {
  problem: ChalkProblem;
  lambda: number;
  seed: number;
  chains: number;
  input: Uint32Array;
  post: Uint32Array;
  piOne: Float32Array;
  tdIndex: Uint32Array;
  tdDelta: Float32Array;
  h: Float32Array;
  advantage: Float32Array;
  marginal: Float32Array;
  gain: Float32Array;
}

/** Fresh learner: all chains silent with input drawn from the prior at t = 0, h = A = 0, p_i = 1/2. */
export function createLearner(problem: ChalkProblem, lambda: number, chains: number, seed: number): LearnerState {
  validateProblem(problem);
  if (problem.update !== 'async') throw new RangeError(`update must be 'async' for the sampling learner`);
  if (!(lambda > 0)) throw new RangeError(`lambda must be > 0, got ${lambda}`);
  const n = problem.neurons;
  const S = 1 << n;
  const st: LearnerState = {
    problem,
    lambda,
    seed,
    chains,
    input: new Uint32Array(chains),
    post: new Uint32Array(chains),
    piOne: new Float32Array(chains * n),
    tdIndex: new Uint32Array(chains),
    tdDelta: new Float32Array(chains),
    h: new Float32Array(stateCount(problem)),
    advantage: new Float32Array(n * viewCount(problem)),
    marginal: new Float32Array(n).fill(0.5),
    gain: new Float32Array(1),
  };
  for (let r = 0; r < chains; r++) {
    const x = drawInput(seed, r, 0, 0, problem.inputPrior, 1);
    st.input[r] = x;
    st.post[r] = x * S;
  }
  return st;
}

/** pi_i(1 | v) from marginal and advantage: logistic(logit p_i + A_i[v] / lambda). */
export function policyOne(marginal: number, advantage: number, lambda: number): number {
  return 1 / (1 + Math.exp(-(Math.log(marginal / (1 - marginal)) + advantage / lambda)));
}

/** Kernel chalkInputKernel, one invocation per chain r: redraw x with the switching probability. */
export function chalkInputKernel(st: LearnerState, r: number, t: number): void {
  const p = st.problem;
  st.input[r] = drawInput(st.seed, r, t, st.input[r]!, p.inputPrior, p.switchProb);
}

/** Kernel chalkPolicyKernel, one invocation per (chain r, neuron i): pi_i(1 | view in the pre-action state). */
export function chalkPolicyKernel(st: LearnerState, r: number, i: number): void {
  const p = st.problem;
  const n = p.neurons;
  const sigma = st.post[r]! & ((1 << n) - 1);
  const v = viewIndex(n, sigma, st.input[r]!, i);
  st.piOne[r * n + i] = policyOne(st.marginal[i]!, st.advantage[i * viewCount(p) + v]!, st.lambda);
}

/** (1/N) sum_j sum_a pi_j(a|v_j) [h(v_j with a) - lambda log(pi_j(a|v_j)/p_j(a))] at pre-action state (sigma, x). */
export function expectedSoftValue(st: LearnerState, sigma: number, x: number): number {
  const p = st.problem;
  const n = p.neurons;
  const S = 1 << n;
  const half = 1 << (n - 1);
  const nV = viewCount(p);
  const lam = st.lambda;
  let acc = 0;
  for (let j = 0; j < n; j++) {
    const rest = sigma & ~(1 << j);
    const h0 = st.h[x * S + rest]!;
    const h1 = st.h[x * S + (rest | (1 << j))]!;
    const p1 = st.marginal[j]!;
    const low = sigma & ((1 << j) - 1);
    const v = x * half + (low | ((sigma >>> (j + 1)) << j));
    const pi1 = policyOne(p1, st.advantage[j * nV + v]!, lam);
    // 0 log 0 = 0 at saturated policies.
    if (pi1 > 0) acc += pi1 * (h1 - lam * Math.log(pi1 / p1));
    if (pi1 < 1) acc += (1 - pi1) * (h0 - lam * Math.log((1 - pi1) / (1 - p1)));
  }
  return acc / n;
}

/**
 * Kernel chalkTdKernel, one invocation per chain r: soft TD error of the previous post-action state
 * s = post[r] = (sigma, x), in relative-value form (gauge gain[0] = reference level, see
 * chalkReferenceKernel):
 *   delta = r(s) - gain + E[(1/N) sum_j sum_a pi_j(a|v_j) (h(v_j with a) - lambda log(pi_j(a|v_j)/p_j(a)))] - h(s)
 * The acting neuron j and its spike a are averaged out exactly (all agents know the update scheme
 * and their policies). The input transition x -> x' is either the sampled one (input[r]) or, with
 * inputExpectation, averaged over (1 - q) delta(x' = x) + q p(x') — the environment's input
 * statistics, taken as known. Writes tdIndex[r] = s and tdDelta[r] = delta.
 */
export function chalkTdKernel(st: LearnerState, r: number, inputExpectation: boolean): void {
  const p = st.problem;
  const S = 1 << p.neurons;
  const s = st.post[r]!;
  const sigma = s & (S - 1);
  let next: number;
  if (inputExpectation) {
    const xOld = Math.floor(s / S);
    const q = p.switchProb;
    next = (1 - q) * expectedSoftValue(st, sigma, xOld);
    for (let x = 0; x < p.inputs; x++) if (p.inputPrior[x]! > 0) next += q * p.inputPrior[x]! * expectedSoftValue(st, sigma, x);
  } else {
    next = expectedSoftValue(st, sigma, st.input[r]!);
  }
  st.tdIndex[r] = s;
  st.tdDelta[r] = p.reward[s]! - st.gain[0]! + next - st.h[s]!;
}

/** Kernel chalkAsyncActKernel, one invocation per chain r: neuron j samples its spike; post[r] <- new state. */
export function chalkAsyncActKernel(st: LearnerState, r: number, t: number): void {
  const n = st.problem.neurons;
  const S = 1 << n;
  const j = drawPick(st.seed, r, t, n);
  const sigma = st.post[r]! & (S - 1);
  const a = drawSpike(st.seed, r, n, j, t, st.piOne[r * n + j]!);
  st.post[r] = st.input[r]! * S + (a ? sigma | (1 << j) : sigma & ~(1 << j));
}

/**
 * Kernel chalkCriticApplyKernel, one invocation per state s: h[s] += alpha * mean of tdDelta[r] over
 * the chains with tdIndex[r] == s (summed in ascending r); untouched if no chain visited s.
 * (The CPU driver uses the equivalent scatter, chalkCriticScatter, which gives the same sums.)
 */
export function chalkCriticApplyKernel(st: LearnerState, s: number, alpha: number): void {
  let sum = 0;
  let count = 0;
  for (let r = 0; r < st.chains; r++) {
    if (st.tdIndex[r] === s) {
      sum += st.tdDelta[r]!;
      count++;
    }
  }
  if (count > 0) st.h[s] = st.h[s]! + (alpha * sum) / count;
}

/** Equivalent of chalkCriticApplyKernel over all states at once (scatter in ascending r). */
export function chalkCriticScatter(st: LearnerState, alpha: number, sum: Float64Array, count: Uint32Array): void {
  sum.fill(0);
  count.fill(0);
  for (let r = 0; r < st.chains; r++) {
    const s = st.tdIndex[r]!;
    sum[s] += st.tdDelta[r]!;
    count[s]++;
  }
  for (let r = 0; r < st.chains; r++) {
    const s = st.tdIndex[r]!;
    if (count[s]! > 0) {
      st.h[s] = st.h[s]! + (alpha * sum[s]!) / count[s]!;
      count[s] = 0; // apply once per state
    }
  }
}

/**
 * Kernel chalkReferenceKernel, single invocation (a reduction over states in ascending s):
 * gain[0] = mean_s h[s]. Relative value iteration subtracts this reference level in every TD error,
 * which pins the otherwise free additive constant of h; at the fixed point it equals the optimal
 * gain g = <r> - lambda * cost. (A separately learned gbar let h drift by +-15 on the nearly closed
 * target-count states of example (a).)
 */
export function chalkReferenceKernel(st: LearnerState): void {
  let sum = 0;
  for (let k = 0; k < st.h.length; k++) sum += st.h[k]!;
  st.gain[0] = sum / st.h.length;
}

/** Kernel chalkActorKernel, one invocation per (neuron i, view v): A_i[v] += eta (h(v_1) - h(v_0) - A_i[v]). */
export function chalkActorKernel(st: LearnerState, i: number, v: number, eta: number): void {
  const p = st.problem;
  const n = p.neurons;
  const S = 1 << n;
  const half = 1 << (n - 1);
  const x = Math.floor(v / half);
  const rest = v - x * half;
  const target = st.h[x * S + insertBit(rest, i, 1)]! - st.h[x * S + insertBit(rest, i, 0)]!;
  const k = i * viewCount(p) + v;
  st.advantage[k] = st.advantage[k]! + eta * (target - st.advantage[k]!);
}

/** Kernel chalkMarginalKernel, one invocation per neuron i: p_i <- (1-beta) p_i + beta mean_r piOne[r*N+i], clamped. */
export function chalkMarginalKernel(st: LearnerState, i: number, beta: number, minMarginal: number): void {
  const n = st.problem.neurons;
  let sum = 0;
  for (let r = 0; r < st.chains; r++) sum += st.piOne[r * n + i]!;
  const m = (1 - beta) * st.marginal[i]! + (beta * sum) / st.chains;
  st.marginal[i] = Math.min(1 - minMarginal, Math.max(minMarginal, m));
}

/** Policy table (analysis.ts layout, f64) implied by the learner's actor and marginals. */
export function learnerPolicy(st: LearnerState): Float64Array {
  const n = st.problem.neurons;
  const nV = viewCount(st.problem);
  const pi = new Float64Array(n * nV);
  for (let i = 0; i < n; i++) for (let v = 0; v < nV; v++) pi[i * nV + v] = policyOne(st.marginal[i]!, st.advantage[i * nV + v]!, st.lambda);
  return pi;
}

/** Summary of a sampled run. */
export interface SampledRun {
  state: LearnerState;
  /** Final policy table and its exact stationary analysis. */
  piOne: Float64Array;
  analysis: PolicyAnalysis;
  /** Empirical spike-count histogram per input over the recorded steps (normalised). */
  empiricalCountDist: number[][];
  /** Reference level mean_s h[s]: the learner's estimate of the gain <r> - lambda * cost. */
  gain: number;
  /** Chain-steps simulated (chains * steps). */
  chainSteps: number;
}

/** Where each part of the learner lives in the packed buffers both backends use. */
export interface SamplerLayout {
  /** Full states nX 2^N and views per neuron nX 2^(N-1). */
  states: number;
  views: number;
  /** model = [h: states | advantage: N views | marginal: N | gain: 1] */
  advOffset: number;
  margOffset: number;
  gainOffset: number;
  modelLength: number;
}

export function samplerLayout(p: ChalkProblem): SamplerLayout {
  const states = stateCount(p);
  const views = viewCount(p);
  const advOffset = states;
  const margOffset = advOffset + p.neurons * views;
  const gainOffset = margOffset + p.neurons;
  return { states, views, advOffset, margOffset, gainOffset, modelLength: gainOffset + 1 };
}

/** The packed buffers a learner is viewed over (any left out are empty in the view). */
export interface SamplerArrays {
  model?: Float32Array;
  chain?: Uint32Array;
  piOne?: Float32Array;
  tdDelta?: Float32Array;
}

/** A LearnerState whose arrays are views into the packed buffers (model, chain), so the twins write them in place. */
export function learnerView(problem: ChalkProblem, lambda: number, config: Pick<SamplingConfig, 'chains' | 'seed'>, b: SamplerArrays): LearnerState {
  const L = samplerLayout(problem);
  const R = config.chains;
  const model = b.model ?? new Float32Array(L.modelLength);
  const chain = b.chain ?? new Uint32Array(3 * R);
  return {
    problem,
    lambda,
    seed: config.seed,
    chains: R,
    input: chain.subarray(0, R),
    post: chain.subarray(R, 2 * R),
    tdIndex: chain.subarray(2 * R, 3 * R),
    piOne: b.piOne ?? new Float32Array(0),
    tdDelta: b.tdDelta ?? new Float32Array(0),
    h: model.subarray(0, L.states),
    advantage: model.subarray(L.advOffset, L.margOffset),
    marginal: model.subarray(L.margOffset, L.gainOffset),
    gain: model.subarray(L.gainOffset, L.gainOffset + 1),
  };
}

/** A fresh learner (createLearner) packed into the step program's initial model and chain buffers. */
export function initialSamplerBuffers(problem: ChalkProblem, lambda: number, config: SamplingConfig): { model: Float32Array; chain: Uint32Array } {
  const init = createLearner(problem, lambda, config.chains, config.seed);
  const L = samplerLayout(problem);
  const model = new Float32Array(L.modelLength);
  model.set(init.h, 0);
  model.set(init.advantage, L.advOffset);
  model.set(init.marginal, L.margOffset);
  model[L.gainOffset] = init.gain[0]!;
  const R = config.chains;
  const chain = new Uint32Array(3 * R);
  chain.set(init.input, 0);
  chain.set(init.post, R);
  return { model, chain };
}

/** The step (from 1) after which the count histogram is recorded. */
export function samplerRecordFrom(c: Pick<SamplingConfig, 'steps' | 'recordFraction'>): number {
  return Math.floor(c.steps * (1 - c.recordFraction));
}

/**
 * The per-chain part of step t (CPU twin of shaders/chalk-chain.wgsl): input, policies, TD errors,
 * acts of every chain, then (after `recordFrom`) the post-action spike count into hist[x, count].
 */
export function samplerChainStep(st: LearnerState, t: number, c: Pick<SamplingConfig, 'inputExpectation'>, recordFrom: number, hist: Uint32Array): void {
  const n = st.problem.neurons;
  const S = 1 << n;
  const R = st.chains;
  for (let r = 0; r < R; r++) chalkInputKernel(st, r, t);
  for (let r = 0; r < R; r++) for (let i = 0; i < n; i++) chalkPolicyKernel(st, r, i);
  for (let r = 0; r < R; r++) chalkTdKernel(st, r, c.inputExpectation);
  for (let r = 0; r < R; r++) chalkAsyncActKernel(st, r, t);
  if (t > recordFrom) {
    for (let r = 0; r < R; r++) {
      const s = st.post[r]!;
      let k = 0;
      for (let i = 0; i < n; i++) k += (s >>> i) & 1;
      hist[Math.floor(s / S) * (n + 1) + k]!++;
    }
  }
}

/** The critic part of step t (CPU twin of shaders/chalk-critic.wgsl); `sum` and `count` are scratch of nX 2^N. */
export function samplerCriticStep(st: LearnerState, t: number, c: Pick<SamplingConfig, 'criticRate' | 'criticDecay'>, sum: Float64Array, count: Uint32Array): void {
  chalkCriticScatter(st, c.criticRate / (1 + t / c.criticDecay), sum, count);
}

/** The actor, marginal and reference part of step t (CPU twin of shaders/chalk-learn.wgsl). */
export function samplerLearnStep(st: LearnerState, t: number, c: Pick<SamplingConfig, 'actorRate' | 'marginalWarmup' | 'marginalRate' | 'minMarginal'>): void {
  const n = st.problem.neurons;
  const nV = viewCount(st.problem);
  for (let i = 0; i < n; i++) for (let v = 0; v < nV; v++) chalkActorKernel(st, i, v, c.actorRate);
  if (t > c.marginalWarmup) for (let i = 0; i < n; i++) chalkMarginalKernel(st, i, c.marginalRate, c.minMarginal);
  chalkReferenceKernel(st); // reads only h: the GPU fuses it with the actor/marginal dispatch
}

/** The result of `steps` learning steps from the learner's state and its count histogram hist[x * (N+1) + count]. */
export function sampledRun(st: LearnerState, hist: ArrayLike<number>, steps: number): SampledRun {
  const p = st.problem;
  const n = p.neurons;
  const piOne = learnerPolicy(st);
  const analysis = analysePolicy(p, piOne);
  const empiricalCountDist: number[][] = [];
  for (let x = 0; x < p.inputs; x++) {
    const row = Array.from({ length: n + 1 }, (_, k) => hist[x * (n + 1) + k]!);
    const tot = row.reduce((a, b) => a + b, 0);
    empiricalCountDist.push(row.map((v) => (tot > 0 ? v / tot : 0)));
  }
  return { state: st, piOne, analysis, empiricalCountDist, gain: st.gain[0]!, chainSteps: st.chains * steps };
}
