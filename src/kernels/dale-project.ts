import { daleProjectCpu, type FanIn } from '../connectivity/fan-in.ts';
import type { KernelDef } from '../run/kernel-def.ts';
import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';

export const DALE_PARAMS = new ParamsLayout('DaleParams', { replicas: 'u32', neurons: 'u32', fanIn: 'u32', presynaptic: 'u32' });

/** dale-project's layout in a step program. */
export interface DaleOpLayout {
  replicas: number;
  neurons: number;
  fanIn: number;
  presynaptic: number;
}

class DaleOpKernel extends Kernel {
  readonly params: ParamsBuffer<typeof DALE_PARAMS.fields>;
  constructor(
    ctx: GpuContext,
    readonly l: DaleOpLayout,
  ) {
    super(ctx, 'dale-project');
    DALE_PARAMS.checkAgainst('dale-project');
    this.params = new ParamsBuffer(ctx.device, DALE_PARAMS, 'dale-project:params');
    this.params.set(l);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.l.replicas * this.l.fanIn * this.l.neurons);
  }
}

/**
 * dale-project in the kernel registry: zeroes every weight whose sign disagrees with its
 * presynaptic unit's (`sign` holds i32 +1 / -1 per unit, `fanInIndex` the layer's [K, N] index).
 */
export const DALE_PROJECT: KernelDef<DaleOpLayout> = {
  wgsl: 'dale-project',
  uniform: true,
  bindings: ['fanInIndex', 'sign', 'theta'],
  parity: 'wired reinforce step (sparse spike, sparse update, dale)',
  cpu: (l, b) => {
    const sign = new Int32Array(b.sign!.buffer, b.sign!.byteOffset, b.sign!.length);
    const f: FanIn = { neurons: l.neurons, fanIn: l.fanIn, presynaptic: l.presynaptic, index: b.fanInIndex as Uint32Array, sign: Int8Array.from(sign) };
    const theta = b.theta as Float32Array;
    return () => daleProjectCpu(theta, f, l.replicas);
  },
  gpu: (ctx, l) => {
    const k = new DaleOpKernel(ctx, l);
    return { group: (b, label) => k.bindGroup(label, [k.params.buffer, b.fanInIndex!, b.sign!, b.theta!]), encode: (pass, g) => k.encode(pass, g), destroy: () => k.params.destroy() };
  },
};
