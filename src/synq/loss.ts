/**
 * Losses, the global reward, and accuracy.
 *
 * Reduction rule (so a GPU can match): per-sample losses are f32, summed by a pairwise tree over
 * the batch padded with zeros to a power of two P: at each level h = P/2, P/4, .., 1,
 * v[i] = f32(v[i] + v[i + h]) for i < h. A GPU runs one pass per level (or a workgroup version of
 * the same tree) and gets the same bits given the same per-sample values.
 */

/** Softmax cross-entropy adds this inside the log, as the reference code (`log.(pred .+ 10e-9)`). */
export const CE_LOG_EPS = 1e-8;

/**
 * Kernel `synq_sample_sq_error`: one invocation per (replica r, sample b):
 * out[r*B + b] = sum_j (y - t)^2 over the O outputs (targets t laid out like outputs).
 */
export function squaredErrorPerSample(replicas: number, batch: number, outDim: number, outputs: Float32Array, targets: Float32Array, out: Float32Array): void {
  for (let n = 0; n < replicas * batch; n++) {
    let s = 0;
    for (let j = 0; j < outDim; j++) {
      const d = outputs[n * outDim + j] - targets[n * outDim + j];
      s += d * d;
    }
    out[n] = s;
  }
}

/**
 * Kernel `synq_sample_softmax_ce`: one invocation per (replica r, sample b):
 * out[r*B + b] = -log(softmax(logits)[label] + 1e-8), softmax computed with the max subtracted.
 */
export function softmaxCrossEntropyPerSample(replicas: number, batch: number, outDim: number, logits: Float32Array, labels: Uint8Array, out: Float32Array): void {
  for (let n = 0; n < replicas * batch; n++) {
    const base = n * outDim;
    let m = -Infinity;
    for (let j = 0; j < outDim; j++) m = Math.max(m, logits[base + j]);
    let z = 0;
    for (let j = 0; j < outDim; j++) z += Math.exp(logits[base + j] - m);
    const p = Math.exp(logits[base + labels[n]] - m) / z;
    out[n] = -Math.log(p + CE_LOG_EPS);
  }
}

/** The batch padded to a power of two (the tree's width). */
export function treeWidth(count: number): number {
  let p = 1;
  while (p < count) p *= 2;
  return p;
}

/**
 * The pairwise tree over v[offset .. offset + width) in place, entries from `count` on zeroed
 * first (v[i] = f32(v[i] + v[i + h]), h = width/2 .. 1): what synq-loss-reward does to its
 * per-sample buffer. Returns the sum (v[offset]).
 */
export function treeSumInPlaceF32(v: Float32Array, offset: number, count: number, width = treeWidth(count)): number {
  v.fill(0, offset + count, offset + width);
  for (let h = width / 2; h >= 1; h /= 2) {
    for (let i = 0; i < h; i++) v[offset + i] = v[offset + i] + v[offset + i + h];
  }
  return v[offset];
}

/** f32 pairwise tree sum of v[offset .. offset+count) (see the reduction rule above). */
export function treeSumF32(v: Float32Array, offset: number, count: number): number {
  const p = treeWidth(count);
  const buf = new Float32Array(p);
  buf.set(v.subarray(offset, offset + count));
  return treeSumInPlaceF32(buf, 0, count, p);
}

/** How a replica's per-sample losses become its scalar loss. */
export type LossReduce = 'mean' | 'euclidean';

/**
 * Kernel `synq_reduce_loss`: one invocation (or workgroup) per replica r:
 * (multiplying by f32(1/B): WGSL's division is not correctly rounded, its multiplication is)
 *  - 'mean': loss[r] = f32(sum * f32(1/B)) (cross-entropy),
 *  - 'euclidean': loss[r] = f32(f32(sqrt(sum)) * f32(1/B)), the reference's loss_linear = norm(pred - truth)/N on
 *    the boundary task. It is a monotone function of the MSE, so it gives the same rewards.
 */
export function reduceLoss(replicas: number, batch: number, perSample: Float32Array, mode: LossReduce, loss: Float32Array): void {
  for (let r = 0; r < replicas; r++) loss[r] = finishLoss(treeSumF32(perSample, r * batch, batch), batch, mode);
}

/** A replica's loss from its tree sum: f32(s * f32(1/B)), or f32(f32(sqrt(s)) * f32(1/B)) ('euclidean'). */
export function finishLoss(s: number, batch: number, mode: LossReduce): number {
  const inv = Math.fround(1 / batch);
  return mode === 'mean' ? Math.fround(s * inv) : Math.fround(Math.fround(Math.sqrt(s)) * inv);
}

/**
 * Kernel `synq_reward`: one invocation per replica. Reward code 2 (+1) if the new loss is strictly
 * lower than the previous one, else 0 (-1, ties included); then prevLoss = newLoss.
 */
export function computeRewards(replicas: number, newLoss: Float32Array, prevLoss: Float32Array, rewardCodes: Uint8Array | Uint32Array): void {
  for (let r = 0; r < replicas; r++) {
    rewardCodes[r] = newLoss[r] < prevLoss[r] ? 2 : 0;
    prevLoss[r] = newLoss[r];
  }
}

/** Reward value (+1/-1) of a reward code. */
export function rewardValue(code: number): number {
  return code - 1;
}

/** Per replica, the fraction of its `batch` samples n = r * batch + b for which `hit(n)`. */
function fractionPerReplica(replicas: number, batch: number, hit: (n: number) => boolean): number[] {
  const acc: number[] = [];
  for (let r = 0; r < replicas; r++) {
    let correct = 0;
    for (let b = 0; b < batch; b++) if (hit(r * batch + b)) correct++;
    acc.push(correct / batch);
  }
  return acc;
}

/** Fraction of samples whose argmax output (first on ties) equals the label, per replica. */
export function argmaxAccuracy(replicas: number, batch: number, outDim: number, outputs: Float32Array, labels: Uint8Array): number[] {
  return fractionPerReplica(replicas, batch, (n) => {
    let best = 0;
    for (let j = 1; j < outDim; j++) if (outputs[n * outDim + j] > outputs[n * outDim + best]) best = j;
    return best === labels[n];
  });
}

/** Fraction of samples where sign(output) equals sign(target) (output > 0 vs target > 0), per replica. */
export function signAccuracy(replicas: number, batch: number, outputs: Float32Array, targets: Float32Array): number[] {
  return fractionPerReplica(replicas, batch, (n) => outputs[n] > 0 === targets[n] > 0);
}
