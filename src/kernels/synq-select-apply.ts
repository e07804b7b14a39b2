import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';

export const SYNQ_SELECT_PARAMS = new ParamsLayout('SynqSelectParams', {
  replicas: 'u32',
  synapses: 'u32',
  words: 'u32',
  seed: 'u32',
  stream: 'u32',
  epsilon: 'f32',
  alphaS: 'f32',
});

/** Buffers of `synq-select-apply`. */
export interface SynqSelectBuffers {
  /** R tables of 243 (the one this iteration reads). */
  q: GPUBuffer;
  /** N per-synapse step multipliers. */
  stepScale: GPUBuffer;
  clock: GPUBuffer;
  stateWords: GPUBuffer;
  actionWords: GPUBuffer;
  weights: GPUBuffer;
}

/** Epsilon-greedy action of every synapse + its weight step (shaders/synq-select-apply.wgsl). */
export class SynqSelectApplyKernel extends Kernel {
  readonly params: ParamsBuffer<typeof SYNQ_SELECT_PARAMS.fields>;
  private readonly words: number;
  constructor(ctx: GpuContext, readonly replicas: number, readonly synapses: number, p: { seed: number; stream: number; epsilon: number; alphaS: number }) {
    super(ctx, 'synq-select-apply');
    SYNQ_SELECT_PARAMS.checkAgainst('synq-select-apply');
    if (replicas * synapses >= 2 ** 32) throw new RangeError(`replicas * synapses must be < 2^32, got ${replicas * synapses}`);
    this.words = Math.ceil(synapses / 4);
    this.params = new ParamsBuffer(ctx.device, SYNQ_SELECT_PARAMS, 'synq-select-apply:params');
    this.setParams(p);
  }
  /** Rewrite epsilon / alphaS (e.g. the alpha_s switch); takes effect at the next submit. */
  setParams(p: { seed: number; stream: number; epsilon: number; alphaS: number }): void {
    this.params.set({ replicas: this.replicas, synapses: this.synapses, words: this.words, ...p });
  }
  group(b: SynqSelectBuffers, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, b.q, b.stepScale, b.clock, b.stateWords, b.actionWords, b.weights]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.replicas * this.words);
  }
  destroy(): void {
    this.params.destroy();
  }
}
