import type { RecordLayout, UpdateLayout } from '../../kernels/reinforce-cpu.ts';
import type { SpikeLayout } from '../../kernels/spike-sample-cpu.ts';
import { CounterRng, Stream } from '../../rng/counter-rng.ts';
import type { CartpoleReinforceConfig } from './config.ts';

/** Trajectory slots per replica: CartPole-v1 episodes last at most 500 steps. */
export const HORIZON = 500;
export const METRICS_CAP = 256;

/**
 * Layout of the minimal CartPole network, shared by the CPU and GPU paths. Per replica the activity
 * row is [obs 4 | hidden H | action 1] and the probability row [hidden H | action 1]; layer 0
 * (hidden) sees the observation densely, layer 1 (the action neuron) sees every hidden spike.
 */
export function cartpoleNetwork(c: CartpoleReinforceConfig) {
  const R = c.replicas, H = c.hidden;
  const S = 4 + H + 1, P = H + 1, W = S + P;
  const spike = (neurons: number, fanIn: number, inOffset: number, outOffset: number, probOffset: number): SpikeLayout => ({
    replicas: R, neurons, fanIn, actStride: S, inOffset, outOffset, probStride: P, probOffset,
    agentStride: P, agentOffset: probOffset, seed: c.seed, stream: Stream.spike,
  });
  const update = (neurons: number, fanIn: number, inCol: number, spikeCol: number, probCol: number, writeMetrics: number): UpdateLayout => ({
    replicas: R, neurons, fanIn, horizon: HORIZON, rowWidth: W, inCol, spikeCol, probCol, writeMetrics,
    metricsCap: METRICS_CAP, gamma: c.gamma, lr: c.lr, beta1: 0.9, beta2: 0.999, eps: 1e-8,
  });
  const layers = [
    { spike: spike(H, 4, 0, 4, 0), update: update(H, 4, 0, 4, S, 1) },
    { spike: spike(1, H, 4, 4 + H, H), update: update(1, H, 4, 4 + H, S + H, 0) },
  ];
  const record: RecordLayout = { replicas: R, actStride: S, probStride: P, horizon: HORIZON };
  return { R, H, S, P, W, layers, record, actionCol: 4 + H };
}

export type CartpoleNetwork = ReturnType<typeof cartpoleNetwork>;

/** Initial theta [R, K+1, N] of a layer: weights uniform in +-1/sqrt(K) (bias 0), from the counter RNG. */
export function initTheta(seed: number, layer: number, R: number, K: number, N: number): Float32Array {
  const rng = new CounterRng(seed, Stream.init, layer);
  const theta = new Float32Array(R * (K + 1) * N);
  const bound = 1 / Math.sqrt(K);
  for (let r = 0; r < R; r++) for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) theta[(r * (K + 1) + k) * N + n] = rng.range(-bound, bound);
  return theta;
}
