import { rngUniform } from '../rng/counter-rng.ts';
import { sigmoidF32 } from './f32-math.ts';

const f = Math.fround;

/** Where a layer reads its input and writes its spikes and probabilities; see shaders/spike-sample.wgsl. */
export interface SpikeLayout {
  replicas: number;
  neurons: number;
  fanIn: number;
  /** Floats per replica in the activity buffer (input and spikes live there). */
  actStride: number;
  /** Offset of this layer's presynaptic block within a replica's activity row. */
  inOffset: number;
  /** Offset of this layer's spikes within a replica's activity row. */
  outOffset: number;
  probStride: number;
  probOffset: number;
  /** Agent id = r * agentStride + agentOffset + n (the RNG's agent coordinate). */
  agentStride: number;
  agentOffset: number;
  seed: number;
  stream: number;
}

/**
 * CPU twin of shaders/spike-sample.wgsl: Bernoulli-logistic neuron-agents, R replicas.
 * theta is k-major [R, K+1, N] with the bias at k = K; fanInIndex (sparse only) is [K, N];
 * arithmetic rounds to f32 in the kernel's order.
 */
export function spikeSampleCpu(L: SpikeLayout, theta: Float32Array, fanInIndex: Uint32Array | null, step: number, act: Float32Array, prob: Float32Array): void {
  const { replicas: R, neurons: N, fanIn: K } = L;
  for (let r = 0; r < R; r++) {
    const inBase = r * L.actStride + L.inOffset;
    for (let n = 0; n < N; n++) {
      const wBase = r * (K + 1) * N + n;
      let a = theta[wBase + K * N]!;
      for (let k = 0; k < K; k++) {
        const pre = fanInIndex ? fanInIndex[k * N + n]! : k;
        a = f(a + f(theta[wBase + k * N]! * act[inBase + pre]!));
      }
      const p = sigmoidF32(a);
      const u = rngUniform(L.seed, L.stream, r * L.agentStride + L.agentOffset + n, step);
      act[r * L.actStride + L.outOffset + n] = u < p ? 1 : 0;
      prob[r * L.probStride + L.probOffset + n] = p;
    }
  }
}
