/**
 * Analytic gradient of the mean softmax cross-entropy (with the reference's +1e-8 inside the log)
 * for the OCR MLP, by backpropagation. Used only by the gradient-descent baseline (CPU).
 */
import { CE_LOG_EPS } from './loss.ts';
import { mlpForward, type ForwardWorkspace, type MlpLayout, type SparseRows } from './mlp.ts';

/**
 * Adds sum_n dL_n/dw over the workspace's batch (one replica, inputs already in ws.acts[0]) into
 * `grad` (length N; not divided by the batch size). Returns the summed loss of the batch.
 * dL/dz_j = (p_c / (p_c + eps)) * (p_j - [j == c]) for logits z, label c, softmax p.
 */
export function accumulateCeGradient(layout: MlpLayout, weights: Float32Array, ws: ForwardWorkspace, labels: Uint8Array, grad: Float64Array): number {
  const { sizes, hidden } = layout.shape;
  const L = sizes.length - 1;
  const B = ws.batch;
  const out = mlpForward(layout, weights, ws);
  const O = sizes[L];
  // delta of the current layer's pre-activations, B x fanOut
  let delta = new Float64Array(B * O);
  let lossSum = 0;
  for (let b = 0; b < B; b++) lossSum += ceDeltaSample(out, b * O, O, labels[b], delta, b * O);
  for (let l = L - 1; l >= 0; l--) {
    const I = sizes[l];
    const J = sizes[l + 1];
    const off = layout.layerOffsets[l];
    const input = ws.acts[l];
    const sparse = l === 0 ? ws.sparseInput : undefined;
    if (sparse) {
      sparseInputGradient(grad, off, I, J, B, delta, sparse);
      break;
    }
    denseLayerGradient(grad, off, I, J, B, delta, input);
    if (l === 0) break;
    const prev = new Float64Array(B * I);
    hiddenDelta(weights, off, I, J, B, input, delta, prev, hidden);
    delta = prev;
  }
  return lossSum;
}

/**
 * One sample's softmax cross-entropy -log(p_c + eps) (returned, f64) and its gradient at the
 * logits into delta[dBase .. dBase + O): (p_c / (p_c + eps)) * (p_j - [j == c]), all in f64 from
 * the f32 logits out[base .. base + O). (Kernel gd-ce-delta; its twin calls this.)
 */
export function ceDeltaSample(out: ArrayLike<number>, base: number, O: number, c: number, delta: Float64Array, dBase: number): number {
  let m = -Infinity;
  for (let j = 0; j < O; j++) m = Math.max(m, out[base + j]);
  let z = 0;
  for (let j = 0; j < O; j++) z += Math.exp(out[base + j] - m);
  const pc = Math.exp(out[base + c] - m) / z;
  const scale = pc / (pc + CE_LOG_EPS);
  for (let j = 0; j < O; j++) {
    const pj = Math.exp(out[base + j] - m) / z;
    delta[dBase + j] = scale * (pj - (j === c ? 1 : 0));
  }
  return -Math.log(pc + CE_LOG_EPS);
}

/**
 * Adds a dense layer's gradient over B samples (sample-major, in b order) into grad[off ..]: bias
 * += delta[b, j], weight k += delta[b, j] * x[b, k] (zero deltas and inputs skipped: exact no-ops).
 */
export function denseLayerGradient(grad: Float64Array, off: number, I: number, J: number, B: number, delta: ArrayLike<number>, input: ArrayLike<number>): void {
  const fanIn = I + 1;
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < J; j++) {
      const d = delta[b * J + j];
      if (d === 0) continue;
      const row = off + j * fanIn;
      grad[row] += d;
      for (let k = 0; k < I; k++) {
        const x = input[b * I + k];
        if (x !== 0) grad[row + 1 + k] += d * x;
      }
    }
  }
}

/**
 * Back-propagates the layer above's pre-activation gradient (B x J) through its weights (before
 * this step's update) to this layer's (B x I): prev[b, k] = act'(h) * sum_j w[j, 1 + k] delta[b, j]
 * in f64, h = input[b, k] (this layer's output). (Kernel gd-hidden-delta; its twin calls this.)
 */
export function hiddenDelta(
  weights: Float32Array,
  off: number,
  I: number,
  J: number,
  B: number,
  input: ArrayLike<number>,
  delta: ArrayLike<number>,
  prev: Float64Array,
  hidden: 'tanh' | 'relu' | 'identity',
): void {
  const fanIn = I + 1;
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < I; k++) {
      const h = input[b * I + k];
      const dAct = hidden === 'relu' ? (h > 0 ? 1 : 0) : hidden === 'tanh' ? 1 - h * h : 1;
      if (dAct === 0) {
        prev[b * I + k] = 0;
        continue;
      }
      let s = 0;
      for (let j = 0; j < J; j++) s += weights[off + j * fanIn + 1 + k] * delta[b * J + j];
      prev[b * I + k] = s * dAct;
    }
  }
}

let transposedGrad = new Float64Array(0);

/**
 * The first layer's gradient from sparse inputs: grad[off + j*(I+1) + 1 + k] += sum_b delta[b, j] *
 * x[b, k] (and the bias column += delta[b, j]). Accumulated in a transposed copy of the block
 * ((I+1) x J, units contiguous, so each nonzero input updates J neighbouring sums) and copied back:
 * every weight still adds its terms sample by sample in b order onto the value it came in with, so
 * the result is bit-identical to the plain b -> j -> k loop (zero deltas add +-0, an exact no-op).
 */
export function sparseInputGradient(grad: Float64Array, off: number, I: number, J: number, B: number, delta: Float64Array, sparse: SparseRows): void {
  const fanIn = I + 1;
  if (transposedGrad.length < fanIn * J) transposedGrad = new Float64Array(fanIn * J);
  const g = transposedGrad;
  for (let j = 0; j < J; j++) for (let k = 0; k < fanIn; k++) g[k * J + j] = grad[off + j * fanIn + k];
  const { rowStart, idx, val } = sparse;
  for (let b = 0; b < B; b++) {
    const d = b * J;
    const n0 = rowStart[b];
    const n1 = rowStart[b + 1];
    let j0 = 0;
    for (; j0 + 8 <= J; j0 += 8) gradientRow8(g, J, j0, delta, d + j0, idx, val, n0, n1);
    for (let j = j0; j < J; j++) {
      const dj = delta[d + j];
      if (dj === 0) continue;
      g[j] += dj;
      for (let n = n0; n < n1; n++) g[(1 + idx[n]) * J + j] += dj * val[n];
    }
  }
  for (let j = 0; j < J; j++) for (let k = 0; k < fanIn; k++) grad[off + j * fanIn + k] = g[k * J + j];
}

/** sparseInputGradient for units j0..j0+7 of one sample (deltas in registers); skips an all-zero block. */
function gradientRow8(g: Float64Array, stride: number, j0: number, delta: Float64Array, d: number, idx: Int32Array, val: Float32Array, n0: number, n1: number): void {
  const d0 = delta[d],
    d1 = delta[d + 1],
    d2 = delta[d + 2],
    d3 = delta[d + 3];
  const d4 = delta[d + 4],
    d5 = delta[d + 5],
    d6 = delta[d + 6],
    d7 = delta[d + 7];
  if (d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0 && d5 === 0 && d6 === 0 && d7 === 0) return;
  g[j0] += d0;
  g[j0 + 1] += d1;
  g[j0 + 2] += d2;
  g[j0 + 3] += d3;
  g[j0 + 4] += d4;
  g[j0 + 5] += d5;
  g[j0 + 6] += d6;
  g[j0 + 7] += d7;
  for (let n = n0; n < n1; n++) {
    const c = (1 + idx[n]) * stride + j0;
    const x = val[n];
    g[c] += d0 * x;
    g[c + 1] += d1 * x;
    g[c + 2] += d2 * x;
    g[c + 3] += d3 * x;
    g[c + 4] += d4 * x;
    g[c + 5] += d5 * x;
    g[c + 6] += d6 * x;
    g[c + 7] += d7 * x;
  }
}
