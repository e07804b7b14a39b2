import type { GpuContext } from '../gpu/context.ts';
import { DEFAULT_WORKGROUP, Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, type ParamsLayout, type ScalarType } from '../gpu/params.ts';
import type { GpuKernel, HostArray, KernelDef } from './kernel-def.ts';

type Values<F extends Record<string, ScalarType>> = { [K in keyof F]: number };

/** What a 1-D kernel with one params uniform needs to be registered. */
export interface ParamsKernelSpec<L, F extends Record<string, ScalarType>> {
  /** shaders/<wgsl>.wgsl */
  wgsl: string;
  /** The WGSL params struct (checked against the shader when the GPU form is built). */
  params: ParamsLayout<F>;
  /** Storage bindings after the uniform, in binding order. */
  bindings: readonly string[];
  parity: string;
  values(layout: L): Values<F>;
  /** Pipeline-overridable constants. */
  overrides?(layout: L): Record<string, number>;
  /** Threads of one dispatch. */
  invocations(layout: L): number;
  cpu(layout: L, b: Readonly<Record<string, HostArray>>): () => void;
}

class ParamsKernel<F extends Record<string, ScalarType>> extends Kernel implements GpuKernel {
  private readonly params: ParamsBuffer<F>;
  constructor(
    ctx: GpuContext,
    name: string,
    layout: ParamsLayout<F>,
    values: Values<F>,
    overrides: Record<string, number>,
    private readonly bindings: readonly string[],
    private readonly invocations: number,
  ) {
    super(ctx, name, overrides);
    layout.checkAgainst(name);
    this.params = new ParamsBuffer(ctx.device, layout, `${name}:params`);
    this.params.set(values);
  }
  group(buffers: Readonly<Record<string, GPUBuffer>>, label: string): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, ...this.bindings.map((n) => buffers[n]!)]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.invocations, DEFAULT_WORKGROUP);
  }
  destroy(): void {
    this.params.destroy();
  }
}

/**
 * A registered kernel for the common case: one WGSL file with a params uniform at binding 0, named
 * storage bindings after it, override constants and a 1-D dispatch of a layout-given size.
 */
export function paramsKernelDef<L, F extends Record<string, ScalarType>>(s: ParamsKernelSpec<L, F>): KernelDef<L> {
  return {
    wgsl: s.wgsl,
    uniform: true,
    bindings: s.bindings,
    parity: s.parity,
    cpu: s.cpu,
    gpu: (ctx, l) => new ParamsKernel(ctx, s.wgsl, s.params, s.values(l), s.overrides?.(l) ?? {}, s.bindings, s.invocations(l)),
  };
}
