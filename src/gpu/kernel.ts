import type { GpuContext } from './context.ts';

/** Workgroup size used by the engine's 1-D kernels (overridable per kernel via the WG constant). */
export const DEFAULT_WORKGROUP = 64;

/**
 * Workgroup counts for `invocations` threads of a 1-D kernel. Beyond 65535 workgroups in x the grid
 * folds into y; kernels recover the linear index with `linear_index(gid, nwg)` from common.wgsl.
 */
export function dispatchGrid(ctx: GpuContext, invocations: number, workgroup = DEFAULT_WORKGROUP): [number, number] {
  const groups = Math.ceil(invocations / workgroup);
  const maxX = ctx.limits.maxComputeWorkgroupsPerDimension!;
  if (groups <= maxX) return [Math.max(groups, 1), 1];
  const y = Math.ceil(groups / maxX);
  if (y > maxX) throw new RangeError(`${invocations} invocations exceed maxComputeWorkgroupsPerDimension^2 * ${workgroup}`);
  return [Math.ceil(groups / y), y];
}

/**
 * Base of every kernel: owns one WGSL file's pipeline (built lazily, cached per override set in the
 * context) and makes bind groups from buffer lists in binding order.
 */
export abstract class Kernel {
  #pipeline: GPUComputePipeline | undefined;
  constructor(
    protected readonly ctx: GpuContext,
    /** shaders/<name>.wgsl */
    readonly name: string,
    readonly overrides: Record<string, number> = {},
  ) {}

  get pipeline(): GPUComputePipeline {
    return (this.#pipeline ??= this.ctx.pipeline(this.name, this.overrides));
  }

  /** Bind group 0 with `resources[i]` at binding i (GPUBuffer or a {buffer, offset, size} slice). */
  bindGroup(label: string, resources: (GPUBuffer | GPUBufferBinding)[]): GPUBindGroup {
    return this.ctx.device.createBindGroup({
      label: `${this.name}:${label}`,
      layout: this.pipeline.getBindGroupLayout(0),
      entries: resources.map((r, i) => ({ binding: i, resource: 'buffer' in r ? r : { buffer: r } })),
    });
  }

  /** Record one dispatch of `invocations` threads into a compute pass. */
  protected dispatch(pass: GPUComputePassEncoder, bindGroup: GPUBindGroup, invocations: number, workgroup = DEFAULT_WORKGROUP): void {
    const [x, y] = dispatchGrid(this.ctx, invocations, workgroup);
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y);
  }
}

/**
 * Encode `record` into one command encoder with one compute pass and submit it once. In debug mode
 * the submit is wrapped in error scopes that name `label` (usually the kernel).
 */
export async function runPass(ctx: GpuContext, label: string, record: (pass: GPUComputePassEncoder) => void, after?: (enc: GPUCommandEncoder) => void): Promise<void> {
  const go = () => {
    const enc = ctx.device.createCommandEncoder({ label });
    const pass = enc.beginComputePass({ label });
    record(pass);
    pass.end();
    after?.(enc);
    ctx.device.queue.submit([enc.finish()]);
  };
  if (ctx.debug) await ctx.scoped(label, go);
  else {
    ctx.checkHealthy();
    go();
  }
}
