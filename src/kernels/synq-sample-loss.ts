import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import type { KernelDef } from '../run/kernel-def.ts';
import { softmaxCrossEntropyPerSample, squaredErrorPerSample } from '../synq/loss.ts';

export const SYNQ_LOSS_PARAMS = new ParamsLayout('SynqLossParams', {
  replicas: 'u32',
  batch: 'u32',
  outDim: 'u32',
  stride: 'u32',
});

/** Buffers of `synq-sample-loss`. */
export interface SynqLossBuffers {
  outputs: GPUBuffer;
  /** Squared error: targets like the outputs; any small buffer for cross-entropy. */
  targets: GPUBuffer;
  /** Cross-entropy: u32 labels per (r, b), or of the whole pool when gathering. */
  labels: GPUBuffer;
  idx: GPUBuffer;
  /** R x stride per-sample losses. */
  perSample: GPUBuffer;
}

/** The batch padded to a power of two: the per-replica stride of the loss tree. */
export function lossStride(batch: number): number {
  let p = 1;
  while (p < batch) p *= 2;
  return p;
}

/** Per-sample loss of the minibatch (shaders/synq-sample-loss.wgsl). */
export class SynqSampleLossKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof SYNQ_LOSS_PARAMS.fields>;
  constructor(ctx: GpuContext, readonly replicas: number, readonly batch: number, outDim: number, loss: 'squared' | 'softmax-ce', gather: boolean) {
    super(ctx, 'synq-sample-loss', { LOSS: loss === 'squared' ? 0 : 1, GATHER: gather ? 1 : 0 });
    SYNQ_LOSS_PARAMS.checkAgainst('synq-sample-loss');
    this.params = new ParamsBuffer(ctx.device, SYNQ_LOSS_PARAMS, 'synq-sample-loss:params');
    this.params.set({ replicas, batch, outDim, stride: lossStride(batch) });
  }
  group(b: SynqLossBuffers, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, b.outputs, b.targets, b.labels, b.idx, b.perSample]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.replicas * this.batch);
  }
  destroy(): void {
    this.params.destroy();
  }
}

/** synq-sample-loss's layout in a step program. */
export interface SynqSampleLossLayout {
  replicas: number;
  batch: number;
  outDim: number;
  loss: 'squared' | 'softmax-ce';
  /** Labels of a pool, picked by idx[r*B + b]. */
  gather: boolean;
}

/**
 * synq-sample-loss in the kernel registry: per-sample loss into perSample[r*stride + b]. Twins:
 * squaredErrorPerSample / softmaxCrossEntropyPerSample (src/synq/loss.ts).
 */
export const SYNQ_SAMPLE_LOSS: KernelDef<SynqSampleLossLayout> = {
  wgsl: 'synq-sample-loss',
  uniform: true,
  bindings: ['outputs', 'targets', 'labels', 'idx', 'perSample'],
  parity: 'synq step (mnist, train policy)',
  cpu: (l, b) => {
    const { replicas: R, batch: B, outDim: O } = l;
    const stride = lossStride(B);
    const outputs = b.outputs as Float32Array, targets = b.targets as Float32Array, labels = b.labels as Uint32Array, idx = b.idx as Uint32Array;
    const perSample = b.perSample as Float32Array;
    const dense = new Float32Array(R * B);
    const lab = new Uint8Array(R * B);
    return () => {
      if (l.loss === 'squared') squaredErrorPerSample(R, B, O, outputs, targets, dense);
      else {
        for (let n = 0; n < R * B; n++) lab[n] = labels[l.gather ? idx[n]! : n]!;
        softmaxCrossEntropyPerSample(R, B, O, outputs, lab, dense);
      }
      for (let r = 0; r < R; r++) perSample.set(dense.subarray(r * B, (r + 1) * B), r * stride);
    };
  },
  gpu: (ctx, l) => {
    const k = new SynqSampleLossKernel(ctx, l.replicas, l.batch, l.outDim, l.loss, l.gather);
    return { group: (g, label) => k.group(g as unknown as SynqLossBuffers, label), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
  },
};
