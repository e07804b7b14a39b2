/**
 * CPU twins of shaders/reinforce-record.wgsl and shaders/reinforce-update.wgsl: per-neuron
 * REINFORCE at each replica's own episode end, on logistic neuron-agents.
 */
const f = Math.fround;
const STD_EPS = f(1.1920929e-7);

export interface RecordLayout {
  replicas: number;
  /** Floats per replica in the activity row. */
  actStride: number;
  /** Floats per replica in the probability row. */
  probStride: number;
  /** Trajectory slots per replica (>= the env's episode limit). */
  horizon: number;
  /** With reward terms: P, each neuron's learning reward is recorded after the probability row; else 0. */
  neuronRewards?: number;
}

/** Env counters as the CartPole kernel lays them out: [steps | episodes | pending | terminated | truncated] x R. */
export type EnvCounters = Uint32Array;

export function reinforceRecordCpu(
  L: RecordLayout,
  counters: EnvCounters,
  act: Float32Array,
  prob: Float32Array,
  reward: Float32Array,
  traj: Float32Array,
  rewards: Float32Array,
  neuronReward: Float32Array | null = null,
): void {
  const S = L.actStride,
    P = L.probStride,
    NR = L.neuronRewards ?? 0,
    W = S + P + NR;
  for (let r = 0; r < L.replicas; r++) {
    const steps = counters[r]!;
    if (steps === 0 || steps > L.horizon) continue;
    const t = steps - 1;
    const base = (r * L.horizon + t) * W;
    for (let j = 0; j < S; j++) traj[base + j] = act[r * S + j]!;
    for (let j = 0; j < P; j++) traj[base + S + j] = prob[r * P + j]!;
    for (let j = 0; j < NR; j++) traj[base + S + P + j] = neuronReward![r * NR + j]!;
    rewards[r * L.horizon + t] = reward[r]!;
  }
}

/**
 * The standardisation of a neuron's discounted returns over an episode of L steps (f32, as both
 * kernels compute it): G_t = reward(t) + g G_{t+1}; A_t = (G_t - mean) * inv.
 */
function returnStats(L: number, g: number, reward: (t: number) => number): { mean: number; inv: number } {
  let G = 0,
    sum = 0,
    sumSq = 0;
  for (let t = L - 1; t >= 0; t--) {
    G = f(reward(t) + f(g * G));
    sum = f(sum + G);
    sumSq = f(sumSq + f(G * G));
  }
  const mean = f(sum / L);
  const std = f(Math.sqrt(Math.max(f(f(sumSq / L) - f(mean * mean)), 0)));
  return { mean, inv: f(1 / f(std + STD_EPS)) };
}

export interface UpdateLayout {
  replicas: number;
  neurons: number;
  fanIn: number;
  horizon: number;
  /** Floats per trajectory slot (activity row + probability row). */
  rowWidth: number;
  /** Column of the layer's first presynaptic input within a trajectory slot. */
  inCol: number;
  /** Column of the layer's first spike. */
  spikeCol: number;
  /** Column of the layer's first probability. */
  probCol: number;
  writeMetrics: number;
  metricsCap: number;
  gamma: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Column of the layer's per-neuron learning rewards in a trajectory slot; absent: the broadcast env reward. */
  rewardCol?: number;
  /** 1: that column already holds each step's A_t (s_t - p_t) (reinforce-weight-max wrote it). */
  direct?: number;
}

/** UpdateLayout.rewardCol as the kernel reads it: NONE = the broadcast reward. */
export const REWARD_COL_NONE = 0xffffffff;

/**
 * See shaders/reinforce-update.wgsl; `metrics` is [count x R | returns x R x cap] as u32 (f32 bits).
 * `fanInIndex` ([K, N], k-major) makes input k of neuron n column index[k * N + n] of the input block.
 */
export function reinforceUpdateCpu(
  U: UpdateLayout,
  counters: EnvCounters,
  traj: Float32Array,
  rewards: Float32Array,
  theta: Float32Array,
  adam: Float32Array,
  adamStep: Uint32Array,
  metrics: Uint32Array,
  fanInIndex: Uint32Array | null = null,
): void {
  const R = U.replicas,
    N = U.neurons,
    K = U.fanIn,
    T = U.horizon,
    W = U.rowWidth;
  const g = f(U.gamma),
    b1 = f(U.beta1),
    b2 = f(U.beta2),
    lr = f(U.lr),
    eps = f(U.eps);
  const P = R * (K + 1) * N;
  const bits = new DataView(new ArrayBuffer(4));
  for (let r = 0; r < R; r++) {
    if (counters[3 * R + r] === 0 && counters[4 * R + r] === 0) continue;
    const L = Math.min(counters[r]!, T);
    let ret = 0;
    for (let t = L - 1; t >= 0; t--) ret = f(ret + rewards[r * T + t]!);
    const rc = U.rewardCol;
    const learn = rc === undefined || rc === REWARD_COL_NONE ? (t: number) => rewards[r * T + t]! : (t: number, n: number) => traj[(r * T + t) * W + rc + n]!;
    let G = 0,
      mean = 0,
      inv = 0;
    // Standardisation statistics: once per replica when every neuron learns from the broadcast
    // reward, per neuron with reward terms (the kernel computes them per invocation either way).
    const stats = (n: number) => ({ mean, inv } = returnStats(L, g, (t) => learn(t, n)));
    const perNeuron = !(rc === undefined || rc === REWARD_COL_NONE);
    const direct = U.direct === 1;
    if (!perNeuron && !direct) stats(0);
    // A_t (s_t - p_t) per step, once per neuron (the kernel recomputes it for every k; the same f32 ops).
    const ad = new Float32Array(L);
    for (let n = 0; n < N; n++) {
      if (perNeuron && !direct) stats(n);
      G = 0;
      for (let t = L - 1; t >= 0; t--) {
        if (direct) {
          ad[t] = learn(t, n);
          continue;
        }
        G = f(learn(t, n) + f(g * G));
        const row = (r * T + t) * W;
        ad[t] = f(f(f(G - mean) * inv) * f(traj[row + U.spikeCol + n]! - traj[row + U.probCol + n]!));
      }
      const i = r * N + n;
      const step = adamStep[i]! + 1;
      adamStep[i] = step;
      const c1 = f(1 - Math.pow(b1, step));
      const c2 = f(1 - Math.pow(b2, step));
      for (let k = 0; k <= K; k++) {
        let grad = 0;
        const col = k < K ? U.inCol + (fanInIndex ? fanInIndex[k * N + n]! : k) : -1;
        for (let t = L - 1; t >= 0; t--) {
          const x = col >= 0 ? traj[(r * T + t) * W + col]! : 1;
          grad = f(grad + f(ad[t]! * x));
        }
        const w = (r * (K + 1) + k) * N + n;
        const m = f(f(b1 * adam[w]!) + f(f(1 - b1) * grad));
        const v = f(f(b2 * adam[P + w]!) + f(f(f(1 - b2) * grad) * grad));
        adam[w] = m;
        adam[P + w] = v;
        theta[w] = f(theta[w]! + f(f(lr * f(m / c1)) / f(f(Math.sqrt(f(v / c2))) + eps)));
      }
    }
    if (U.writeMetrics === 1) {
      const c = metrics[r]!;
      bits.setFloat32(0, ret, true);
      metrics[R + r * U.metricsCap + (c % U.metricsCap)] = bits.getUint32(0, true);
      metrics[r] = c + 1;
    }
  }
}

/** reinforce-weight-max's layout: the update's columns, the recurrent block and the motor outputs (the layer's first `motors` neurons). */
export interface WeightMaxLayout extends Pick<UpdateLayout, 'replicas' | 'neurons' | 'fanIn' | 'horizon' | 'rowWidth' | 'inCol' | 'spikeCol' | 'probCol' | 'gamma'> {
  /** Column of neuron 0's recurrent input (its previous spike) within the input block. */
  recCol: number;
  /** Column of the per-neuron learning rewards (rewritten into A_t (s_t - p_t)). */
  rewardCol: number;
  motors: number;
}

/**
 * See shaders/reinforce-weight-max.wgsl: Weight Max through time at each ended replica's episode end.
 * `outStart` [N + 1] / `outSyn` [E]: neuron j's outgoing synapses, each as slot * N + k (input slot
 * `slot` of neuron k reads j).
 */
export function reinforceWeightMaxCpu(U: WeightMaxLayout, counters: EnvCounters, traj: Float32Array, theta: Float32Array, outStart: Uint32Array, outSyn: Uint32Array): void {
  const { replicas: R, neurons: N, motors: M, horizon: T, rowWidth: W, rewardCol: rc } = U;
  const g = f(U.gamma);
  const mean = new Float32Array(M),
    inv = new Float32Array(M),
    G = new Float32Array(M);
  for (let r = 0; r < R; r++) {
    if (counters[3 * R + r] === 0 && counters[4 * R + r] === 0) continue;
    const L = Math.min(counters[r]!, T);
    for (let m = 0; m < M; m++) {
      ({ mean: mean[m], inv: inv[m] } = returnStats(L, g, (t) => traj[(r * T + t) * W + rc + m]!));
      G[m] = 0;
    }
    const thetaBase = r * (U.fanIn + 1) * N;
    for (let t = L - 1; t >= 0; t--) {
      const row = (r * T + t) * W;
      for (let m = 0; m < M; m++) {
        G[m] = f(traj[row + rc + m]! + f(g * G[m]!));
        traj[row + rc + m] = f(f(f(G[m]! - mean[m]!) * inv[m]!) * f(traj[row + U.spikeCol + m]! - traj[row + U.probCol + m]!));
      }
      const next = row + W;
      for (let j = M; j < N; j++) {
        let rho = 0;
        if (t + 1 < L) {
          let s = 0;
          for (let e = outStart[j]!; e < outStart[j + 1]!; e++) {
            const syn = outSyn[e]!;
            s = f(s + f(theta[thetaBase + syn]! * traj[next + rc + (syn % N)]!));
          }
          rho = f(f(2 * traj[next + U.inCol + U.recCol + j]!) * s);
        }
        traj[row + rc + j] = f(rho * f(traj[row + U.spikeCol + j]! - traj[row + U.probCol + j]!));
      }
    }
  }
}
