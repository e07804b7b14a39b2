import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import type { KernelDef } from '../run/kernel-def.ts';
import { applyTdUpdate, type TdCombineRule } from '../synq/td-update.ts';

export const SYNQ_TD_PARAMS = new ParamsLayout('SynqTdParams', {
  replicas: 'u32',
  alphaQ: 'f32',
  gamma: 'f32',
});

/** Buffers of `synq-td` (qOld and qNew must differ: ping-pong two groups). */
export interface SynqTdBuffers {
  qOld: GPUBuffer;
  rewardCodes: GPUBuffer;
  counts: GPUBuffer;
  qNew: GPUBuffer;
}

/** TD update of the shared tables from the visit counts (shaders/synq-td.wgsl). */
export class SynqTdKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof SYNQ_TD_PARAMS.fields>;
  constructor(ctx: GpuContext, readonly replicas: number, alphaQ: number, gamma: number, rule: TdCombineRule) {
    super(ctx, 'synq-td', { MEAN: rule === 'mean' ? 1 : 0 });
    SYNQ_TD_PARAMS.checkAgainst('synq-td');
    this.params = new ParamsBuffer(ctx.device, SYNQ_TD_PARAMS, 'synq-td:params');
    this.params.set({ replicas, alphaQ, gamma });
  }
  group(b: SynqTdBuffers, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, b.qOld, b.rewardCodes, b.counts, b.qNew]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.replicas * 243);
  }
  destroy(): void {
    this.params.destroy();
  }
}

/** synq-td's layout in a step program. */
export interface SynqTdLayout {
  replicas: number;
  alphaQ: number;
  gamma: number;
  rule: TdCombineRule;
}

/**
 * synq-td in the kernel registry: qOld -> qNew from the visit counts (bind the tables as a
 * ping-pong pair), counts cleared. Twin: applyTdUpdate (src/synq/td-update.ts), then the clear.
 */
export const SYNQ_TD: KernelDef<SynqTdLayout> = {
  wgsl: 'synq-td',
  uniform: true,
  bindings: ['qOld', 'rewardCodes', 'counts', 'qNew'],
  parity: 'synq step (mnist, train policy)',
  cpu: (l, b) => {
    const qOld = b.qOld as Float32Array, codes = b.rewardCodes as Uint32Array, counts = b.counts as Uint32Array, qNew = b.qNew as Float32Array;
    return () => {
      applyTdUpdate(l.replicas, qOld, qNew, counts, codes, l.alphaQ, l.gamma, l.rule);
      counts.fill(0);
    };
  },
  gpu: (ctx, l) => {
    const k = new SynqTdKernel(ctx, l.replicas, l.alphaQ, l.gamma, l.rule);
    return { group: (g, label) => k.group(g as unknown as SynqTdBuffers, label), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
  },
};
