import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import type { KernelDef } from '../run/kernel-def.ts';
import { tdUpdateSequential } from '../synq/td-update.ts';

export const SYNQ_TD_SEQ_PARAMS = new ParamsLayout('SynqTdSeqParams', { replicas: 'u32', synapses: 'u32', words: 'u32', alphaQ: 'f32', gamma: 'f32' });

/** Buffers of `synq-td-sequential`. */
export interface SynqTdSeqBuffers {
  stateWords: GPUBuffer;
  actionWords: GPUBuffer;
  rewardCodes: GPUBuffer;
  /** R tables of 243, updated in place. */
  q: GPUBuffer;
}

/** The reference's synapse-by-synapse TD rule (shaders/synq-td-sequential.wgsl): one invocation per replica. */
export class SynqTdSequentialKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof SYNQ_TD_SEQ_PARAMS.fields>;
  constructor(ctx: GpuContext, readonly replicas: number, synapses: number, alphaQ: number, gamma: number) {
    super(ctx, 'synq-td-sequential');
    SYNQ_TD_SEQ_PARAMS.checkAgainst('synq-td-sequential');
    this.params = new ParamsBuffer(ctx.device, SYNQ_TD_SEQ_PARAMS, 'synq-td-sequential:params');
    this.params.set({ replicas, synapses, words: Math.ceil(synapses / 4), alphaQ, gamma });
  }
  group(b: SynqTdSeqBuffers, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, b.stateWords, b.actionWords, b.rewardCodes, b.q]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.replicas);
  }
  destroy(): void {
    this.params.destroy();
  }
}

/** synq-td-sequential's layout in a step program. */
export interface SynqTdSeqLayout {
  replicas: number;
  synapses: number;
  alphaQ: number;
  gamma: number;
}

/**
 * synq-td-sequential in the kernel registry (tdRule 'sequential': before the state shift, on the
 * one table the synapses act on). Twin: tdUpdateSequential (src/synq/td-update.ts).
 */
export const SYNQ_TD_SEQUENTIAL: KernelDef<SynqTdSeqLayout> = {
  wgsl: 'synq-td-sequential',
  uniform: true,
  bindings: ['stateWords', 'actionWords', 'rewardCodes', 'q'],
  parity: 'synq step (boundary, sequential TD)',
  cpu: (l, b) => {
    const state = b.stateWords as Uint32Array, actions = b.actionWords as Uint32Array, codes = b.rewardCodes as Uint32Array, q = b.q as Float32Array;
    return () => tdUpdateSequential(l.replicas, l.synapses, state, actions, q, codes, l.alphaQ, l.gamma);
  },
  gpu: (ctx, l) => {
    const k = new SynqTdSequentialKernel(ctx, l.replicas, l.synapses, l.alphaQ, l.gamma);
    return { group: (g, label) => k.group(g as unknown as SynqTdSeqBuffers, label), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
  },
};
