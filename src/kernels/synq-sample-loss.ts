import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';

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
