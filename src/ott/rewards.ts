/**
 * Per-step reward terms of the Ott network, as `Network.forward` / `Neuron.store_reward` of the
 * original-paper code compute them. Every function writes one value per (replica, neuron) into an
 * [R*N] array and skips replicas with active[r] = 0. Signals are the per-replica vectors of
 * wiring.ts (observation, then every neuron's 0/1 spike; the output neuron's spike is the action).
 *
 * Who gets what (from the code):
 * - task: every neuron, output included.
 * - activity ("firing"): every neuron; the output neuron's is its action (1 = push right).
 * - sparsity: hidden neurons only; the output neuron gets 0.
 * - prediction: hidden neurons only (from their postsynaptic targets, the output neuron counting as
 *   a target of the last hidden layer); the output neuron gets 0. Observations get nothing.
 * - activity trace: every neuron, output included, from its own firing (action) history.
 */
import type { OttRewardMode, OttRewardWeights } from './config.ts';
import type { ReplicaRange } from '../run/kernel-def.ts';
import type { OttWiringView } from './wiring.ts';

const f = Math.fround;

/** Order of the terms in per-term arrays and weight vectors. */
export const OTT_TERMS = ['task', 'activity', 'sparsity', 'prediction', 'trace'] as const;
export type OttTerm = (typeof OTT_TERMS)[number];
export const OTT_TERM_COUNT = 5;

/** Kernel `ott_reward_task`: CartPole's reward envReward[r] broadcast to every neuron. */
export function taskReward(w: OttWiringView, R: number, active: ArrayLike<number>, envReward: Float32Array, out: Float32Array, range: ReplicaRange = [0, R]): void {
  const N = w.numNeurons;
  for (let r = range[0]; r < range[1]; r++) {
    if (!active[r]) continue;
    out.fill(envReward[r]!, r * N, (r + 1) * N);
  }
}

/** Kernel `ott_reward_activity`: 1 if the neuron spiked this step, else 0. */
export function activityReward(w: OttWiringView, signals: Float32Array, R: number, active: ArrayLike<number>, out: Float32Array, range: ReplicaRange = [0, R]): void {
  const N = w.numNeurons;
  const S = w.signalSize;
  for (let r = range[0]; r < range[1]; r++) {
    if (!active[r]) continue;
    for (let n = 0; n < N; n++) out[r * N + n] = signals[r * S + w.numInputs + n]!;
  }
}

/**
 * Kernel `ott_layer_fraction` (a reduction, one invocation per (replica, layer)): fraction of the
 * layer's neurons that spiked, f32(count / width), into out[r*(L+1) + l] (l = L is the output).
 */
export function layerFiringFractions(w: OttWiringView, signals: Float32Array, R: number, active: ArrayLike<number>, out: Float32Array, range: ReplicaRange = [0, R]): void {
  const S = w.signalSize;
  const nl = w.layers + 1;
  for (let r = range[0]; r < range[1]; r++) {
    if (!active[r]) continue;
    for (let l = 0; l < nl; l++) {
      const a = w.layerStart[l]!;
      const b = w.layerStart[l + 1]!;
      let count = 0;
      for (let n = a; n < b; n++) count += signals[r * S + w.numInputs + n]!;
      out[r * nl + l] = f(count / (b - a));
    }
  }
}

/**
 * Kernel `ott_reward_sparsity`: e = f32(fraction_of_layer - target) (+: too active, -: too sparse);
 * firing neurons get -|e|, silent ones +|e|; if e == 0 exactly every neuron gets `target`
 * (the code: `output.abs() * sparsity_goal`). Output neuron: 0. Needs layerFiringFractions first.
 */
export function sparsityReward(
  w: OttWiringView,
  signals: Float32Array,
  R: number,
  active: ArrayLike<number>,
  fractions: Float32Array,
  target: number,
  out: Float32Array,
  range: ReplicaRange = [0, R],
): void {
  const N = w.numNeurons;
  const S = w.signalSize;
  const nl = w.layers + 1;
  const tg = f(target);
  for (let r = range[0]; r < range[1]; r++) {
    if (!active[r]) continue;
    for (let n = 0; n < N; n++) {
      const l = w.layerOf[n]!;
      if (l === w.layers) {
        out[r * N + n] = 0;
        continue;
      }
      const e = f(fractions[r * nl + l]! - tg);
      const spike = signals[r * S + w.numInputs + n]!;
      out[r * N + n] = e === 0 ? tg : spike ? -Math.abs(e) : Math.abs(e);
    }
  }
}

/**
 * Kernel `ott_reward_prediction`: neuron n gets spike_n * sum over its postsynaptic targets j of
 * (+1 if j spiked, -1 if silent) — `(X * output).sum(-1)` in the code, X being n's masked output.
 * Neurons without targets (the output neuron) get 0.
 */
export function predictionReward(w: OttWiringView, signals: Float32Array, R: number, active: ArrayLike<number>, out: Float32Array, range: ReplicaRange = [0, R]): void {
  const N = w.numNeurons;
  const S = w.signalSize;
  const K = w.fanOutK;
  for (let r = range[0]; r < range[1]; r++) {
    if (!active[r]) continue;
    const sb = r * S + w.numInputs;
    for (let n = 0; n < N; n++) {
      const x = signals[sb + n]!;
      let s = 0;
      const cnt = w.fanOutCount[n]!;
      for (let k = 0; k < cnt; k++) s += signals[sb + w.fanOut[n * K + k]!]! ? 1 : -1;
      out[r * N + n] = x ? s : 0; // spikes are 0/1; avoids -0
    }
  }
}

const TRACE_A = 0.9256812;
const TRACE_C = -1746463;
const TRACE_SCALE = 236.1357;
const TRACE_POW = 2.160334;

/**
 * The code's activity-trace formula in float64, exactly as written:
 * x = |m - 0.5|, -1746463 + (0.9256812 + 1746463) / (1 + (x / 236.1357)^2.160334).
 */
export function activityTraceValueRef(m: number): number {
  const x = Math.abs(m - 0.5);
  return TRACE_C + (TRACE_A - TRACE_C) / (1 + (x / TRACE_SCALE) ** TRACE_POW);
}

/**
 * The same value in f32, rearranged as a - (a - c) * q / (1 + q) with q = (x/236.1357)^2.160334:
 * algebraically identical, but the code's form cancels two ~1.7e6 numbers and would keep only
 * ~0.1 of precision in f32. q is taken as 0 at x = 0 (WGSL pow(0, y) is undefined).
 */
export function activityTraceValue(m: number): number {
  const x = f(Math.abs(f(m - 0.5)));
  const q = x > 0 ? f(Math.pow(f(x / f(TRACE_SCALE)), f(TRACE_POW))) : 0;
  return f(f(TRACE_A) - f(f(f(TRACE_A) - f(TRACE_C)) * f(q / f(1 + q))));
}

/**
 * Kernel `ott_reward_trace` (one invocation per (replica, neuron)): adds this step's spike to
 * fireCount[r*N+n] and rewards the running firing fraction m = fireCount / stepCount[r], where
 * stepCount[r] counts the episode's steps including this one (the code takes the mean of the
 * firing rewards stored so far, this step's included).
 */
export function activityTraceReward(
  w: OttWiringView,
  signals: Float32Array,
  R: number,
  active: ArrayLike<number>,
  fireCount: Float32Array,
  stepCount: Uint32Array,
  out: Float32Array,
  range: ReplicaRange = [0, R],
): void {
  const N = w.numNeurons;
  const S = w.signalSize;
  for (let r = range[0]; r < range[1]; r++) {
    if (!active[r]) continue;
    for (let n = 0; n < N; n++) {
      const i = r * N + n;
      const c = fireCount[i]! + signals[r * S + w.numInputs + n]!;
      fireCount[i] = c;
      out[i] = activityTraceValue(f(c / stepCount[r]!));
    }
  }
}

/**
 * Effective weights [5] (OTT_TERMS order) of one episode: the configured weight where the mode
 * uses the term, else 0. 'bio_then_all' is 'bio' for episodes 1..bioEpisodes, then 'all'.
 */
export function termWeights(mode: OttRewardMode, weights: OttRewardWeights, episode: number, bioEpisodes: number): number[] {
  const m = mode === 'bio_then_all' ? (episode <= bioEpisodes ? 'bio' : 'all') : mode;
  const useTask = m === 'task' || m === 'all';
  const useBio = m === 'bio' || m === 'all';
  return [useTask ? weights.task : 0, useBio ? weights.activity : 0, useBio ? weights.sparsity : 0, useBio ? weights.prediction : 0, useBio ? weights.trace : 0];
}

/**
 * Kernel `ott_reward_combine` (one invocation per (replica, neuron)): the learning reward of this
 * step, sum_k weight[r*5+k] * term_k, written to rewardHist[(r*Tmax + t)*N + n] with
 * t = stepCount[r] - 1 (stepCount counts the episode's steps including this one).
 * Sums in the code's dict order (task, sparsity, firing, prediction, trace).
 */
export function combineRewards(
  N: number,
  R: number,
  active: ArrayLike<number>,
  terms: readonly Float32Array[],
  weights: Float32Array,
  stepCount: Uint32Array,
  Tmax: number,
  rewardHist: Float32Array,
  range: ReplicaRange = [0, R],
): void {
  const [task, activity, sparsity, prediction, trace] = terms as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  for (let r = range[0]; r < range[1]; r++) {
    if (!active[r]) continue;
    const wb = r * OTT_TERM_COUNT;
    const base = (r * Tmax + stepCount[r]! - 1) * N;
    for (let n = 0; n < N; n++) {
      const i = r * N + n;
      let s = f(weights[wb]! * task[i]!);
      s = f(s + f(weights[wb + 2]! * sparsity[i]!));
      s = f(s + f(weights[wb + 1]! * activity[i]!));
      s = f(s + f(weights[wb + 3]! * prediction[i]!));
      s = f(s + f(weights[wb + 4]! * trace[i]!));
      rewardHist[base + n] = s;
    }
  }
}
