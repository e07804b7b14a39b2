/**
 * Kernels of Chung's Weight Maximization actor on the multiplexer (single-step episodes, no
 * critic): the batched multiplexer env, the Bernoulli-logistic hidden forward (dense or sparse
 * fan-in), the softmax output (a fixed-order two-pass drive reduction), the unit reinforcement
 * (broadcast or the Weight Max gather over the outgoing view) and the per-parameter Adam / SGD
 * step. CPU twins: src/chung (forward.ts, learning.ts, adam.ts), MultiplexerCpu, and
 * src/kernels/chung-cpu.ts for the layout conversions and SGD.
 */
import type { GpuContext } from '../gpu/context.ts';
import { DEFAULT_WORKGROUP, Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout, type ScalarType } from '../gpu/params.ts';

type Values<F extends Record<string, ScalarType>> = { [K in keyof F]: number };

/** A kernel with one persistent params buffer, one dispatch size and fixed bind groups. */
abstract class ParamsKernel<F extends Record<string, ScalarType>> extends Kernel {
  protected readonly params: ParamsBuffer<F>;
  constructor(ctx: GpuContext, name: string, layout: ParamsLayout<F>, values: Values<F>, overrides: Record<string, number>, readonly invocations: number, readonly workgroup = DEFAULT_WORKGROUP) {
    super(ctx, name, workgroup === DEFAULT_WORKGROUP ? overrides : { ...overrides, WG: workgroup });
    layout.checkAgainst(name);
    this.params = new ParamsBuffer(ctx.device, layout, `${name}:params`);
    this.params.set(values);
  }
  protected groupOf(buffers: GPUBuffer[], label: string): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, ...buffers]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.invocations, this.workgroup);
  }
  destroy(): void {
    this.params.destroy();
  }
}

/** Slices of the fan-in in the split forward (hardware form): a workgroup of 256 = 32 units x 8. */
export const FORWARD_SLICES = 8;
/** Invocations per unit in the grouped dense Weight Max gather (hardware form). */
export const GATHER_GROUP = 64;

export const MUX_PARAMS = new ParamsLayout('MuxParams', { envs: 'u32', addressBits: 'u32', obsDim: 'u32', seed: 'u32', stream: 'u32', logSlots: 'u32' });

export interface MuxBuffers {
  actions: GPUBuffer;
  clock: GPUBuffer;
  obs: GPUBuffer;
  target: GPUBuffer;
  reward: GPUBuffer;
  episodes: GPUBuffer;
  /** i32 per log slot: summed rewards of the step whose clock % logSlots is the slot. */
  rewardLog: GPUBuffer;
  /** i32 per env: summed rewards. */
  sums: GPUBuffer;
}

/** The multiplexer in bandit mode (shaders/chung-mux-env.wgsl): mode 'draw' (reset / next input) or 'score'. */
export class ChungMuxKernel extends ParamsKernel<typeof MUX_PARAMS.fields> {
  constructor(ctx: GpuContext, p: Values<typeof MUX_PARAMS.fields>, readonly mode: 'draw' | 'score') {
    super(ctx, 'chung-mux-env', MUX_PARAMS, p, { MODE: mode === 'draw' ? 0 : 1 }, p.envs);
  }
  group(b: MuxBuffers, label = 'main'): GPUBindGroup {
    return this.groupOf([b.actions, b.clock, b.obs, b.target, b.reward, b.episodes, b.rewardLog, b.sums], label);
  }
}

export const FORWARD_PARAMS = new ParamsLayout('ChungForwardParams', {
  replicas: 'u32', units: 'u32', fanIn: 'u32', inDim: 'u32', agentStride: 'u32', agentOffset: 'u32', seed: 'u32', stream: 'u32', temp: 'f32',
});

/** Bernoulli-logistic hidden layer + its REINFORCE characteristic (shaders/chung-hidden-forward.wgsl). */
export class ChungHiddenForwardKernel extends ParamsKernel<typeof FORWARD_PARAMS.fields> {
  /**
   * `split` (the hardware form): each unit's sum is cut into FORWARD_SLICES interleaved slices of
   * its fan-in, summed by 8 invocations and added in slice order (a different f32 order than the
   * plain walk: parity within tolerance, as against the f64 twin).
   */
  constructor(ctx: GpuContext, p: Values<typeof FORWARD_PARAMS.fields>, sparse: boolean, readonly split = false) {
    super(ctx, 'chung-hidden-forward', FORWARD_PARAMS, p, { SPARSE: sparse ? 1 : 0, SLICES: split ? FORWARD_SLICES : 1 },
      split ? p.replicas * Math.ceil(p.units / (256 / FORWARD_SLICES)) * 256 : p.replicas * p.units, split ? 256 : DEFAULT_WORKGROUP);
  }
  group(b: { theta: GPUBuffer; pre: GPUBuffer; clock: GPUBuffer; x: GPUBuffer; mean: GPUBuffer; values: GPUBuffer; charac: GPUBuffer }, label = 'main'): GPUBindGroup {
    return this.groupOf([b.theta, b.pre, b.clock, b.x, b.mean, b.values, b.charac], label);
  }
}

export const OUTPUT_PARTIAL_PARAMS = new ParamsLayout('OutputPartialParams', { replicas: 'u32', units: 'u32', fanIn: 'u32', chunks: 'u32', chunk: 'u32' });

/** First pass of the softmax drive: per (replica, logit, chunk) partial dot products (shaders/chung-output-partial.wgsl). */
export class ChungOutputPartialKernel extends ParamsKernel<typeof OUTPUT_PARTIAL_PARAMS.fields> {
  constructor(ctx: GpuContext, p: Values<typeof OUTPUT_PARTIAL_PARAMS.fields>) {
    super(ctx, 'chung-output-partial', OUTPUT_PARTIAL_PARAMS, p, {}, p.replicas * p.units * p.chunks);
  }
  group(b: { theta: GPUBuffer; x: GPUBuffer; partial: GPUBuffer }, label = 'main'): GPUBindGroup {
    return this.groupOf([b.theta, b.x, b.partial], label);
  }
}

export const SOFTMAX_PARAMS = new ParamsLayout('SoftmaxParams', {
  replicas: 'u32', actions: 'u32', fanIn: 'u32', chunks: 'u32', agentStride: 'u32', agentOffset: 'u32', seed: 'u32', stream: 'u32', temp: 'f32',
});

/** Softmax output: logits, sampling, one-hot values and charac (shaders/chung-softmax-output.wgsl). */
export class ChungSoftmaxKernel extends ParamsKernel<typeof SOFTMAX_PARAMS.fields> {
  constructor(ctx: GpuContext, p: Values<typeof SOFTMAX_PARAMS.fields>) {
    if (p.actions < 2 || p.actions > 16) throw new RangeError(`softmax actions must be in [2, 16], got ${p.actions}`);
    super(ctx, 'chung-softmax-output', SOFTMAX_PARAMS, p, {}, p.replicas);
  }
  group(b: { theta: GPUBuffer; partial: GPUBuffer; clock: GPUBuffer; mean: GPUBuffer; values: GPUBuffer; actions: GPUBuffer; charac: GPUBuffer }, label = 'main'): GPUBindGroup {
    return this.groupOf([b.theta, b.partial, b.clock, b.mean, b.values, b.actions, b.charac], label);
  }
}

export const UNIT_REWARD_PARAMS = new ParamsLayout('UnitRewardParams', { replicas: 'u32', units: 'u32', aboveUnits: 'u32', aboveFanIn: 'u32', chunks: 'u32', chunk: 'u32', p: 'f32' });

export type UnitRewardMode = 'broadcast' | 'weightmax-dense' | 'weightmax-sparse' | 'weightmax-scatter';
const REWARD_MODES: UnitRewardMode[] = ['broadcast', 'weightmax-dense', 'weightmax-sparse', 'weightmax-scatter'];
/** Largest layer the 'weightmax-scatter' mode serves (MAX_BELOW in the WGSL). */
export const SCATTER_MAX_UNITS = 256;

/**
 * Unit reinforcement: broadcast or the Weight Max gather (shaders/chung-unit-reward.wgsl). In
 * 'weightmax-sparse' mode `reward` is the [R * units * chunks] partials buffer that
 * ChungRewardSumKernel reduces.
 */
export class ChungUnitRewardKernel extends ParamsKernel<typeof UNIT_REWARD_PARAMS.fields> {
  /** `grouped` (hardware form, 'weightmax-dense' only): GATHER_GROUP invocations per unit, coalesced along the above layer, tree-added. */
  constructor(ctx: GpuContext, p: Values<typeof UNIT_REWARD_PARAMS.fields>, readonly mode: UnitRewardMode, readonly grouped = false) {
    if (grouped && mode !== 'weightmax-dense') throw new RangeError(`the grouped gather serves mode 'weightmax-dense' only, got '${mode}'`);
    super(ctx, 'chung-unit-reward', UNIT_REWARD_PARAMS, p, { MODE: REWARD_MODES.indexOf(mode), GROUPED: grouped ? 1 : 0 },
      grouped ? p.replicas * p.units * GATHER_GROUP : mode === 'weightmax-scatter' ? p.replicas * p.chunks : p.replicas * p.units * (mode === 'weightmax-sparse' ? p.chunks : 1),
      grouped ? GATHER_GROUP : DEFAULT_WORKGROUP);
    if (mode === 'weightmax-scatter' && p.units > SCATTER_MAX_UNITS) throw new RangeError(`weightmax-scatter serves layers of at most ${SCATTER_MAX_UNITS} units, got ${p.units}`);
  }
  group(
    b: { aboveTheta: GPUBuffer; aboveCharac: GPUBuffer; aboveReward: GPUBuffer; x: GPUBuffer; outStart: GPUBuffer; outSyn: GPUBuffer; signal: GPUBuffer; reward: GPUBuffer },
    label = 'main',
  ): GPUBindGroup {
    return this.groupOf([b.aboveTheta, b.aboveCharac, b.aboveReward, b.x, b.outStart, b.outSyn, b.signal, b.reward], label);
  }
}

export const PARAM_UPDATE_PARAMS = new ParamsLayout('ParamUpdateParams', {
  replicas: 'u32', units: 'u32', fanIn: 'u32', inDim: 'u32', corrSteps: 'u32', lr: 'f32', beta1: 'f32', beta2: 'f32', eps: 'f32',
});

/** Raw update + Adam (or SGD) of every parameter, one thread per unit, or per parameter with `perParam` (shaders/chung-param-update.wgsl). */
export class ChungParamUpdateKernel extends ParamsKernel<typeof PARAM_UPDATE_PARAMS.fields> {
  constructor(ctx: GpuContext, p: Values<typeof PARAM_UPDATE_PARAMS.fields>, sparse: boolean, readonly optimizer: 'adam' | 'sgd', readonly perParam = false) {
    super(ctx, 'chung-param-update', PARAM_UPDATE_PARAMS, p, { SPARSE: sparse ? 1 : 0, OPT: optimizer === 'adam' ? 0 : 1, PER_PARAM: perParam ? 1 : 0 }, p.replicas * p.units * (perParam ? p.fanIn + 1 : 1));
  }
  group(b: { theta: GPUBuffer; mv: GPUBuffer; pre: GPUBuffer; x: GPUBuffer; charac: GPUBuffer; reward: GPUBuffer; corr: GPUBuffer; clock: GPUBuffer }, label = 'main'): GPUBindGroup {
    return this.groupOf([b.theta, b.mv, b.pre, b.x, b.charac, b.reward, b.corr, b.clock], label);
  }
}

export const REWARD_SUM_PARAMS = new ParamsLayout('RewardSumParams', { count: 'u32', chunks: 'u32', units: 'u32' });

/** Second pass of the sparse Weight Max gather: partials -> reward, in chunk order (shaders/chung-reward-sum.wgsl). */
export class ChungRewardSumKernel extends ParamsKernel<typeof REWARD_SUM_PARAMS.fields> {
  constructor(ctx: GpuContext, p: Values<typeof REWARD_SUM_PARAMS.fields>, layout: 'pieces' | 'blocks') {
    super(ctx, 'chung-reward-sum', REWARD_SUM_PARAMS, p, { LAYOUT: layout === 'pieces' ? 0 : 1 }, p.count);
  }
  group(b: { partial: GPUBuffer; reward: GPUBuffer }, label = 'main'): GPUBindGroup {
    return this.groupOf([b.partial, b.reward], label);
  }
}

export const SGD_SCATTER_PARAMS = new ParamsLayout('SgdScatterParams', { replicas: 'u32', units: 'u32', aboveUnits: 'u32', aboveFanIn: 'u32', chunks: 'u32', chunk: 'u32', p: 'f32', lr: 'f32' });

/**
 * A sparse SGD layer's update fused with the Weight Max scatter gather of the (<= 256-unit) layer
 * below (shaders/chung-sgd-scatter.wgsl): `reward` is the [R * chunks * units] block-partials
 * buffer that ChungRewardSumKernel ('blocks') reduces.
 */
export class ChungSgdScatterKernel extends ParamsKernel<typeof SGD_SCATTER_PARAMS.fields> {
  constructor(ctx: GpuContext, p: Values<typeof SGD_SCATTER_PARAMS.fields>) {
    if (p.units > SCATTER_MAX_UNITS) throw new RangeError(`chung-sgd-scatter serves layers of at most ${SCATTER_MAX_UNITS} units below, got ${p.units}`);
    super(ctx, 'chung-sgd-scatter', SGD_SCATTER_PARAMS, p, {}, p.replicas * p.chunks);
  }
  group(b: { aboveTheta: GPUBuffer; aboveCharac: GPUBuffer; aboveReward: GPUBuffer; x: GPUBuffer; pre: GPUBuffer; reward: GPUBuffer }, label = 'main'): GPUBindGroup {
    return this.groupOf([b.aboveTheta, b.aboveCharac, b.aboveReward, b.x, b.pre, b.reward], label);
  }
}
