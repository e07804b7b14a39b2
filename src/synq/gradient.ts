/**
 * Analytic gradient of the mean softmax cross-entropy (with the reference's +1e-8 inside the log)
 * for the OCR MLP, by backpropagation. Used only by the gradient-descent baseline (CPU).
 */
import { CE_LOG_EPS } from './loss.ts';
import { mlpForward, type ForwardWorkspace, type MlpLayout } from './mlp.ts';

/**
 * Adds sum_n dL_n/dw over the workspace's batch (one replica, inputs already in ws.acts[0]) into
 * `grad` (length N; not divided by the batch size). Returns the summed loss of the batch.
 * dL/dz_j = (p_c / (p_c + eps)) * (p_j - [j == c]) for logits z, label c, softmax p.
 */
export function accumulateCeGradient(
  layout: MlpLayout,
  weights: Float32Array,
  ws: ForwardWorkspace,
  labels: Uint8Array,
  grad: Float64Array,
): number {
  const { sizes, hidden } = layout.shape;
  const L = sizes.length - 1;
  const B = ws.batch;
  const out = mlpForward(layout, weights, ws);
  const O = sizes[L];
  // delta of the current layer's pre-activations, B x fanOut
  let delta = new Float64Array(B * O);
  let lossSum = 0;
  for (let b = 0; b < B; b++) {
    let m = -Infinity;
    for (let j = 0; j < O; j++) m = Math.max(m, out[b * O + j]);
    let z = 0;
    for (let j = 0; j < O; j++) z += Math.exp(out[b * O + j] - m);
    const c = labels[b];
    const pc = Math.exp(out[b * O + c] - m) / z;
    lossSum += -Math.log(pc + CE_LOG_EPS);
    const scale = pc / (pc + CE_LOG_EPS);
    for (let j = 0; j < O; j++) {
      const pj = Math.exp(out[b * O + j] - m) / z;
      delta[b * O + j] = scale * (pj - (j === c ? 1 : 0));
    }
  }
  for (let l = L - 1; l >= 0; l--) {
    const I = sizes[l];
    const J = sizes[l + 1];
    const fanIn = I + 1;
    const off = layout.layerOffsets[l];
    const input = ws.acts[l];
    const sparse = l === 0 ? ws.sparseInput : undefined;
    if (sparse) {
      // Same sums in the same order per weight (sample b outer, its nonzero inputs in k order).
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < J; j++) {
          const d = delta[b * J + j];
          if (d === 0) continue;
          const row = off + j * fanIn;
          grad[row] += d;
          for (let n = sparse.rowStart[b]; n < sparse.rowStart[b + 1]; n++) grad[row + 1 + sparse.idx[n]] += d * sparse.val[n];
        }
      }
      break;
    }
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
    if (l === 0) break;
    const prev = new Float64Array(B * I);
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < I; k++) {
        const h = input[b * I + k];
        const dAct = hidden === 'relu' ? (h > 0 ? 1 : 0) : hidden === 'tanh' ? 1 - h * h : 1;
        if (dAct === 0) continue;
        let s = 0;
        for (let j = 0; j < J; j++) s += weights[off + j * fanIn + 1 + k] * delta[b * J + j];
        prev[b * I + k] = s * dAct;
      }
    }
    delta = prev;
  }
  return lossSum;
}
