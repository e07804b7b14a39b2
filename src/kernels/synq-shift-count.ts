import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import type { KernelDef } from '../run/kernel-def.ts';
import { shiftState } from '../synq/packed-state.ts';
import { countVisits } from '../synq/td-update.ts';

export const SYNQ_SHIFT_PARAMS = new ParamsLayout('SynqShiftParams', {
  replicas: 'u32',
  synapses: 'u32',
  words: 'u32',
});

/** Buffers of `synq-shift-count`. */
export interface SynqShiftBuffers {
  actionWords: GPUBuffer;
  rewardCodes: GPUBuffer;
  stateWords: GPUBuffer;
  /** R x 243 u32 visit counts (only written when training). */
  counts: GPUBuffer;
}

/** Visit counting (train mode) + state shift (shaders/synq-shift-count.wgsl). */
export class SynqShiftCountKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof SYNQ_SHIFT_PARAMS.fields>;
  private readonly words: number;
  constructor(ctx: GpuContext, readonly replicas: number, synapses: number, train: boolean) {
    super(ctx, 'synq-shift-count', { TRAIN: train ? 1 : 0 });
    SYNQ_SHIFT_PARAMS.checkAgainst('synq-shift-count');
    this.words = Math.ceil(synapses / 4);
    this.params = new ParamsBuffer(ctx.device, SYNQ_SHIFT_PARAMS, 'synq-shift-count:params');
    this.params.set({ replicas, synapses, words: this.words });
  }
  group(b: SynqShiftBuffers, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, b.actionWords, b.rewardCodes, b.stateWords, b.counts]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.replicas * this.words);
  }
  destroy(): void {
    this.params.destroy();
  }
}

/** synq-shift-count's layout in a step program (`train`: count visits for synq-td first). */
export interface SynqShiftLayout {
  replicas: number;
  synapses: number;
  train: boolean;
}

/** synq-shift-count in the kernel registry. Twins: countVisits (train) then shiftState. */
export const SYNQ_SHIFT_COUNT: KernelDef<SynqShiftLayout> = {
  wgsl: 'synq-shift-count',
  uniform: true,
  bindings: ['actionWords', 'rewardCodes', 'stateWords', 'counts'],
  parity: 'synq step (mnist, train policy)',
  cpu: (l, b) => {
    const actions = b.actionWords as Uint32Array, codes = b.rewardCodes as Uint32Array, state = b.stateWords as Uint32Array, counts = b.counts as Uint32Array;
    return () => {
      if (l.train) countVisits(l.replicas, l.synapses, state, actions, counts);
      shiftState(l.replicas, l.synapses, state, actions, codes);
    };
  },
  gpu: (ctx, l) => {
    const k = new SynqShiftCountKernel(ctx, l.replicas, l.synapses, l.train);
    return { group: (g, label) => k.group(g as unknown as SynqShiftBuffers, label), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
  },
};
