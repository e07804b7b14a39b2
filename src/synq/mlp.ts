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
 * `draw` replaces the uniform draw of each non-bias weight of layer l (biases stay 0, undrawn).
 */
export function initMlpWeights(
  layout: MlpLayout,
  replicas: number,
  range: number,
  seed: number,
  stream: number = Stream.init,
  agent0 = 0,
  draw: (rng: CounterRng, layer: number) => number = (rng) => rng.range(-range, range),
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
        for (let k = 0; k < fanIn; k++) w[base + j * fanIn + k] = k === 0 ? 0 : draw(rng, l);
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
 * Nonzero entries of a (rows x dim) input, row by row: row n's entries are idx/val[rowStart[n] ..
 * rowStart[n+1]), in ascending column order. Built once per MNIST minibatch (the layer-0 input is
 * fixed for 5000 iterations), so the forward pass touches only the ~19% nonzero pixels.
 */
export interface SparseRows {
  rowStart: Int32Array;
  idx: Int32Array;
  val: Float32Array;
}

/** Appends row `row`'s nonzeros (column, value) of a (rows x dim) input at idx/val[n..]; returns the new n. */
function gatherNonzeros(input: Float32Array, row: number, dim: number, idx: Int32Array, val: Float32Array, n: number): number {
  const base = row * dim;
  for (let k = 0; k < dim; k++) {
    const xv = input[base + k];
    if (xv !== 0) {
      idx[n] = k;
      val[n++] = xv;
    }
  }
  return n;
}

/** Collects the nonzero entries of `input` (rows x dim). */
export function sparseRows(input: Float32Array, rows: number, dim: number): SparseRows {
  let nnz = 0;
  for (let i = 0; i < rows * dim; i++) if (input[i] !== 0) nnz++;
  const rowStart = new Int32Array(rows + 1);
  const idx = new Int32Array(nnz);
  const val = new Float32Array(nnz);
  let n = 0;
  for (let row = 0; row < rows; row++) {
    rowStart[row] = n;
    n = gatherNonzeros(input, row, dim, idx, val, n);
  }
  rowStart[rows] = n;
  return { rowStart, idx, val };
}

/**
 * The nonzeros of rows rows[n] of a pool whose nonzeros are `pool` (sparseRows of the pool), as
 * the SparseRows of the gathered input (row n = pool row rows[n]): what sparseRows of gatherRows'
 * output gives, without touching the zeros.
 */
export function gatherSparseRows(pool: SparseRows, rows: ArrayLike<number>): SparseRows {
  let nnz = 0;
  for (let n = 0; n < rows.length; n++) nnz += pool.rowStart[rows[n] + 1] - pool.rowStart[rows[n]];
  const rowStart = new Int32Array(rows.length + 1);
  const idx = new Int32Array(nnz);
  const val = new Float32Array(nnz);
  let k = 0;
  for (let n = 0; n < rows.length; n++) {
    rowStart[n] = k;
    const a = pool.rowStart[rows[n]],
      b = pool.rowStart[rows[n] + 1];
    idx.set(pool.idx.subarray(a, b), k);
    val.set(pool.val.subarray(a, b), k);
    k += b - a;
  }
  rowStart[rows.length] = k;
  return { rowStart, idx, val };
}

/** One input row's nonzeros at idx/val[n0 .. n1): from precomputed SparseRows, or gathered on load. */
class RowNonzeros {
  idx: Int32Array;
  val: Float32Array;
  n0 = 0;
  n1 = 0;
  constructor(
    private readonly input: Float32Array,
    private readonly dim: number,
    private readonly sparse?: SparseRows,
  ) {
    this.idx = sparse ? sparse.idx : new Int32Array(dim);
    this.val = sparse ? sparse.val : new Float32Array(dim);
  }
  load(row: number): void {
    if (this.sparse) {
      this.n0 = this.sparse.rowStart[row];
      this.n1 = this.sparse.rowStart[row + 1];
    } else {
      this.n1 = gatherNonzeros(this.input, row, this.dim, this.idx, this.val, 0);
    }
  }
}

/** Below this batch the weight transpose costs more than it saves (small-batch benches, 16M scale). */
const TRANSPOSE_MIN_BATCH = 32;

let transposed = new Float64Array(0);

/**
 * Kernel `synq_dense_forward`: one invocation per (replica r, sample b, unit j).
 * out[(r*B + b)*O + j] = act(w[j,0] + sum_k w[j,1+k] * in[(r*B + b)*I + k]), weights of replica r at
 * r*N + wOffset. The dot product accumulates in f64 in k order and rounds once (a GPU summing in f32
 * differs by ~1e-6 relative; tanh/exp on GPUs are not correctly rounded anyway, so the forward pass
 * is checked with a tolerance, not bit for bit). Zero inputs are skipped (exact: adds +0).
 *
 * Each sample's nonzero inputs are found once (or given precomputed in `sparse`, see sparseRows).
 * From TRANSPOSE_MIN_BATCH samples on, the twin loops nonzero input k -> unit j over a transposed
 * copy of the weights (units held in registers); below it, unit j -> nonzero k over the weights as
 * they are. Either way each unit sums its terms in k order: bit-identical to the plain loop.
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
  sparse?: SparseRows,
): void {
  const fanIn = inDim + 1;
  const nz = new RowNonzeros(input, inDim, sparse);
  const direct = batch < TRANSPOSE_MIN_BATCH;
  const acc = new Float64Array(outDim);
  if (!direct && transposed.length < fanIn * outDim) transposed = new Float64Array(fanIn * outDim);
  const wt = transposed;
  for (let r = 0; r < replicas; r++) {
    const wBase = r * numSynapses + wOffset;
    if (!direct) {
      for (let j = 0; j < outDim; j++) {
        for (let k = 0; k < fanIn; k++) wt[k * outDim + j] = weights[wBase + j * fanIn + k];
      }
    }
    for (let b = 0; b < batch; b++) {
      const row = r * batch + b;
      const oBase = row * outDim;
      nz.load(row);
      const { idx, val, n0, n1 } = nz;
      if (direct) {
        for (let j = 0; j < outDim; j++) {
          const w0 = wBase + j * fanIn;
          let a = weights[w0];
          for (let n = n0; n < n1; n++) a += weights[w0 + 1 + idx[n]] * val[n];
          output[oBase + j] = activate(a, act);
        }
        continue;
      }
      if (outDim === 10) {
        forwardRow10(wt, idx, val, n0, n1, output, oBase, act);
        continue;
      }
      let j0 = 0;
      for (; j0 + 8 <= outDim; j0 += 8) forwardRow8(wt, outDim, j0, idx, val, n0, n1, output, oBase, act);
      if (j0 === outDim) continue;
      for (let j = j0; j < outDim; j++) acc[j] = wt[j];
      for (let n = n0; n < n1; n++) {
        const col = (1 + idx[n]) * outDim;
        const xv = val[n];
        for (let j = j0; j < outDim; j++) acc[j] += wt[col + j] * xv;
      }
      for (let j = j0; j < outDim; j++) output[oBase + j] = activate(acc[j], act);
    }
  }
}

/**
 * denseForward's row loop for 10 units (the MNIST output layer), in registers: same sums, same order.
 * Kept beside forwardRow8 on purpose: 8 + a 2-unit remainder makes two passes over the nonzeros,
 * measured 123 vs 177 it/s on the 0 HU task (600 iterations, --backend cpu, idle machine).
 */
function forwardRow10(wt: Float64Array, idx: Int32Array, val: Float32Array, n0: number, n1: number, output: Float32Array, o: number, act: Activation): void {
  let a0 = wt[0],
    a1 = wt[1],
    a2 = wt[2],
    a3 = wt[3],
    a4 = wt[4];
  let a5 = wt[5],
    a6 = wt[6],
    a7 = wt[7],
    a8 = wt[8],
    a9 = wt[9];
  for (let n = n0; n < n1; n++) {
    const c = (1 + idx[n]) * 10;
    const x = val[n];
    a0 += wt[c] * x;
    a1 += wt[c + 1] * x;
    a2 += wt[c + 2] * x;
    a3 += wt[c + 3] * x;
    a4 += wt[c + 4] * x;
    a5 += wt[c + 5] * x;
    a6 += wt[c + 6] * x;
    a7 += wt[c + 7] * x;
    a8 += wt[c + 8] * x;
    a9 += wt[c + 9] * x;
  }
  output[o] = activate(a0, act);
  output[o + 1] = activate(a1, act);
  output[o + 2] = activate(a2, act);
  output[o + 3] = activate(a3, act);
  output[o + 4] = activate(a4, act);
  output[o + 5] = activate(a5, act);
  output[o + 6] = activate(a6, act);
  output[o + 7] = activate(a7, act);
  output[o + 8] = activate(a8, act);
  output[o + 9] = activate(a9, act);
}

/** denseForward's row loop for units j0..j0+7 of a layer with `stride` units, in registers. */
function forwardRow8(wt: Float64Array, stride: number, j0: number, idx: Int32Array, val: Float32Array, n0: number, n1: number, output: Float32Array, o: number, act: Activation): void {
  let a0 = wt[j0],
    a1 = wt[j0 + 1],
    a2 = wt[j0 + 2],
    a3 = wt[j0 + 3];
  let a4 = wt[j0 + 4],
    a5 = wt[j0 + 5],
    a6 = wt[j0 + 6],
    a7 = wt[j0 + 7];
  for (let n = n0; n < n1; n++) {
    const c = (1 + idx[n]) * stride + j0;
    const x = val[n];
    a0 += wt[c] * x;
    a1 += wt[c + 1] * x;
    a2 += wt[c + 2] * x;
    a3 += wt[c + 3] * x;
    a4 += wt[c + 4] * x;
    a5 += wt[c + 5] * x;
    a6 += wt[c + 6] * x;
    a7 += wt[c + 7] * x;
  }
  o += j0;
  output[o] = activate(a0, act);
  output[o + 1] = activate(a1, act);
  output[o + 2] = activate(a2, act);
  output[o + 3] = activate(a3, act);
  output[o + 4] = activate(a4, act);
  output[o + 5] = activate(a5, act);
  output[o + 6] = activate(a6, act);
  output[o + 7] = activate(a7, act);
}

/** Activation buffers for one forward pass: acts[0] is the input, acts[L] the output. */
export interface ForwardWorkspace {
  replicas: number;
  batch: number;
  acts: Float32Array[];
  /** Nonzeros of acts[0] when the caller has precomputed them (must be refreshed when acts[0] changes). */
  sparseInput?: SparseRows;
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
      l === 0 ? ws.sparseInput : undefined,
    );
  }
  return ws.acts[L];
}

/** Copies rows idx[r*B + b] of a (count x dim) pool into dst (R*B*dim): fills acts[0]. */
export function gatherRows(pool: Float32Array, dim: number, idx: Int32Array | Uint32Array, dst: Float32Array): void {
  for (let n = 0; n < idx.length; n++) dst.set(pool.subarray(idx[n] * dim, idx[n] * dim + dim), n * dim);
}
