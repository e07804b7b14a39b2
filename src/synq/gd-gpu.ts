/**
 * The gradient-descent baseline (Table 1's GD rows) on WebGPU: R replicas of the MNIST MLP, each
 * over its own full training split, every step on the device. Per step, one compute pass:
 *   1. synq-forward (tiled on hardware GPUs) per layer over all training samples (gathered)
 *   2. gd-ce-delta       per-sample loss and the logit gradient
 *   3. synq-loss-reward  the mean loss per replica (for the log; its reward is unused)
 *   4. from the top layer down: gd-hidden-delta (the layer below's gradient, from the weights
 *      before this step) then gd-weight-step (sum over samples, w -= lr / B * g)
 * Same rule as the CPU twin (trainGdMnist), in f32 with sums in sample order (the twin sums in
 * f64): parity within tolerance (test/parity/gd-parity.ts).
 */
import type { GpuContext } from '../gpu/context.ts';
import { readF32 } from '../gpu/readback.ts';
import { GdCeDeltaKernel, GdHiddenDeltaKernel, GdWeightStepKernel, type GdLayer } from '../kernels/gd-mlp.ts';
import { SynqForwardKernel, SynqForwardTiledKernel } from '../kernels/synq-forward.ts';
import { SynqLossRewardKernel } from '../kernels/synq-loss-reward.ts';
import { lossStride } from '../kernels/synq-sample-loss.ts';
import type { MlpLayout } from './mlp.ts';

export interface GdGpuSpec {
  layout: MlpLayout;
  replicas: number;
  /** R * N initial weights. */
  weights: Float32Array;
  /** All images, count * dim (the pool the training indices point into). */
  pool: Float32Array;
  /** Labels of the pool. */
  labels: ArrayLike<number>;
  /** R * B training indices into the pool (every replica the same count B). */
  idx: Int32Array | Uint32Array;
  learningRate: number;
  /** Tiled forward and parallel loss tree (default: unless the adapter is a fallback one). */
  hardwareKernels?: boolean;
}

type Encoder = (pass: GPUComputePassEncoder) => void;

export class GdGpuRunner {
  readonly R: number;
  readonly B: number;
  readonly weights: GPUBuffer;
  readonly loss: GPUBuffer;
  private readonly owned: GPUBuffer[] = [];
  private readonly kernels: { destroy(): void }[] = [];
  private readonly step: Encoder[] = [];

  constructor(
    readonly ctx: GpuContext,
    spec: GdGpuSpec,
  ) {
    const { layout, replicas: R } = spec;
    const N = layout.numSynapses;
    const sizes = layout.shape.sizes;
    const L = sizes.length - 1;
    const B = spec.idx.length / R;
    if (!Number.isInteger(B) || B < 1) throw new RangeError(`idx: expected replicas * B indices, got ${spec.idx.length} for ${R} replicas`);
    if (spec.weights.length !== R * N) throw new RangeError(`weights: expected ${R * N}, got ${spec.weights.length}`);
    this.R = R;
    this.B = B;
    const hw = spec.hardwareKernels ?? ctx.hardwareAdapter;
    const own = (b: GPUBuffer) => (this.owned.push(b), b);
    this.weights = own(ctx.createBufferFrom('gd:weights', spec.weights));
    const pool = own(ctx.createBufferFrom('gd:pool', spec.pool));
    const labels = own(ctx.createBufferFrom('gd:labels', Uint32Array.from(spec.labels)));
    const idx = own(ctx.createBufferFrom('gd:idx', Uint32Array.from(spec.idx)));
    const acts = sizes.slice(1).map((s, l) => own(ctx.createBuffer(`gd:act${l + 1}`, R * B * s * 4)));
    const deltas = sizes.slice(1).map((s, l) => own(ctx.createBuffer(`gd:delta${l + 1}`, R * B * s * 4)));
    const perSample = own(ctx.createBuffer('gd:per-sample', R * lossStride(B) * 4));
    this.loss = own(ctx.createBuffer('gd:loss', 2 * R * 4));
    const codes = own(ctx.createBuffer('gd:codes', R * 4));
    const positives = own(ctx.createBuffer('gd:positives', R * 4));
    const layer = (l: number): GdLayer => ({ replicas: R, batch: B, inDim: sizes[l], outDim: sizes[l + 1], synapses: N, wOffset: layout.layerOffsets[l] });
    for (let l = 0; l < L; l++) {
      const act = l === L - 1 ? layout.shape.output : layout.shape.hidden;
      const k = hw ? new SynqForwardTiledKernel(ctx, layer(l), act, l === 0) : new SynqForwardKernel(ctx, layer(l), act, l === 0);
      const g = k.group({ weights: this.weights, input: l === 0 ? pool : acts[l - 1], idx, output: acts[l] }, `gd-layer${l}`);
      this.kernels.push(k);
      this.step.push((p) => k.encode(p, g));
    }
    const ce = new GdCeDeltaKernel(ctx, R, B, sizes[L]);
    const ceGroup = ce.group({ outputs: acts[L - 1], labels, idx, perSample, delta: deltas[L - 1] });
    const reduce = new SynqLossRewardKernel(ctx, R, B, 'mean', hw);
    const reduceGroup = reduce.group({ perSample, loss: this.loss, rewardCodes: codes, positives });
    this.kernels.push(ce, reduce);
    this.step.push((p) => {
      ce.encode(p, ceGroup);
      reduce.encode(p, reduceGroup);
    });
    for (let l = L - 1; l >= 0; l--) {
      if (l > 0) {
        const hk = new GdHiddenDeltaKernel(ctx, layer(l), layout.shape.hidden);
        const hg = hk.group({ weights: this.weights, acts: acts[l - 1], delta: deltas[l], prev: deltas[l - 1] });
        this.kernels.push(hk);
        this.step.push((p) => hk.encode(p, hg));
      }
      const wk = new GdWeightStepKernel(ctx, layer(l), spec.learningRate, l === 0);
      const wg = wk.group({ weights: this.weights, input: l === 0 ? pool : acts[l - 1], idx, delta: deltas[l] });
      this.kernels.push(wk);
      this.step.push((p) => wk.encode(p, wg));
    }
  }

  /** Record `count` steps into one pass and submit; `after` may append copies (a readback). */
  submit(count: number, after?: (enc: GPUCommandEncoder) => void): void {
    const enc = this.ctx.device.createCommandEncoder({ label: 'gd-steps' });
    const pass = enc.beginComputePass();
    for (let i = 0; i < count; i++) for (const e of this.step) e(pass);
    pass.end();
    after?.(enc);
    this.ctx.device.queue.submit([enc.finish()]);
  }

  readWeights(): Promise<Float32Array> {
    return readF32(this.ctx, this.weights);
  }

  /** Mean training loss per replica at the start of the last step (before its update). */
  readLoss(): Promise<Float32Array> {
    return readF32(this.ctx, this.loss, 0, this.R);
  }

  destroy(): void {
    for (const k of this.kernels) k.destroy();
    for (const b of this.owned) b.destroy();
  }
}
