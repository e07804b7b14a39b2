import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import type { KernelDef } from '../run/kernel-def.ts';

/** The one-thread kernel that advances a device clock buffer (shaders/clock-tick.wgsl). */
class ClockTickKernel extends Kernel {
  constructor(ctx: GpuContext) {
    super(ctx, 'clock-tick');
  }
  group(clock: GPUBuffer, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [clock]);
  }
  /** Record clock[0] += 1. */
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(1);
  }
}

/** The device-resident step counter that random kernels read (shaders/clock-tick.wgsl advances it). */
export class DeviceClock {
  readonly buffer: GPUBuffer;
  private readonly kernel: ClockTickKernel;
  private readonly group: GPUBindGroup;
  constructor(
    private readonly ctx: GpuContext,
    start = 0,
  ) {
    this.kernel = new ClockTickKernel(ctx);
    this.buffer = ctx.createBufferFrom('clock', new Uint32Array([start, 0, 0, 0]));
    this.group = this.kernel.group(this.buffer);
  }
  set(step: number): void {
    this.ctx.device.queue.writeBuffer(this.buffer, 0, new Uint32Array([step >>> 0]));
  }
  /** Record clock[0] += 1. */
  encodeTick(pass: GPUComputePassEncoder): void {
    this.kernel.encode(pass, this.group);
  }
  destroy(): void {
    this.buffer.destroy();
  }
}

/** clock-tick in the kernel registry: clock[0] += 1 (the step that random kernels read). */
export const CLOCK_TICK: KernelDef<Record<string, never>> = {
  wgsl: 'clock-tick',
  uniform: false,
  bindings: ['clock'],
  parity: 'cartpole-reinforce step (spike, env, record, update)',
  cpu: (_l, b) => {
    const clock = b.clock as Uint32Array;
    return () => void clock[0]!++;
  },
  gpu: (ctx) => {
    const k = new ClockTickKernel(ctx);
    return { group: (b, label) => k.group(b.clock!, label), encode: (pass, g) => k.encode(pass, g), destroy: () => {} };
  },
};
