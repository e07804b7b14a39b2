import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import type { SpikeLayout } from './spike-sample-cpu.ts';

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
  weights: GPUBuffer;
  bias: GPUBuffer;
  /** [K, N] presynaptic indices (sparse), or any small buffer when dense. */
  fanInIndex: GPUBuffer;
  clock: GPUBuffer;
  act: GPUBuffer;
  prob: GPUBuffer;
}

/** One layer of Bernoulli-logistic neuron-agents on the GPU (shaders/spike-sample.wgsl). */
export class SpikeSampleKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof SPIKE_PARAMS.fields>;
  private group: GPUBindGroup | undefined;

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
    if (R * K * N >= 2 ** 32) throw new RangeError(`replicas * fanIn * neurons must be < 2^32 for 32-bit indexing, got ${R * K * N}: shard the layer`);
    this.params = new ParamsBuffer(ctx.device, SPIKE_PARAMS, `spike-sample:params`);
    this.params.set(layout);
  }

  /** Bind the layer's buffers (once; a new call replaces them). */
  bind(b: SpikeBuffers): void {
    this.group = this.bindGroup('main', [this.params.buffer, b.weights, b.bias, b.fanInIndex, b.clock, b.act, b.prob]);
  }

  encode(pass: GPUComputePassEncoder): void {
    if (!this.group) throw new Error('SpikeSampleKernel.encode before bind()');
    this.dispatch(pass, this.group, this.layout.replicas * this.layout.neurons);
  }

  destroy(): void {
    this.params.destroy();
  }
}
