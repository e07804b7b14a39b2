/**
 * Struct-of-arrays layers shared by the actor (Bernoulli-logistic / ReLU hidden units, softmax
 * output) and the critic (softplus hidden units, linear output), batched over R replicas.
 *
 * Layout: every per-unit array is [R * nOut] (index r * nOut + j); every per-synapse array is
 * [R * nOut * fanIn] (index (r * nOut + j) * fanIn + q), i.e. incoming-major: synapse q of unit j
 * reads presynaptic unit pre(j, q) = q (dense) or preIdx[j * fanIn + q] (sparse fan-in). The
 * outgoing view that Weight Max and backprop gather over is the transpose: dense layers read the
 * column w[r, k, i] over k; sparse layers keep a CSR list (outStart / outSyn) of synapse ids per
 * presynaptic unit, so each reduction is a gather with no float atomics.
 */
import { CounterRng, Stream } from '../rng/counter-rng.ts';

/** Glorot fan-out of the multiplexer's output (the code's one Bernoulli unit): LayerSpec.initFanOut. */
export const MULTIPLEXER_OUTPUT_FAN_OUT = 1;

export type UnitKind = 'bernoulli' | 'relu' | 'softmax' | 'softplus' | 'linear';

/** A layer's shape: the scalar fields of `Layer`, and whether its fan-in is sparse (has a presynaptic index). */
export interface LayerShape {
  kind: UnitKind;
  /** Presynaptic population size (the previous layer's value count, or the observation size). */
  nIn: number;
  /** Learned units (softmax: K - 1, the last logit is fixed at 0). */
  nOut: number;
  /** Values per replica (softmax: K one-hot entries, else nOut). */
  nVals: number;
  /** Synapses per unit (nIn when dense). */
  fanIn: number;
  /** Sparse fan-in: a presynaptic index per synapse (and its outgoing CSR view). */
  sparse: boolean;
  /** Temperature: pot = (w . x + b) / temp (1 for real-valued units, as in the code). */
  temp: number;
  /** First RNG agent id of this layer's units inside one replica. */
  agentOffset: number;
}

export interface Layer {
  readonly kind: UnitKind;
  /** Presynaptic population size (the previous layer's value count, or the observation size). */
  readonly nIn: number;
  /** Learned units (softmax: K - 1, the last logit is fixed at 0). */
  readonly nOut: number;
  /** Values per replica (softmax: K one-hot entries, else nOut). */
  readonly nVals: number;
  /** Synapses per unit (nIn when dense). */
  readonly fanIn: number;
  /** [nOut * fanIn] presynaptic index per synapse, shared by all replicas; null when dense. */
  readonly preIdx: Uint32Array | null;
  /** [nIn + 1] CSR offsets into outSyn per presynaptic unit; null when dense. */
  readonly outStart: Uint32Array | null;
  /** Synapse ids j * fanIn + q grouped by presynaptic unit; null when dense. */
  readonly outSyn: Uint32Array | null;
  /** Temperature: pot = (w . x + b) / temp (1 for real-valued units, as in the code). */
  readonly temp: number;
  /** First RNG agent id of this layer's units inside one replica. */
  readonly agentOffset: number;
  readonly w: Float32Array;
  readonly b: Float32Array;
  /** Eligibility traces of w and b. */
  readonly eW: Float32Array;
  readonly eB: Float32Array;
  /** Raw (pre-Adam) update of the last learning step; Weight Max reads uW. */
  readonly uW: Float32Array;
  readonly uB: Float32Array;
  /** Adam moments. */
  readonly mW: Float32Array;
  readonly vW: Float32Array;
  readonly mB: Float32Array;
  readonly vB: Float32Array;
  /** Potential (pre-activation / temp) per learned unit. */
  readonly pot: Float32Array;
  /** Firing probability / softmax probabilities / real activation, [R * nVals]. */
  readonly mean: Float32Array;
  /** Sampled (or deterministic) values, [R * nVals]. */
  readonly values: Float32Array;
  /** Per-unit factor c_j of the log-likelihood gradient: d log pi / d w_jq = x_pre(j,q) * c_j. */
  readonly charac: Float32Array;
  /** Reinforcement delivered to each unit at the current learning step. */
  readonly reward: Float32Array;
  /** Thomas (2011): 1 where the unit explored (sampled) at the last forward pass. */
  readonly explore: Uint32Array;
}

/** A feed-forward stack of layers batched over R replicas. */
export interface Net {
  readonly replicas: number;
  readonly inDim: number;
  readonly layers: Layer[];
  /** RNG agent ids per replica: the agent of unit j of layer l in replica r is r * agentsPerReplica + agentOffset + j. */
  readonly agentsPerReplica: number;
  /** The current input, [R * inDim]. */
  readonly input: Float32Array;
}

export interface LayerSpec {
  kind: UnitKind;
  /** Units (for softmax: the number of actions K). */
  size: number;
  temp?: number;
  /** Presynaptic units per unit; 0 or >= nIn means dense. */
  fanIn?: number;
  /**
   * Fan-out counted by the Glorot limit instead of the layer's outputs: 1 for the multiplexer's
   * 2-way softmax, which stands for the code's single Bernoulli output unit (L_BINARY_Z,
   * output_size 1: lim = sqrt(6 / (32 + 1))), where a K-way L_DISCRETE output counts K.
   */
  initFanOut?: number;
}

/** The input array a layer reads: the net input for layer 0, else the previous layer's values. */
export function layerInput(net: Net, l: number): Float32Array {
  return l === 0 ? net.input : net.layers[l - 1]!.values;
}

/**
 * Draws `fanIn` distinct presynaptic indices in [0, nIn) per unit (rejection against the unit's
 * own earlier draws; fanIn is small), then builds the outgoing CSR view.
 */
function sparseWiring(nIn: number, nOut: number, fanIn: number, rng: CounterRng) {
  const preIdx = new Uint32Array(nOut * fanIn);
  for (let j = 0; j < nOut; j++) {
    const base = j * fanIn;
    for (let q = 0; q < fanIn; q++) {
      let p: number;
      let dup: boolean;
      do {
        p = rng.int(nIn);
        dup = false;
        for (let s = 0; s < q; s++)
          if (preIdx[base + s] === p) {
            dup = true;
            break;
          }
      } while (dup);
      preIdx[base + q] = p;
    }
  }
  const outStart = new Uint32Array(nIn + 1);
  for (let s = 0; s < preIdx.length; s++) outStart[preIdx[s]! + 1] += 1;
  for (let i = 0; i < nIn; i++) outStart[i + 1] += outStart[i]!;
  const fill = outStart.slice(0, nIn);
  const outSyn = new Uint32Array(preIdx.length);
  for (let s = 0; s < preIdx.length; s++) {
    const p = preIdx[s]!;
    outSyn[fill[p]!] = s;
    fill[p] += 1;
  }
  return { preIdx, outStart, outSyn };
}

/** The shapes of a stack of layers over `inDim` inputs (a fan-in of 0 or >= nIn is dense), and the agents per replica. */
export function stackShapes(specs: readonly LayerSpec[], inDim: number): { shapes: LayerShape[]; agentsPerReplica: number } {
  let nIn = inDim;
  let agentOffset = 0;
  const shapes = specs.map((spec): LayerShape => {
    const nVals = spec.size;
    const sparse = spec.fanIn !== undefined && spec.fanIn > 0 && spec.fanIn < nIn;
    const temp = spec.kind === 'bernoulli' || spec.kind === 'softmax' ? (spec.temp ?? 1) : 1;
    const shape = { kind: spec.kind, nIn, nOut: spec.kind === 'softmax' ? nVals - 1 : nVals, nVals, fanIn: sparse ? spec.fanIn! : nIn, sparse, temp, agentOffset };
    agentOffset += nVals;
    nIn = nVals;
    return shape;
  });
  return { shapes, agentsPerReplica: agentOffset };
}

/** The Glorot bound lim = sqrt(6 / (fanIn + fanOut)) of a layer's initial weights (see createNet). */
export function initLimit(L: LayerShape, initFanOut?: number): number {
  const fanOut = initFanOut ?? (L.sparse ? (L.nOut * L.fanIn) / L.nIn : L.nVals);
  return Math.sqrt(6 / (L.fanIn + fanOut));
}

/**
 * Builds a net and initialises it as the code does: w ~ U(-lim, lim) with
 * lim = sqrt(6 / (fanIn + fanOut)) (Glorot; fanOut counts all K softmax outputs, and for sparse
 * layers the mean outgoing count nOut * fanIn / nIn), b ~ U(-1e-3, 1e-3). Init draws use
 * CounterRng(seed, Stream.init, agent = initAgent + r * 256 + 2 * l (+1 for biases)); wiring uses
 * agent initAgent + 0x7fff00 + l and is shared by all replicas.
 */
export function createNet(replicas: number, inDim: number, specs: readonly LayerSpec[], seed: number, initAgent = 0): Net {
  const { shapes, agentsPerReplica } = stackShapes(specs, inDim);
  const layers = shapes.map((shape, l): Layer => {
    const { kind, nIn, nOut, nVals, fanIn, sparse, temp, agentOffset } = shape;
    const wiring = sparse ? sparseWiring(nIn, nOut, fanIn, new CounterRng(seed, Stream.init, initAgent + 0x7fff00 + l)) : null;
    const R = replicas;
    const nSyn = R * nOut * fanIn;
    const layer: Layer = {
      kind,
      nIn,
      nOut,
      nVals,
      fanIn,
      preIdx: wiring?.preIdx ?? null,
      outStart: wiring?.outStart ?? null,
      outSyn: wiring?.outSyn ?? null,
      temp,
      agentOffset,
      w: new Float32Array(nSyn),
      b: new Float32Array(R * nOut),
      eW: new Float32Array(nSyn),
      eB: new Float32Array(R * nOut),
      uW: new Float32Array(nSyn),
      uB: new Float32Array(R * nOut),
      mW: new Float32Array(nSyn),
      vW: new Float32Array(nSyn),
      mB: new Float32Array(R * nOut),
      vB: new Float32Array(R * nOut),
      pot: new Float32Array(R * nOut),
      mean: new Float32Array(R * nVals),
      values: new Float32Array(R * nVals),
      charac: new Float32Array(R * nOut),
      reward: new Float32Array(R * nOut),
      explore: new Uint32Array(R * nOut).fill(1),
    };
    const lim = initLimit(shape, specs[l]!.initFanOut);
    for (let r = 0; r < R; r++) {
      const rw = new CounterRng(seed, Stream.init, initAgent + r * 256 + 2 * l);
      const rb = new CounterRng(seed, Stream.init, initAgent + r * 256 + 2 * l + 1);
      const ws = r * nOut * fanIn;
      for (let s = 0; s < nOut * fanIn; s++) layer.w[ws + s] = rw.range(-lim, lim);
      for (let j = 0; j < nOut; j++) layer.b[r * nOut + j] = rb.range(-1e-3, 1e-3);
    }
    return layer;
  });
  return { replicas, inDim, layers, agentsPerReplica, input: new Float32Array(replicas * inDim) };
}

/** Parameters (weights + biases) per replica. */
export function paramCount(net: Net): number {
  return net.layers.reduce((s, L) => s + L.nOut * L.fanIn + L.nOut, 0);
}
