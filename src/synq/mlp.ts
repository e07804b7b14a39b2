/**
 * The multi-layer perceptron trained by the synapses, as flat f32 weights with a replica axis.
 *
 * Weight layout (one replica): layers in order; layer l with fan-in I and fan-out O is an O x (I+1)
 * row-major block, column 0 the bias (the reference code prepends a 1 to each layer's input).
 * Every weight, bias included, is a synapse. Replica r's weights start at r*N.
 */
import { CounterRng, Stream } from '../rng/counter-rng.ts';

/** Activation of a layer's units. */
export type Activation = 'tanh' | 'relu' | 'identity';

/** Network shape: layer sizes (input first) and activations. */
export interface MlpShape {
  /** Layer sizes including input and output, e.g. [2, 100, 1] or [784, 10]. */
  sizes: number[];
  /** Activation of hidden layers. */
  hidden: Activation;
  /** Activation of the output layer ('tanh' on the boundary task, 'identity' = logits for OCR). */
  output: Activation;
}

/** Offsets of each layer's block in the flat weight vector. */
export interface MlpLayout {
  shape: MlpShape;
  /** Start of layer l's block in one replica's weights. */
  layerOffsets: number[];
  /** Synapses (weights + biases) per replica. */
  numSynapses: number;
}

/** Builds the layout of a shape. */
export function mlpLayout(shape: MlpShape): MlpLayout {
  if (shape.sizes.length < 2) throw new RangeError('sizes: need at least input and output sizes');
  const layerOffsets: number[] = [];
  let n = 0;
  for (let l = 0; l + 1 < shape.sizes.length; l++) {
    layerOffsets.push(n);
    n += shape.sizes[l + 1] * (shape.sizes[l] + 1);
  }
  return { shape, layerOffsets, numSynapses: n };
}

/**
 * Weights for R replicas: non-bias weights uniform in [-range, range), biases 0 (as the reference's
 * generate_neuron). Replica r draws from CounterRng(seed, stream, agent0 + r) in layout order.
 */
export function initMlpWeights(
  layout: MlpLayout,
  replicas: number,
  range: number,
  seed: number,
  stream: number = Stream.init,
  agent0 = 0,
): Float32Array {
  const N = layout.numSynapses;
  const w = new Float32Array(replicas * N);
  const { sizes } = layout.shape;
  for (let r = 0; r < replicas; r++) {
    const rng = new CounterRng(seed, stream, agent0 + r);
    for (let l = 0; l + 1 < sizes.length; l++) {
      const fanIn = sizes[l] + 1;
      const base = r * N + layout.layerOffsets[l];
      for (let j = 0; j < sizes[l + 1]; j++) {
        for (let k = 0; k < fanIn; k++) w[base + j * fanIn + k] = k === 0 ? 0 : rng.range(-range, range);
      }
    }
  }
  return w;
}

/** Per-synapse step multiplier: `biasScale` for biases (column 0), 1 elsewhere. */
export function synapseStepScale(layout: MlpLayout, biasScale: number): Float32Array {
  const s = new Float32Array(layout.numSynapses).fill(1);
  const { sizes } = layout.shape;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l] + 1;
    for (let j = 0; j < sizes[l + 1]; j++) s[layout.layerOffsets[l] + j * fanIn] = biasScale;
  }
  return s;
}

function activate(z: number, act: Activation): number {
  if (act === 'tanh') return Math.tanh(z);
  if (act === 'relu') return z > 0 ? z : 0;
  return z;
}

/**
 * Kernel `synq_dense_forward`: one invocation per (replica r, sample b, unit j).
 * out[(r*B + b)*O + j] = act(w[j,0] + sum_k w[j,1+k] * in[(r*B + b)*I + k]), weights of replica r at
 * r*N + wOffset. The dot product accumulates in f64 in k order and rounds once (a GPU summing in f32
 * differs by ~1e-6 relative; tanh/exp on GPUs are not correctly rounded anyway, so the forward pass
 * is checked with a tolerance, not bit for bit). Zero inputs are skipped (exact: adds +0).
 */
export function denseForward(
  replicas: number,
  batch: number,
  inDim: number,
  outDim: number,
  weights: Float32Array,
  numSynapses: number,
  wOffset: number,
  input: Float32Array,
  output: Float32Array,
  act: Activation,
): void {
  const fanIn = inDim + 1;
  for (let r = 0; r < replicas; r++) {
    const wBase = r * numSynapses + wOffset;
    for (let b = 0; b < batch; b++) {
      const xBase = (r * batch + b) * inDim;
      const oBase = (r * batch + b) * outDim;
      for (let j = 0; j < outDim; j++) {
        const row = wBase + j * fanIn;
        let acc = weights[row];
        for (let k = 0; k < inDim; k++) {
          const xv = input[xBase + k];
          if (xv !== 0) acc += weights[row + 1 + k] * xv;
        }
        output[oBase + j] = activate(acc, act);
      }
    }
  }
}

/** Activation buffers for one forward pass: acts[0] is the input, acts[L] the output. */
export interface ForwardWorkspace {
  replicas: number;
  batch: number;
  acts: Float32Array[];
}

/** Allocates buffers for R replicas x B samples (the input buffer acts[0] is filled by the caller). */
export function createForwardWorkspace(layout: MlpLayout, replicas: number, batch: number): ForwardWorkspace {
  return {
    replicas,
    batch,
    acts: layout.shape.sizes.map((n) => new Float32Array(replicas * batch * n)),
  };
}

/** Runs every layer (one dense kernel per layer); returns the output buffer (R*B*outDim). */
export function mlpForward(layout: MlpLayout, weights: Float32Array, ws: ForwardWorkspace): Float32Array {
  const { sizes, hidden, output } = layout.shape;
  const L = sizes.length - 1;
  for (let l = 0; l < L; l++) {
    denseForward(
      ws.replicas,
      ws.batch,
      sizes[l],
      sizes[l + 1],
      weights,
      layout.numSynapses,
      layout.layerOffsets[l],
      ws.acts[l],
      ws.acts[l + 1],
      l === L - 1 ? output : hidden,
    );
  }
  return ws.acts[L];
}

/** Copies rows idx[r*B + b] of a (count x dim) pool into dst (R*B*dim): fills acts[0]. */
export function gatherRows(
  pool: Float32Array,
  dim: number,
  idx: Int32Array | Uint32Array,
  dst: Float32Array,
): void {
  for (let n = 0; n < idx.length; n++) dst.set(pool.subarray(idx[n] * dim, idx[n] * dim + dim), n * dim);
}
