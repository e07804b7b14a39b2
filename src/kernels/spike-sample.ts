import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import type { KernelDef } from '../run/kernel-def.ts';
import { spikeSampleCpu, type SpikeLayout } from './spike-sample-cpu.ts';

export const SPIKE_PARAMS = new ParamsLayout('SpikeParams', {
  replicas: 'u32',
  neurons: 'u32',
  fanIn: 'u32',
  actStride: 'u32',
  inOffset: 'u32',
  outOffset: 'u32',
  probStride: 'u32',
  probOffset: 'u32',
  agentStride: 'u32',
  agentOffset: 'u32',
  seed: 'u32',
  stream: 'u32',
});

/** Device buffers one spike-sampling layer reads and writes. */
export interface SpikeBuffers {
  /** Weights and bias, k-major [R, K+1, N] (bias at k = K). */
  theta: GPUBuffer;
  /** [K, N] presynaptic indices (sparse), or any small buffer when dense. */
  fanInIndex: GPUBuffer;
  clock: GPUBuffer;
  act: GPUBuffer;
  prob: GPUBuffer;
}

/** One layer of Bernoulli-logistic neuron-agents on the GPU (shaders/spike-sample.wgsl). */
export class SpikeSampleKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof SPIKE_PARAMS.fields>;
  private defaultGroup: GPUBindGroup | undefined;

  constructor(
    ctx: GpuContext,
    readonly layout: SpikeLayout,
    readonly sparse: boolean,
  ) {
    super(ctx, 'spike-sample', { SPARSE: sparse ? 1 : 0 });
    SPIKE_PARAMS.checkAgainst('spike-sample');
    const { replicas: R, neurons: N, fanIn: K } = layout;
    for (const [k, v] of Object.entries(layout)) {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`spike layout ${k} must be an integer in [0, 2^32), got ${v}`);
    }
    if (R < 1 || N < 1 || K < 0) throw new RangeError(`spike layout needs replicas >= 1, neurons >= 1, fanIn >= 0 (got ${R}, ${N}, ${K})`);
    if (R * (K + 1) * N >= 2 ** 32) throw new RangeError(`replicas * (fanIn + 1) * neurons must be < 2^32 for 32-bit indexing, got ${R * (K + 1) * N}: shard the layer`);
    this.params = new ParamsBuffer(ctx.device, SPIKE_PARAMS, `spike-sample:params`);
    this.params.set(layout);
  }

  /** A bind group over the layer's buffers (make one per ping-pong buffer set). */
  group(b: SpikeBuffers, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, b.theta, b.fanInIndex, b.clock, b.act, b.prob]);
  }

  /** Bind a default group for `encode()` without arguments. */
  bind(b: SpikeBuffers): void {
    this.defaultGroup = this.group(b);
  }

  encode(pass: GPUComputePassEncoder, group = this.defaultGroup): void {
    if (!group) throw new Error('SpikeSampleKernel.encode before bind()');
    this.dispatch(pass, group, this.layout.replicas * this.layout.neurons);
  }

  destroy(): void {
    this.params.destroy();
  }
}

/** The spike-sample kernel's layout in a step program: the layer, and whether it reads a fan-in index. */
export interface SpikeOpLayout {
  spike: SpikeLayout;
  sparse: boolean;
}

/** spike-sample in the kernel registry: reads theta, fanInIndex, clock and act; writes act and prob. */
export const SPIKE_SAMPLE: KernelDef<SpikeOpLayout> = {
  wgsl: 'spike-sample',
  uniform: true,
  bindings: ['theta', 'fanInIndex', 'clock', 'act', 'prob'],
  parity: 'cartpole-reinforce step (spike, env, record, update)',
  cpu: (l, b) => {
    const theta = b.theta as Float32Array, index = l.sparse ? (b.fanInIndex as Uint32Array) : null;
    const clock = b.clock as Uint32Array, act = b.act as Float32Array, prob = b.prob as Float32Array;
    return () => spikeSampleCpu(l.spike, theta, index, clock[0]!, act, prob);
  },
  gpu: (ctx, l) => {
    const k = new SpikeSampleKernel(ctx, l.spike, l.sparse);
    return { group: (b, label) => k.group(b as unknown as SpikeBuffers, label), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
  },
};
