import type { GpuContext } from '../gpu/context.ts';
import { DEFAULT_WORKGROUP } from '../gpu/kernel.ts';
import { ParamsLayout } from '../gpu/params.ts';
import { ParamsKernel, paramsKernelDef } from '../run/params-kernel.ts';
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
export type SpikeBuffers = {
  /** Weights and bias, k-major [R, K+1, N] (bias at k = K). */
  theta: GPUBuffer;
  /** [K, N] presynaptic indices (sparse), or any small buffer when dense. */
  fanInIndex: GPUBuffer;
  clock: GPUBuffer;
  act: GPUBuffer;
  prob: GPUBuffer;
};

const SPIKE_BINDINGS: readonly (keyof SpikeBuffers)[] = ['theta', 'fanInIndex', 'clock', 'act', 'prob'];

/** The layer as spike-sample's params; throws unless every field fits a u32 and the layer fits 32-bit indexing. */
function spikeParams(layout: SpikeLayout): SpikeLayout {
  const { replicas: R, neurons: N, fanIn: K } = layout;
  for (const [k, v] of Object.entries(layout)) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`spike layout ${k} must be an integer in [0, 2^32), got ${v}`);
  }
  if (R < 1 || N < 1 || K < 0) throw new RangeError(`spike layout needs replicas >= 1, neurons >= 1, fanIn >= 0 (got ${R}, ${N}, ${K})`);
  if (R * (K + 1) * N >= 2 ** 32) throw new RangeError(`replicas * (fanIn + 1) * neurons must be < 2^32 for 32-bit indexing, got ${R * (K + 1) * N}: shard the layer`);
  return layout;
}

/** One layer of Bernoulli-logistic neuron-agents on the GPU (shaders/spike-sample.wgsl), outside a step program. */
export class SpikeSampleKernel extends ParamsKernel<typeof SPIKE_PARAMS.fields> {
  private defaultGroup: GPUBindGroup | undefined;

  constructor(
    ctx: GpuContext,
    readonly layout: SpikeLayout,
    readonly sparse: boolean,
  ) {
    super(ctx, 'spike-sample', SPIKE_PARAMS, () => spikeParams(layout), { SPARSE: sparse ? 1 : 0 }, SPIKE_BINDINGS, layout.replicas * layout.neurons, DEFAULT_WORKGROUP);
  }

  /** A bind group over the layer's buffers (make one per ping-pong buffer set). */
  override group(b: SpikeBuffers, label = 'main'): GPUBindGroup {
    return super.group(b, label);
  }

  /** Bind a default group for `encode()` without arguments. */
  bind(b: SpikeBuffers): void {
    this.defaultGroup = this.group(b);
  }

  override encode(pass: GPUComputePassEncoder, group = this.defaultGroup): void {
    if (!group) throw new Error('SpikeSampleKernel.encode before bind()');
    super.encode(pass, group);
  }
}

/** The spike-sample kernel's layout in a step program: the layer, and whether it reads a fan-in index. */
export interface SpikeOpLayout {
  spike: SpikeLayout;
  sparse: boolean;
}

/** spike-sample in the kernel registry: reads theta, fanInIndex, clock and act; writes act and prob. */
export const SPIKE_SAMPLE = paramsKernelDef<SpikeOpLayout, typeof SPIKE_PARAMS.fields>({
  wgsl: 'spike-sample',
  params: SPIKE_PARAMS,
  bindings: SPIKE_BINDINGS,
  parity: 'cartpole-reinforce step (spike, env, record, update)',
  values: (l) => spikeParams(l.spike),
  overrides: (l) => ({ SPARSE: l.sparse ? 1 : 0 }),
  invocations: (l) => l.spike.replicas * l.spike.neurons,
  cpu: (l, b) => {
    const theta = b.theta as Float32Array,
      index = l.sparse ? (b.fanInIndex as Uint32Array) : null;
    const clock = b.clock as Uint32Array,
      act = b.act as Float32Array,
      prob = b.prob as Float32Array;
    return () => spikeSampleCpu(l.spike, theta, index, clock[0]!, act, prob);
  },
});
