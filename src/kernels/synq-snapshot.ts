import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import type { KernelDef } from '../run/kernel-def.ts';

export const SYNQ_SNAPSHOT_PARAMS = new ParamsLayout('SynqSnapshotParams', { length: 'u32', offset: 'u32', every: 'u32', last: 'u32', extra: 'u32', always: 'u32' });

/** synq-snapshot's layout: which words, where in the metrics buffer, and at which iterations. */
export interface SynqSnapshotLayout {
  /** Elements of `src` copied. */
  length: number;
  /** Where they go in the metrics buffer. */
  offset: number;
  /** Due at multiples of this (0: none), at `last` and at `extra` (0: none). */
  every: number;
  last: number;
  extra: number;
  /** Due every time (the evaluation before iteration 1). */
  always: boolean;
}

/** Whether iteration t is one of the snapshot's iterations. */
export function snapshotDue(l: SynqSnapshotLayout, t: number): boolean {
  return l.always || (l.every > 0 && t % l.every === 0) || t === l.last || (l.extra > 0 && t === l.extra);
}

/** The CPU twin: the bits of src[0 .. length) into metrics[offset ..] when due. */
export function synqSnapshotCpu(l: SynqSnapshotLayout, t: number, src: Float32Array, metrics: Uint32Array): void {
  if (!snapshotDue(l, t)) return;
  new Float32Array(metrics.buffer, metrics.byteOffset + l.offset * 4, l.length).set(src.subarray(0, l.length));
}

/** The evaluation copy (shaders/synq-snapshot.wgsl). */
export class SynqSnapshotKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof SYNQ_SNAPSHOT_PARAMS.fields>;
  constructor(ctx: GpuContext, readonly layout: SynqSnapshotLayout) {
    super(ctx, 'synq-snapshot');
    SYNQ_SNAPSHOT_PARAMS.checkAgainst('synq-snapshot');
    this.params = new ParamsBuffer(ctx.device, SYNQ_SNAPSHOT_PARAMS, 'synq-snapshot:params');
    this.params.set({ ...layout, always: layout.always ? 1 : 0 });
  }
  group(b: { clock: GPUBuffer; src: GPUBuffer; metrics: GPUBuffer }, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, b.clock, b.src, b.metrics]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.layout.length);
  }
  destroy(): void {
    this.params.destroy();
  }
}

/** synq-snapshot in the kernel registry. */
export const SYNQ_SNAPSHOT: KernelDef<SynqSnapshotLayout> = {
  wgsl: 'synq-snapshot',
  uniform: true,
  bindings: ['clock', 'src', 'metrics'],
  parity: 'synq step (mnist, train policy)',
  cpu: (l, b) => {
    const clock = b.clock as Uint32Array, src = b.src as Float32Array, metrics = b.metrics as Uint32Array;
    return () => synqSnapshotCpu(l, clock[0]!, src, metrics);
  },
  gpu: (ctx, l) => {
    const k = new SynqSnapshotKernel(ctx, l);
    return { group: (g, label) => k.group(g as Parameters<SynqSnapshotKernel['group']>[0], label), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
  },
};
