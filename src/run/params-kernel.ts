import type { GpuContext } from '../gpu/context.ts';
import { DEFAULT_WORKGROUP, Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, type ParamsLayout, type ScalarType } from '../gpu/params.ts';
import type { CpuCompileOptions, CpuOp, GpuKernel, HostArray, KernelDef, ReplicaRange } from './kernel-def.ts';

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
  /** The params of one layout (may throw a RangeError for a layout the GPU form cannot hold). */
  values(layout: L, ctx: GpuContext): Values<F>;
  /** Pipeline-overridable constants (a form may depend on the adapter). */
  overrides?(layout: L, ctx: GpuContext): Record<string, number>;
  /** Threads of one dispatch. */
  invocations(layout: L, ctx: GpuContext): number;
  /** Threads per workgroup (default DEFAULT_WORKGROUP; another size is also the shader's WG override). */
  workgroup?(layout: L, ctx: GpuContext): number;
  cpu(layout: L, b: Readonly<Record<string, HostArray>>, range?: ReplicaRange, o?: CpuCompileOptions): CpuOp;
  /** KernelDef.cpuThreads */
  cpuThreads?(layout: L): boolean;
}

/** The GPU form of a params kernel: one uniform of fixed values, named storage bindings, a 1-D dispatch. */
export class ParamsKernel<F extends Record<string, ScalarType>> extends Kernel implements GpuKernel {
  private readonly params: ParamsBuffer<F>;
  constructor(
    ctx: GpuContext,
    name: string,
    layout: ParamsLayout<F>,
    /** Called once the struct is checked against the WGSL (it may throw for a layout the kernel cannot hold). */
    values: () => Values<F>,
    overrides: Record<string, number>,
    private readonly bindings: readonly string[],
    private readonly invocations: number,
    private readonly workgroup: number,
  ) {
    super(ctx, name, workgroup === DEFAULT_WORKGROUP ? overrides : { ...overrides, WG: workgroup });
    layout.checkAgainst(name);
    const v = values();
    this.params = new ParamsBuffer(ctx.device, layout, `${name}:params`);
    this.params.set(v);
  }
  group(buffers: Readonly<Record<string, GPUBuffer>>, label: string): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, ...this.bindings.map((n) => buffers[n]!)]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.invocations, this.workgroup);
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
    ...(s.cpuThreads ? { cpuThreads: s.cpuThreads } : {}),
    gpu: (ctx, l) => new ParamsKernel(ctx, s.wgsl, s.params, () => s.values(l, ctx), s.overrides?.(l, ctx) ?? {}, s.bindings, s.invocations(l, ctx), s.workgroup?.(l, ctx) ?? DEFAULT_WORKGROUP),
  };
}
