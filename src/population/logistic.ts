import { SPIKE_SAMPLE, type SpikeOpLayout } from '../kernels/spike-sample.ts';
import type { SpikeLayout } from '../kernels/spike-sample-cpu.ts';
import { CounterRng, Stream } from '../rng/counter-rng.ts';
import type { BufferDecl, Op } from '../run/program.ts';

/**
 * Layers of Bernoulli-logistic neuron-agents fed by an env's observation, densely wired layer to
 * layer. Per replica r the activity row is `[obs | layer 0 | ... | layer L-1]` (stride S) and the
 * probability row `[layer 0 | ... | layer L-1]` (stride P); the last layer's spikes are the
 * actions. Weights are k-major with the bias last, `theta-i[(r * (K + 1) + k) * N + n]`.
 */
export interface LogisticPopulation {
  R: number;
  /** Activity row stride: obs + every layer. */
  S: number;
  /** Probability row stride: every layer. */
  P: number;
  obsDim: number;
  layers: { neurons: number; fanIn: number; inOffset: number; outOffset: number; probOffset: number; spike: SpikeLayout }[];
  /** Column of the action spike in the activity row. */
  actionCol: number;
}

export function logisticPopulation(o: { replicas: number; obsDim: number; hidden: readonly number[]; actions: number; seed: number }): LogisticPopulation {
  const R = o.replicas;
  const sizes = [...o.hidden, o.actions];
  const S = o.obsDim + sizes.reduce((a, b) => a + b, 0);
  const P = S - o.obsDim;
  let inOffset = 0, fanIn = o.obsDim, outOffset = o.obsDim, probOffset = 0;
  const layers = sizes.map((neurons) => {
    const spike: SpikeLayout = {
      replicas: R, neurons, fanIn, actStride: S, inOffset, outOffset, probStride: P, probOffset,
      agentStride: P, agentOffset: probOffset, seed: o.seed, stream: Stream.spike,
    };
    const l = { neurons, fanIn, inOffset, outOffset, probOffset, spike };
    inOffset = outOffset;
    fanIn = neurons;
    outOffset += neurons;
    probOffset += neurons;
    return l;
  });
  return { R, S, P, obsDim: o.obsDim, layers, actionCol: layers[layers.length - 1]!.outOffset };
}

/** Initial theta [R, K+1, N] of a layer: weights uniform in +-1/sqrt(K) (bias 0), from the counter RNG. */
export function initTheta(seed: number, layer: number, R: number, K: number, N: number): Float32Array {
  const rng = new CounterRng(seed, Stream.init, layer);
  const theta = new Float32Array(R * (K + 1) * N);
  const bound = 1 / Math.sqrt(K);
  for (let r = 0; r < R; r++) for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) theta[(r * (K + 1) + k) * N + n] = rng.range(-bound, bound);
  return theta;
}

/**
 * The population's buffers (activity rows A/B that alternate step by step, probabilities, theta
 * per layer, a dense placeholder fan-in index, the clock) and its spike ops, layer by layer.
 */
export function logisticBuffers(p: LogisticPopulation, seed: number): BufferDecl[] {
  const { R, S, P } = p;
  return [
    { name: 'act-a', type: 'f32', length: R * S },
    { name: 'act-b', type: 'f32', length: R * S },
    { name: 'prob', type: 'f32', length: R * P, scratch: true },
    { name: 'fan-in-dense', type: 'u32', length: 4, scratch: true },
    { name: 'clock', type: 'u32', length: 4 },
    ...p.layers.map((l, i): BufferDecl => ({ name: `theta-${i}`, type: 'f32', length: R * (l.fanIn + 1) * l.neurons, init: initTheta(seed, i, R, l.fanIn, l.neurons) })),
  ];
}

/** Spike sampling of every layer, in order, reading and writing the activity row of this step's parity. */
export function logisticSpikeOps(p: LogisticPopulation): Op[] {
  return p.layers.map((l, i): Op => ({
    kernel: SPIKE_SAMPLE,
    layout: { spike: l.spike, sparse: false } satisfies SpikeOpLayout,
    bind: { theta: `theta-${i}`, fanInIndex: 'fan-in-dense', clock: 'clock', act: ['act-a', 'act-b'], prob: 'prob' },
  }));
}
