/**
 * The loops the Ott per-neuron policies (mlp-policy.ts, logistic-policy.ts) share around their own
 * arithmetic: which (replica, neuron) pairs a forward or gradient kernel visits, the spike draw, and
 * the walk over an episode's history. Each policy supplies only its P(spike) / gradient step.
 */
import { rngUniform, Stream } from '../rng/counter-rng.ts';
import type { ReplicaRange } from '../run/kernel-def.ts';
import type { OttWiringView } from './wiring.ts';

/**
 * What a policy's forward kernel runs on, after the wiring and the policy's own parameters:
 * replicas, the signal vectors (read, and the layer's spikes written), the layer's neurons
 * [nStart, nEnd), the replicas that step, the seed and tick of the spike draws, P(spike) out, and
 * the replicas [r0, r1) this call walks (default all: a worker thread takes a range).
 */
export type ForwardRun = [R: number, signals: Float32Array, nStart: number, nEnd: number, active: ArrayLike<number>, seed: number, tick: number, probs: Float32Array, range?: ReplicaRange];

/**
 * What a policy's gradient kernel runs on, after the wiring and the policy's own parameters:
 * replicas, the episode's signal history signalsHist[(r*Tmax + t)*S + s], each replica's length,
 * the standardised returns[(r*Tmax + t)*N + n], the replicas that learn, the gradients out, and
 * the replicas [r0, r1) this call walks (default all).
 */
export type GradientRun = [R: number, signalsHist: Float32Array, Tmax: number, lengths: Uint32Array, returns: Float32Array, learn: ArrayLike<number>, grads: Float32Array, range?: ReplicaRange];

/**
 * Forward kernel body: for active replicas r in the range and neurons n in [nStart, nEnd),
 * p1 = p1Of(agent, n, signals, r*S) with agent = r*N + n; writes probs[agent] = p1 and the spike
 * rngUniform(seed, Stream.spike, agent, tick) < p1 into signals[r*S + numInputs + n].
 */
export function spikeForward(w: OttWiringView, run: ForwardRun, p1Of: (agent: number, n: number, signals: Float32Array, sigBase: number) => number): void {
  const [R, signals, nStart, nEnd, active, seed, tick, probs, range = [0, R]] = run;
  const N = w.numNeurons;
  const S = w.signalSize;
  for (let r = range[0]; r < range[1]; r++) {
    if (!active[r]) continue;
    for (let n = nStart; n < nEnd; n++) {
      const agent = r * N + n;
      const p1 = p1Of(agent, n, signals, r * S);
      probs[agent] = p1;
      signals[r * S + w.numInputs + n] = rngUniform(seed, Stream.spike, agent, tick) < p1 ? 1 : 0;
    }
  }
}

/**
 * Gradient kernel body: for replicas in the range with learn[r] = 1 and every neuron n, zeroes the
 * neuron's P floats of grads at base = (r*N + n)*P, then calls step(grads, signalsHist, base, n,
 * sigBase, G) for its steps t < lengths[r] in order, with sigBase = (r*Tmax + t)*S into signalsHist
 * and G = returns[(r*Tmax + t)*N + n].
 */
export function episodeGradientWalk(
  w: OttWiringView,
  P: number,
  run: GradientRun,
  step: (grads: Float32Array, signalsHist: Float32Array, base: number, n: number, sigBase: number, G: number) => void,
): void {
  const [R, signalsHist, Tmax, lengths, returns, learn, grads, range = [0, R]] = run;
  const N = w.numNeurons;
  const S = w.signalSize;
  for (let r = range[0]; r < range[1]; r++) {
    if (!learn[r]) continue;
    const T = lengths[r]!;
    for (let n = 0; n < N; n++) {
      const base = (r * N + n) * P;
      grads.fill(0, base, base + P);
      for (let t = 0; t < T; t++) step(grads, signalsHist, base, n, (r * Tmax + t) * S, returns[(r * Tmax + t) * N + n]!);
    }
  }
}
