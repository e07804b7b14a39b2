/**
 * Logistic per-neuron policy for scale: P(spike) = sigmoid(b + w . x), Bernoulli spike.
 * Parameter layout, one block of P = K + 1 floats per (replica, neuron) at ((r*N + n) * P):
 *   w[k] (K) | b (1); slots k >= fanInCount[n] hold 0 and never move.
 */
import { rngUniform, Stream } from '../rng/counter-rng.ts';
import { episodeGradientWalk, spikeForward, type ForwardRun, type GradientRun } from './policy-walk.ts';
import type { OttWiring, OttWiringView } from './wiring.ts';

const f = Math.fround;

/** Floats per neuron of the logistic policy. */
export function logisticParamsPerNeuron(K: number): number {
  return K + 1;
}

/**
 * Kernel `ott_logistic_init` (one invocation per (replica, neuron)): U(-1/sqrt(in), 1/sqrt(in))
 * as PyTorch's nn.Linear(in, 1), in = wiring.initFanIn[n]; draw j = rngUniform(seed, Stream.init, r*N+n, j).
 */
export function initLogisticParams(w: OttWiring, R: number, seed: number): Float32Array {
  const K = w.fanInK;
  const P = K + 1;
  const N = w.numNeurons;
  const params = new Float32Array(R * N * P);
  for (let r = 0; r < R; r++) {
    for (let n = 0; n < N; n++) {
      const agent = r * N + n;
      const bound = 1 / Math.sqrt(w.initFanIn[n]!);
      for (let j = 0; j < P; j++) {
        if (j < K && j >= w.fanInCount[n]!) continue;
        params[agent * P + j] = f(-bound + 2 * bound * rngUniform(seed, Stream.init, agent, j));
      }
    }
  }
  return params;
}

function logisticP1(w: OttWiringView, params: Float32Array, base: number, n: number, signals: Float32Array, sigBase: number): number {
  const K = w.fanInK;
  let z = params[base + K]!;
  const cnt = w.fanInCount[n]!;
  for (let k = 0; k < cnt; k++) z = f(z + f(params[base + k]! * signals[sigBase + w.fanIn[n * K + k]!]!));
  return f(1 / f(1 + f(Math.exp(-z))));
}

/**
 * Kernel `ott_logistic_forward` (one invocation per (replica, neuron in [nStart, nEnd)), once per
 * layer): same contract as mlpForward — spike = rngUniform(seed, Stream.spike, r*N+n, tick) < p1.
 */
export function logisticForward(w: OttWiringView, params: Float32Array, ...run: ForwardRun): void {
  const P = w.fanInK + 1;
  spikeForward(w, run, (agent, n, signals, sigBase) => logisticP1(w, params, agent * P, n, signals, sigBase));
}

/**
 * Kernel `ott_logistic_grad` (one invocation per (replica, neuron), replicas with learn[r] = 1):
 * gradient of sum_t -G_t log pi(a_t | x_t) = sum_t G_t (p1 - a_t) * [x_t, 1]; same history layout
 * as mlpEpisodeGradients; overwrites grads.
 */
export function logisticEpisodeGradients(w: OttWiringView, params: Float32Array, ...run: GradientRun): void {
  const K = w.fanInK;
  episodeGradientWalk(w, K + 1, run, (grads, signalsHist, base, n, sigBase, G) => {
    const p1 = logisticP1(w, params, base, n, signalsHist, sigBase);
    const dz = f(G * f(p1 - signalsHist[sigBase + w.numInputs + n]!));
    grads[base + K] = f(grads[base + K]! + dz);
    const cnt = w.fanInCount[n]!;
    for (let k = 0; k < cnt; k++) {
      grads[base + k] = f(grads[base + k]! + f(dz * signalsHist[sigBase + w.fanIn[n * K + k]!]!));
    }
  });
}
