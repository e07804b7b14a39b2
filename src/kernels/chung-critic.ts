import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import type { KernelDef } from '../run/kernel-def.ts';
import { criticBackwardTwin, criticForwardTwin, type CriticAdamScalars } from './chung-critic-cpu.ts';

export const CRITIC_FORWARD_PARAMS = new ParamsLayout('CriticForwardParams', { replicas: 'u32', nIn: 'u32', nOut: 'u32', softplus: 'u32', bOffset: 'u32' });
export const CRITIC_BACKWARD_PARAMS = new ParamsLayout('CriticBackwardParams', {
  replicas: 'u32',
  nIn: 'u32',
  nOut: 'u32',
  aboveOut: 'u32',
  isOutput: 'u32',
  decay: 'f32',
});
export const CRITIC_ADAM_PARAMS = new ParamsLayout('CriticAdamParams', {
  count: 'u32',
  perReplica: 'u32',
  lr: 'f32',
  c1: 'f32',
  c2: 'f32',
  beta1: 'f32',
  beta2: 'f32',
  oneMinusBeta1: 'f32',
  oneMinusBeta2: 'f32',
  eps: 'f32',
});

/** Shape of one dense critic layer, batched over replicas. */
export interface CriticLayerShape {
  replicas: number;
  nIn: number;
  nOut: number;
}

/** Forward pass of one dense critic layer (shaders/chung-critic-forward.wgsl). */
export class ChungCriticForwardKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof CRITIC_FORWARD_PARAMS.fields>;
  /** `packed`: w and b are one buffer [w | b] bound twice (b at R * nOut * nIn). */
  constructor(
    ctx: GpuContext,
    readonly shape: CriticLayerShape & { softplus: boolean; packed?: boolean },
  ) {
    super(ctx, 'chung-critic-forward');
    CRITIC_FORWARD_PARAMS.checkAgainst('chung-critic-forward');
    this.params = new ParamsBuffer(ctx.device, CRITIC_FORWARD_PARAMS, 'chung-critic-forward:params');
    this.params.set({ replicas: shape.replicas, nIn: shape.nIn, nOut: shape.nOut, softplus: shape.softplus ? 1 : 0, bOffset: shape.packed ? shape.replicas * shape.nOut * shape.nIn : 0 });
  }
  group(b: { x: GPUBuffer; w: GPUBuffer; b: GPUBuffer; pot: GPUBuffer; values: GPUBuffer }, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, b.x, b.w, b.b, b.pot, b.values]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.shape.replicas * this.shape.nOut);
  }
  destroy(): void {
    this.params.destroy();
  }
}

/** TD(lambda) backward pass of one dense critic layer into its traces (shaders/chung-critic-backward.wgsl). */
export class ChungCriticBackwardKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof CRITIC_BACKWARD_PARAMS.fields>;
  /** `packed`: the traces are one buffer [eW | eB] bound as eW (the eB binding is not written). */
  constructor(
    ctx: GpuContext,
    readonly shape: CriticLayerShape & { aboveOut: number; isOutput: boolean; packed?: boolean },
  ) {
    super(ctx, 'chung-critic-backward', shape.packed ? { PACKED: 1 } : {});
    CRITIC_BACKWARD_PARAMS.checkAgainst('chung-critic-backward');
    this.params = new ParamsBuffer(ctx.device, CRITIC_BACKWARD_PARAMS, 'chung-critic-backward:params');
    this.setDecay(0);
  }
  /** decay = lambda * gamma; rewrites the uniform only when it changes. */
  setDecay(decay: number): void {
    const s = this.shape;
    this.params.set({ replicas: s.replicas, nIn: s.nIn, nOut: s.nOut, aboveOut: s.aboveOut, isOutput: s.isOutput ? 1 : 0, decay });
  }
  group(b: { x: GPUBuffer; pot: GPUBuffer; aboveCharac: GPUBuffer; aboveW: GPUBuffer; mask: GPUBuffer; charac: GPUBuffer; eW: GPUBuffer; eB: GPUBuffer }, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, b.x, b.pot, b.aboveCharac, b.aboveW, b.mask, b.charac, b.eW, b.eB]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.shape.replicas * this.shape.nOut);
  }
  destroy(): void {
    this.params.destroy();
  }
}

/**
 * Adam on one critic parameter array (shaders/chung-critic-adam.wgsl). Its scalars live in this
 * instance's uniform, so one submit holds one learning step per instance; the owner keeps one
 * instance per array.
 */
export class ChungCriticAdamKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof CRITIC_ADAM_PARAMS.fields>;
  constructor(
    ctx: GpuContext,
    readonly shape: { count: number; perReplica: number },
  ) {
    super(ctx, 'chung-critic-adam');
    CRITIC_ADAM_PARAMS.checkAgainst('chung-critic-adam');
    this.params = new ParamsBuffer(ctx.device, CRITIC_ADAM_PARAMS, 'chung-critic-adam:params');
  }
  setScalars(s: CriticAdamScalars): void {
    this.params.set({ count: this.shape.count, perReplica: this.shape.perReplica, ...s });
  }
  group(b: { p: GPUBuffer; e: GPUBuffer; m: GPUBuffer; v: GPUBuffer; delta: GPUBuffer }, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, b.p, b.e, b.m, b.v, b.delta]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.shape.count);
  }
  destroy(): void {
    this.params.destroy();
  }
}

/** One dense critic layer in a step program: parameters packed [w | b] in one buffer (bound as w and b). */
export interface CriticForwardOpLayout extends CriticLayerShape {
  softplus: boolean;
}

/**
 * chung-critic-forward in the kernel registry: V(s) layer by layer (criticForwardLayerCpu). The
 * step program binds the layer's packed [w | b] as both `w` and `b`.
 */
export const CHUNG_CRITIC_FORWARD: KernelDef<CriticForwardOpLayout> = {
  wgsl: 'chung-critic-forward',
  uniform: true,
  bindings: ['x', 'w', 'b', 'pot', 'values'],
  parity: 'chung-critic forward',
  cpu: (l, a) => criticForwardTwin(l, a),
  gpu: (ctx, l) => {
    const k = new ChungCriticForwardKernel(ctx, { ...l, packed: true });
    return { group: (b, label) => k.group(b as Parameters<ChungCriticForwardKernel['group']>[0], label), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
  },
};

/** One critic layer's TD(lambda) backward pass in a step program; `decay` = lambda * gamma. */
export interface CriticBackwardOpLayout extends CriticLayerShape {
  aboveOut: number;
  isOutput: boolean;
  decay: number;
}

/**
 * chung-critic-backward in the kernel registry, packed: the traces [eW | eB] are one buffer bound as
 * `eW` (`eB` is bound to any other buffer and not written), `aboveW` is the layer above's packed
 * [w | b]. Traces of replicas whose previous step ended an episode restart (the twin clears them, as
 * the trainer's criticClearTraces, then runs criticBackwardLayerCpu; the kernel folds the clear into
 * keep = mask ? 0 : decay).
 */
export const CHUNG_CRITIC_BACKWARD: KernelDef<CriticBackwardOpLayout> = {
  wgsl: 'chung-critic-backward',
  uniform: true,
  bindings: ['x', 'pot', 'aboveCharac', 'aboveW', 'mask', 'charac', 'eW', 'eB'],
  parity: 'chung-critic backward',
  cpu: (l, a) => criticBackwardTwin(l, a),
  gpu: (ctx, l) => {
    const k = new ChungCriticBackwardKernel(ctx, { ...l, packed: true });
    k.setDecay(l.decay);
    return { group: (b, label) => k.group(b as Parameters<ChungCriticBackwardKernel['group']>[0], label), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
  },
};
