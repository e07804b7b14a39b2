import { daleProjectCpu, daleSigns, fanInFromEdgeList, localFanIn, randomFanIn, type FanIn } from '../connectivity/fan-in.ts';
import { DALE_PROJECT } from '../kernels/dale-project.ts';
import { SPIKE_SAMPLE, type SpikeOpLayout } from '../kernels/spike-sample.ts';
import type { SpikeLayout } from '../kernels/spike-sample-cpu.ts';
import { CounterRng, Stream } from '../rng/counter-rng.ts';
import type { BufferDecl, Op } from '../run/program.ts';

/** How one layer is wired to the block below it (src/connectivity/fan-in.ts). */
export type LayerWiring =
  | { kind: 'dense' }
  | { kind: 'random'; fanIn: number }
  | { kind: 'local'; fanIn: number }
  /** Neuron j sees units j - 1 and j of the block below (neuron 0 only unit 0): Ott 2020's local wiring. */
  | { kind: 'ott-local' }
  /** `edges`: the edge list's text (`pre post [weight [sign]]`, pre in the block below, post in this layer). */
  | { kind: 'edge-list'; edges: string; fanIn?: number; bias?: number };

export interface PopulationLayer {
  neurons: number;
  /** Inputs per neuron (K): the block below's width when dense, the fan-in when wired. */
  fanIn: number;
  inOffset: number;
  outOffset: number;
  probOffset: number;
  spike: SpikeLayout;
  /** Wired layers read their inputs through `wiring.index`; dense ones read columns 0..K-1. */
  sparse: boolean;
  wiring?: FanIn;
  /** Initial bias of every neuron of a wired layer (edge lists may set it; default 0). */
  initBias?: number;
}

/**
 * Layers of Bernoulli-logistic neuron-agents fed by an env's observation, layer to layer. Per
 * replica r the activity row is `[obs | layer 0 | ... | layer L-1]` (stride S), with one
 * always-zero sentinel column after every block that feeds a wired layer (its padded synapses read
 * it), and the probability row `[layer 0 | ... | layer L-1]` (stride P); the last layer's spikes
 * are the actions. Weights are k-major with the bias last, `theta-i[(r * (K + 1) + k) * N + n]`.
 */
export interface LogisticPopulation {
  R: number;
  S: number;
  P: number;
  obsDim: number;
  layers: PopulationLayer[];
  /** Column of the action spike in the activity row. */
  actionCol: number;
}

/** The fan-in of layer `i` over `presynaptic` units, or undefined when dense. */
function wire(w: LayerWiring | undefined, i: number, neurons: number, presynaptic: number, seed: number, dale: { excitatory: number } | undefined): FanIn | undefined {
  if (!w || w.kind === 'dense') return undefined;
  const layerSeed = (seed + Math.imul(0x9e3779b9, i + 1)) >>> 0;
  const f =
    w.kind === 'ott-local'
      ? ottLocalFanIn(neurons, presynaptic)
      : w.kind === 'random'
        ? randomFanIn(layerSeed, neurons, w.fanIn, presynaptic)
        : w.kind === 'local'
          ? localFanIn(neurons, w.fanIn, presynaptic)
          : fanInFromEdgeList(w.edges, { neurons, presynaptic, fanIn: w.fanIn });
  // Dale's law holds for neurons: signs from the file, else drawn for layers fed by neurons.
  if (!f.sign && dale && i > 0) f.sign = daleSigns(layerSeed, presynaptic, dale.excitatory);
  return f;
}

/** Ott 2020's local fan-in: slot 0 = unit j - 1 (unit 0 for j = 0), slot 1 = unit j (the zero sentinel past the block). */
function ottLocalFanIn(neurons: number, presynaptic: number): FanIn {
  const index = new Uint32Array(2 * neurons);
  for (let j = 0; j < neurons; j++) {
    index[j] = j === 0 ? 0 : Math.min(j - 1, presynaptic);
    index[neurons + j] = j === 0 || j >= presynaptic ? presynaptic : j;
  }
  return { neurons, fanIn: 2, presynaptic, index };
}

export function logisticPopulation(o: {
  replicas: number;
  obsDim: number;
  hidden: readonly number[];
  actions: number;
  seed: number;
  wiring?: readonly LayerWiring[];
  dale?: { excitatory: number };
}): LogisticPopulation {
  const R = o.replicas;
  const sizes = [...o.hidden, o.actions];
  if (o.wiring && o.wiring.length !== sizes.length) throw new RangeError(`wiring lists ${o.wiring.length} layers; the population has ${sizes.length} (hidden + action)`);
  let col = 0,
    probOffset = 0,
    below = o.obsDim,
    inOffset = 0;
  col += o.obsDim;
  const plan = sizes.map((neurons, i) => {
    const f = wire(o.wiring?.[i], i, neurons, below, o.seed, o.dale);
    if (f) col += 1; // the zero sentinel after the block below
    const w = o.wiring?.[i];
    const l = { neurons, fanIn: f ? f.fanIn : below, inOffset, outOffset: col, probOffset, sparse: Boolean(f), wiring: f, ...(w?.kind === 'edge-list' && w.bias ? { initBias: w.bias } : {}) };
    inOffset = col;
    col += neurons;
    probOffset += neurons;
    below = neurons;
    return l;
  });
  const S = col,
    P = probOffset;
  const layers = plan.map(
    (l): PopulationLayer => ({
      ...l,
      spike: {
        replicas: R,
        neurons: l.neurons,
        fanIn: l.fanIn,
        actStride: S,
        inOffset: l.inOffset,
        outOffset: l.outOffset,
        probStride: P,
        probOffset: l.probOffset,
        agentStride: P,
        agentOffset: l.probOffset,
        seed: o.seed,
        stream: Stream.spike,
      },
    }),
  );
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
 * A wired layer's initial theta: the edge list's weights where it gives them (else the uniform
 * draw), its bias row `initBias` when set, and under Dale's law each weight's magnitude with its presynaptic unit's sign.
 */
function initWiredTheta(seed: number, layer: number, R: number, l: PopulationLayer): Float32Array {
  const theta = initTheta(seed, layer, R, l.fanIn, l.neurons);
  const f = l.wiring!;
  const KN = l.fanIn * l.neurons;
  for (let r = 0; r < R; r++) {
    const base = r * (l.fanIn + 1) * l.neurons;
    if (f.weight) theta.set(f.weight, base);
    if (l.initBias) theta.fill(l.initBias, base + KN, base + KN + l.neurons);
    if (f.sign)
      for (let s = 0; s < KN; s++) {
        const j = f.index[s]!;
        if (j < f.presynaptic) theta[base + s] = f.sign[j]! * Math.abs(theta[base + s]!);
      }
  }
  daleProjectCpu(theta, f, R);
  return theta;
}

/**
 * The population's buffers: activity rows A/B that alternate step by step, probabilities, theta
 * per layer, fan-in indices and Dale signs of wired layers (constant), a dense placeholder index,
 * and the clock.
 */
export function logisticBuffers(p: LogisticPopulation, seed: number): BufferDecl[] {
  const { R, S, P } = p;
  return [
    { name: 'act-a', type: 'f32', length: R * S },
    { name: 'act-b', type: 'f32', length: R * S },
    { name: 'prob', type: 'f32', length: R * P, scratch: true },
    { name: 'fan-in-dense', type: 'u32', length: 4, constant: true },
    { name: 'clock', type: 'u32', length: 4 },
    ...p.layers.flatMap((l, i): BufferDecl[] => [
      { name: `theta-${i}`, type: 'f32', length: R * (l.fanIn + 1) * l.neurons, init: () => (l.sparse ? initWiredTheta(seed, i, R, l) : initTheta(seed, i, R, l.fanIn, l.neurons)) },
      ...(l.wiring ? [{ name: `fan-in-${i}`, type: 'u32', length: l.wiring.index.length, init: l.wiring.index, constant: true } satisfies BufferDecl] : []),
      ...(l.wiring?.sign
        ? [{ name: `dale-sign-${i}`, type: 'u32', length: l.wiring.presynaptic, init: new Uint32Array(Int32Array.from(l.wiring.sign).buffer), constant: true } satisfies BufferDecl]
        : []),
    ]),
  ];
}

/** Spike sampling of every layer, in order, reading and writing the activity row of this step's parity. */
export function logisticSpikeOps(p: LogisticPopulation): Op[] {
  return p.layers.map(
    (l, i): Op => ({
      kernel: SPIKE_SAMPLE,
      layout: { spike: l.spike, sparse: l.sparse } satisfies SpikeOpLayout,
      bind: { theta: `theta-${i}`, fanInIndex: l.sparse ? `fan-in-${i}` : 'fan-in-dense', clock: 'clock', act: ['act-a', 'act-b'], prob: 'prob' },
    }),
  );
}

/** Dale's-law projection of every layer that has signs (after the learning ops). */
export function daleOps(p: LogisticPopulation): Op[] {
  return p.layers.flatMap((l, i): Op[] =>
    l.wiring?.sign
      ? [
          {
            kernel: DALE_PROJECT,
            layout: { replicas: p.R, neurons: l.neurons, fanIn: l.fanIn, presynaptic: l.wiring.presynaptic },
            bind: { fanInIndex: `fan-in-${i}`, sign: `dale-sign-${i}`, theta: `theta-${i}` },
          },
        ]
      : [],
  );
}
