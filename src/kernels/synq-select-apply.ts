import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import { Stream } from '../rng/counter-rng.ts';
import type { KernelDef } from '../run/kernel-def.ts';
import { alphaSAt } from '../synq/config.ts';
import { applyActions, selectActions } from '../synq/policy-kernels.ts';

export const SYNQ_SELECT_PARAMS = new ParamsLayout('SynqSelectParams', {
  replicas: 'u32',
  synapses: 'u32',
  words: 'u32',
  seed: 'u32',
  stream: 'u32',
  epsilon: 'f32',
  alphaS: 'f32',
  switchAt: 'u32',
  alphaS2: 'f32',
});

/** Exploration and step settings of synq-select-apply (switchAt 0: alphaS throughout). */
export interface SynqSelectSettings {
  seed: number;
  stream: number;
  epsilon: number;
  alphaS: number;
  /** From this iteration on the step is alphaS2 (0: never). */
  switchAt?: number;
  alphaS2?: number;
}

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
  constructor(ctx: GpuContext, readonly replicas: number, readonly synapses: number, p: SynqSelectSettings) {
    super(ctx, 'synq-select-apply');
    SYNQ_SELECT_PARAMS.checkAgainst('synq-select-apply');
    if (replicas * synapses >= 2 ** 32) throw new RangeError(`replicas * synapses must be < 2^32, got ${replicas * synapses}`);
    this.words = Math.ceil(synapses / 4);
    this.params = new ParamsBuffer(ctx.device, SYNQ_SELECT_PARAMS, 'synq-select-apply:params');
    this.setParams(p);
  }
  /** Rewrite epsilon / alphaS; takes effect at the next submit. */
  setParams(p: SynqSelectSettings): void {
    this.params.set({ replicas: this.replicas, synapses: this.synapses, words: this.words, ...p, switchAt: p.switchAt ?? 0, alphaS2: p.alphaS2 ?? p.alphaS });
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

/** synq-select-apply's layout in a step program: the networks and the acting settings (stream: exploration). */
export interface SynqSelectLayout {
  replicas: number;
  synapses: number;
  seed: number;
  epsilon: number;
  alphaS: number;
  /** alpha_s switches to alphaS2 from this iteration on (0: never). */
  switchAt: number;
  alphaS2: number;
}

/**
 * synq-select-apply in the kernel registry: epsilon-greedy actions from the table `q` (the one
 * this iteration reads) and the weight steps, iteration t = clock[0]. Twin: selectActions +
 * applyActions (src/synq/policy-kernels.ts) with alpha_s of iteration t (alphaSAt).
 */
export const SYNQ_SELECT_APPLY: KernelDef<SynqSelectLayout> = {
  wgsl: 'synq-select-apply',
  uniform: true,
  bindings: ['q', 'stepScale', 'clock', 'stateWords', 'actionWords', 'weights'],
  parity: 'synq-select-apply',
  cpu: (l, b) => {
    const q = b.q as Float32Array, stepScale = b.stepScale as Float32Array, clock = b.clock as Uint32Array;
    const state = b.stateWords as Uint32Array, actions = b.actionWords as Uint32Array, weights = b.weights as Float32Array;
    const schedule = { alphaS: l.alphaS, alphaSSwitchIteration: l.switchAt, alphaSSwitched: l.alphaS2 };
    return () => {
      const t = clock[0]!;
      selectActions(l.replicas, l.synapses, state, q, actions, l.epsilon, l.seed, t);
      applyActions(l.replicas, l.synapses, weights, actions, stepScale, alphaSAt(schedule, t));
    };
  },
  gpu: (ctx, l) => {
    const k = new SynqSelectApplyKernel(ctx, l.replicas, l.synapses, { seed: l.seed, stream: Stream.exploration, epsilon: l.epsilon, alphaS: l.alphaS, switchAt: l.switchAt, alphaS2: l.alphaS2 });
    return { group: (g, label) => k.group(g as unknown as SynqSelectBuffers, label), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
  },
};
