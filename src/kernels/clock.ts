import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';

/** The device-resident step counter that random kernels read (shaders/clock-tick.wgsl advances it). */
export class DeviceClock extends Kernel {
  readonly buffer: GPUBuffer;
  private readonly group: GPUBindGroup;
  constructor(ctx: GpuContext, start = 0) {
    super(ctx, 'clock-tick');
    this.buffer = ctx.createBufferFrom('clock', new Uint32Array([start, 0, 0, 0]));
    this.group = this.bindGroup('main', [this.buffer]);
  }
  set(step: number): void {
    this.ctx.device.queue.writeBuffer(this.buffer, 0, new Uint32Array([step >>> 0]));
  }
  /** Record clock[0] += 1. */
  encodeTick(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.group);
    pass.dispatchWorkgroups(1);
  }
  destroy(): void {
    this.buffer.destroy();
  }
}
