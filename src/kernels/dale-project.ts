import type { FanIn } from '../connectivity/fan-in.ts';
import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';

export const DALE_PARAMS = new ParamsLayout('DaleParams', { replicas: 'u32', neurons: 'u32', fanIn: 'u32', presynaptic: 'u32' });

/** Holds weight signs under Dale's law after each learning step (shaders/dale-project.wgsl). */
export class DaleProjectKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof DALE_PARAMS.fields>;
  readonly sign: GPUBuffer;
  constructor(ctx: GpuContext, readonly fanIn: FanIn, readonly replicas: number) {
    super(ctx, 'dale-project');
    if (!fanIn.sign) throw new Error('DaleProjectKernel needs a fan-in with signs (daleSigns or an edge list with a sign column)');
    DALE_PARAMS.checkAgainst('dale-project');
    this.params = new ParamsBuffer(ctx.device, DALE_PARAMS, 'dale-project:params');
    this.params.set({ replicas, neurons: fanIn.neurons, fanIn: fanIn.fanIn, presynaptic: fanIn.presynaptic });
    this.sign = ctx.createBufferFrom('dale-project:sign', Int32Array.from(fanIn.sign));
  }
  group(b: { fanInIndex: GPUBuffer; theta: GPUBuffer }): GPUBindGroup {
    return this.bindGroup('main', [this.params.buffer, b.fanInIndex, this.sign, b.theta]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.replicas * this.fanIn.fanIn * this.fanIn.neurons);
  }
  destroy(): void {
    this.params.destroy();
    this.sign.destroy();
  }
}
