import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import type { KernelDef } from '../run/kernel-def.ts';
import { denseForward, gatherSparseRows, sparseRows, type Activation, type SparseRows } from '../synq/mlp.ts';

export const SYNQ_FORWARD_PARAMS = new ParamsLayout('SynqForwardParams', {
  replicas: 'u32',
  batch: 'u32',
  inDim: 'u32',
  outDim: 'u32',
  synapses: 'u32',
  wOffset: 'u32',
});

const ACT_CODE: Record<Activation, number> = { identity: 0, tanh: 1, relu: 2 };

/** Shape of one dense layer over R replicas x B samples. */
export interface SynqForwardLayout {
  replicas: number;
  batch: number;
  inDim: number;
  outDim: number;
  /** Synapses per replica (the weight stride). */
  synapses: number;
  /** Start of this layer's block in one replica's weights. */
  wOffset: number;
}

/** Buffers of `synq-forward`. */
export interface SynqForwardBuffers {
  weights: GPUBuffer;
  input: GPUBuffer;
  /** Sample index per (r, b) when gathering; any small buffer otherwise. */
  idx: GPUBuffer;
  output: GPUBuffer;
}

/** Multiply-adds one invocation should at least do before the kernel gives it more units. */
const MIN_MACS_PER_INVOCATION = 256;

/**
 * Units per invocation for a layer: 1 when a unit's sum is long enough, else enough units to reach
 * MIN_MACS_PER_INVOCATION (the boundary task's 2 -> 100 layer: all 100 per sample; on SwiftShader
 * 2000 invocations of 100 units ran that layer ~2x faster than 200k of 1). Results do not depend on it.
 */
export function forwardUnitsPerInvocation(inDim: number, outDim: number): number {
  return Math.max(1, Math.min(outDim, Math.floor(MIN_MACS_PER_INVOCATION / Math.max(1, inDim))));
}

/** Throws unless both forms' u32 indices hold the layer: replicas * batch * outDim and replicas * synapses < 2^32. */
function checkIndexing({ replicas: R, batch: B, outDim: O, synapses: N }: SynqForwardLayout): void {
  if (R * B * O >= 2 ** 32 || R * N >= 2 ** 32) throw new RangeError('synq-forward: replicas * batch * outDim and replicas * synapses must be < 2^32');
}

/** One dense layer of the trained MLP over the minibatch (shaders/synq-forward.wgsl). */
export class SynqForwardKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof SYNQ_FORWARD_PARAMS.fields>;
  /** Units each invocation computes (the UNITS override). */
  readonly units: number;
  constructor(
    ctx: GpuContext,
    readonly layout: SynqForwardLayout,
    act: Activation,
    gather: boolean,
    units = forwardUnitsPerInvocation(layout.inDim, layout.outDim),
  ) {
    super(ctx, 'synq-forward', { ACT: ACT_CODE[act], GATHER: gather ? 1 : 0, UNITS: units });
    if (!Number.isInteger(units) || units < 1) throw new RangeError(`synq-forward: units per invocation must be an integer >= 1, got ${units}`);
    this.units = units;
    SYNQ_FORWARD_PARAMS.checkAgainst('synq-forward');
    checkIndexing(layout);
    this.params = new ParamsBuffer(ctx.device, SYNQ_FORWARD_PARAMS, 'synq-forward:params');
    this.params.set(layout);
  }
  group(b: SynqForwardBuffers, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, b.weights, b.input, b.idx, b.output]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    const { replicas, batch, outDim } = this.layout;
    this.dispatch(pass, group, replicas * batch * Math.ceil(outDim / this.units));
  }
  destroy(): void {
    this.params.destroy();
  }
}

/** Tile edge of synq-forward-tiled (T samples x T units per workgroup). */
const TILE = 16;

/**
 * The same layer tiled through workgroup memory for hardware GPUs (shaders/synq-forward-tiled.wgsl):
 * same function and sum order, every global load coalesced. One workgroup per 16 x 16 tile of
 * (samples, units) of one replica.
 */
export class SynqForwardTiledKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof SYNQ_FORWARD_PARAMS.fields>;
  constructor(
    ctx: GpuContext,
    readonly layout: SynqForwardLayout,
    act: Activation,
    gather: boolean,
  ) {
    super(ctx, 'synq-forward-tiled', { ACT: ACT_CODE[act], GATHER: gather ? 1 : 0 });
    SYNQ_FORWARD_PARAMS.checkAgainst('synq-forward-tiled');
    checkIndexing(layout);
    const { replicas: R, batch: B, outDim: O } = layout;
    const max = ctx.limits.maxComputeWorkgroupsPerDimension;
    for (const [what, n] of [
      ['outDim / 16', Math.ceil(O / TILE)],
      ['batch / 16', Math.ceil(B / TILE)],
      ['replicas', R],
    ] as const) {
      if (n > max) throw new RangeError(`synq-forward-tiled: ${what} = ${n} workgroups exceeds maxComputeWorkgroupsPerDimension (${max})`);
    }
    this.params = new ParamsBuffer(ctx.device, SYNQ_FORWARD_PARAMS, 'synq-forward-tiled:params');
    this.params.set(layout);
  }
  group(b: SynqForwardBuffers, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, b.weights, b.input, b.idx, b.output]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    const { replicas, batch, outDim } = this.layout;
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(Math.ceil(outDim / TILE), Math.ceil(batch / TILE), replicas);
  }
  destroy(): void {
    this.params.destroy();
  }
}

/**
 * The nonzeros of a gathered batch for the CPU twins: the pool's nonzeros are found once (the
 * pool is a constant buffer), the batch's rows are collected again only when `idx` changed.
 */
export class GatheredRows {
  private pool: SparseRows | undefined;
  private seen: Uint32Array | undefined;
  private rows: SparseRows | undefined;
  constructor(
    private readonly input: Float32Array,
    private readonly dim: number,
    private readonly idx: Uint32Array,
    private readonly count: number,
  ) {}
  get(): SparseRows {
    this.pool ??= sparseRows(this.input, Math.floor(this.input.length / this.dim), this.dim);
    const idx = this.idx.subarray(0, this.count);
    if (!this.seen || this.seen.some((v, i) => v !== idx[i])) {
      this.seen = idx.slice();
      this.rows = gatherSparseRows(this.pool, this.seen);
    }
    return this.rows!;
  }
}

/** synq-forward's layout in a step program. */
export interface SynqForwardOpLayout {
  layer: SynqForwardLayout;
  act: Activation;
  /** Layer 0 of a pool of samples: input row idx[r*B + b]. */
  gather: boolean;
  /** The kernel form: 'auto' = tiled on a hardware adapter, plain on a fallback one (SwiftShader). */
  form?: 'auto' | 'plain' | 'tiled';
}

/**
 * synq-forward (or its tiled form for hardware GPUs, the same sums in the same order) in the
 * kernel registry: one dense layer over the minibatch. Twin: denseForward (src/synq/mlp.ts), with
 * the gathered batch's nonzeros when gathering.
 */
export const SYNQ_FORWARD: KernelDef<SynqForwardOpLayout> = {
  wgsl: 'synq-forward',
  forms: ['synq-forward-tiled'],
  uniform: true,
  bindings: ['weights', 'input', 'idx', 'output'],
  parity: 'synq step (mnist, train policy)',
  cpu: (l, b) => {
    const { replicas: R, batch: B, inDim: I, outDim: O, synapses: N, wOffset } = l.layer;
    const weights = b.weights as Float32Array,
      input = b.input as Float32Array,
      output = b.output as Float32Array;
    if (!l.gather) return () => denseForward(R, B, I, O, weights, N, wOffset, input, output, l.act);
    const rows = new GatheredRows(input, I, b.idx as Uint32Array, R * B);
    return () => denseForward(R, B, I, O, weights, N, wOffset, input, output, l.act, rows.get());
  },
  gpu: (ctx, l) => {
    const tiled = l.form === 'tiled' || ((l.form ?? 'auto') === 'auto' && ctx.hardwareAdapter);
    const k = tiled ? new SynqForwardTiledKernel(ctx, l.layer, l.act, l.gather) : new SynqForwardKernel(ctx, l.layer, l.act, l.gather);
    return { group: (g, label) => k.group(g as unknown as SynqForwardBuffers, label), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
  },
};
