import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import type { KernelDef } from '../run/kernel-def.ts';

export const SYNQ_BATCH_PARAMS = new ParamsLayout('SynqBatchParams', { count: 'u32', interval: 'u32', batches: 'u32', first: 'u32' });

/** synq-batch-select's layout: R x B indices per batch, a new batch every `interval` iterations. */
export interface SynqBatchLayout {
  /** Indices per batch (replicas x batch). */
  count: number;
  interval: number;
  /** Batches in the schedule. */
  batches: number;
  /** Always batch 0 (the evaluation before iteration 1). */
  first: boolean;
}

/** The CPU twin: idx = schedule's batch of iteration t. */
export function synqBatchSelectCpu(l: SynqBatchLayout, t: number, schedule: Uint32Array, idx: Uint32Array): void {
  const k = l.first ? 0 : Math.min(Math.floor(t / l.interval), l.batches - 1);
  idx.set(schedule.subarray(k * l.count, (k + 1) * l.count));
}

/** The minibatch of the iteration from the precomputed schedule (shaders/synq-batch-select.wgsl). */
export class SynqBatchSelectKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof SYNQ_BATCH_PARAMS.fields>;
  constructor(ctx: GpuContext, readonly layout: SynqBatchLayout) {
    super(ctx, 'synq-batch-select');
    SYNQ_BATCH_PARAMS.checkAgainst('synq-batch-select');
    this.params = new ParamsBuffer(ctx.device, SYNQ_BATCH_PARAMS, 'synq-batch-select:params');
    this.params.set({ ...layout, first: layout.first ? 1 : 0 });
  }
  group(b: { clock: GPUBuffer; schedule: GPUBuffer; idx: GPUBuffer }, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, b.clock, b.schedule, b.idx]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.layout.count);
  }
  destroy(): void {
    this.params.destroy();
  }
}

/** synq-batch-select in the kernel registry. */
export const SYNQ_BATCH_SELECT: KernelDef<SynqBatchLayout> = {
  wgsl: 'synq-batch-select',
  uniform: true,
  bindings: ['clock', 'schedule', 'idx'],
  parity: 'synq step (mnist, train policy)',
  cpu: (l, b) => {
    const clock = b.clock as Uint32Array, schedule = b.schedule as Uint32Array, idx = b.idx as Uint32Array;
    return () => synqBatchSelectCpu(l, clock[0]!, schedule, idx);
  },
  gpu: (ctx, l) => {
    const k = new SynqBatchSelectKernel(ctx, l);
    return { group: (g, label) => k.group(g as Parameters<SynqBatchSelectKernel['group']>[0], label), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
  },
};
