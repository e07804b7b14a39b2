/**
 * The Chalk sampling learner's three kernels (shaders/chalk-{chain,critic,learn}.wgsl). CPU twins:
 * the chalk*Kernel functions of src/chalk/sampling-learner.ts; src/chalk/gpu-sampler.ts drives them.
 *
 * Device layouts (f32 unless said):
 *   problem = [reward: nS | prior: nX | cumulative-prior thresholds as u32 bits: nX]
 *   model   = [h: nS | advantage: N * nV | marginal: N | gain: 1]
 *   chain   = u32 [input: R | post: R | tdIndex: R];  tdDelta [R];  piOne [R * N];  hist u32 [nX * (N+1)]
 */
import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';

export const CHALK_CHAIN_PARAMS = new ParamsLayout('ChalkChainParams', {
  chains: 'u32',
  neurons: 'u32',
  inputs: 'u32',
  seed: 'u32',
  switchThreshold: 'u32',
  recordFrom: 'u32',
  lambda: 'f32',
  switchProb: 'f32',
  advOffset: 'u32',
  margOffset: 'u32',
  gainOffset: 'u32',
  priorOffset: 'u32',
  threshOffset: 'u32',
  streamSwitch: 'u32',
  streamValue: 'u32',
  streamPick: 'u32',
  streamSpike: 'u32',
});

export const CHALK_CRITIC_PARAMS = new ParamsLayout('ChalkCriticParams', {
  chains: 'u32',
  criticRate: 'f32',
  criticDecay: 'f32',
  pad: 'u32',
});

export const CHALK_LEARN_PARAMS = new ParamsLayout('ChalkLearnParams', {
  chains: 'u32',
  neurons: 'u32',
  inputs: 'u32',
  marginalWarmup: 'u32',
  actorRate: 'f32',
  marginalRate: 'f32',
  minMarginal: 'f32',
  advOffset: 'u32',
  margOffset: 'u32',
  gainOffset: 'u32',
  states: 'u32',
  pad: 'u32',
});

type Values<L> = L extends ParamsLayout<infer F> ? { [K in keyof F]: number } : never;

/** Per-chain step: input redraw, policies, soft TD error, asynchronous act, count histogram. */
export class ChalkChainKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof CHALK_CHAIN_PARAMS.fields>;
  constructor(
    ctx: GpuContext,
    readonly values: Values<typeof CHALK_CHAIN_PARAMS>,
    inputExpectation: boolean,
  ) {
    super(ctx, 'chalk-chain', { INPUT_EXPECTATION: inputExpectation ? 1 : 0 });
    CHALK_CHAIN_PARAMS.checkAgainst('chalk-chain');
    this.params = new ParamsBuffer(ctx.device, CHALK_CHAIN_PARAMS, 'chalk-chain:params');
    this.params.set(values);
  }
  group(b: { clock: GPUBuffer; problem: GPUBuffer; model: GPUBuffer; chain: GPUBuffer; tdDelta: GPUBuffer; piOne: GPUBuffer; hist: GPUBuffer }): GPUBindGroup {
    return this.bindGroup('main', [this.params.buffer, b.clock, b.problem, b.model, b.chain, b.tdDelta, b.piOne, b.hist]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.values.chains);
  }
  destroy(): void {
    this.params.destroy();
  }
}

/** Critic: h[s] += alpha_t * mean TD error of the chains that visited s (leader chain writes). */
export class ChalkCriticKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof CHALK_CRITIC_PARAMS.fields>;
  constructor(
    ctx: GpuContext,
    readonly values: Values<typeof CHALK_CRITIC_PARAMS>,
  ) {
    super(ctx, 'chalk-critic');
    CHALK_CRITIC_PARAMS.checkAgainst('chalk-critic');
    this.params = new ParamsBuffer(ctx.device, CHALK_CRITIC_PARAMS, 'chalk-critic:params');
    this.params.set(values);
  }
  group(b: { clock: GPUBuffer; chain: GPUBuffer; tdDelta: GPUBuffer; model: GPUBuffer }): GPUBindGroup {
    return this.bindGroup('main', [this.params.buffer, b.clock, b.chain, b.tdDelta, b.model]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.values.chains);
  }
  destroy(): void {
    this.params.destroy();
  }
}

/** Actor (per neuron and view), marginals (per neuron, after warm-up) and reference level (one thread). */
export class ChalkLearnKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof CHALK_LEARN_PARAMS.fields>;
  private readonly invocations: number;
  constructor(
    ctx: GpuContext,
    readonly values: Values<typeof CHALK_LEARN_PARAMS>,
  ) {
    super(ctx, 'chalk-learn');
    CHALK_LEARN_PARAMS.checkAgainst('chalk-learn');
    this.params = new ParamsBuffer(ctx.device, CHALK_LEARN_PARAMS, 'chalk-learn:params');
    this.params.set(values);
    const nV = (1 << (values.neurons - 1)) * values.inputs;
    this.invocations = values.neurons * nV + values.neurons + 1;
  }
  group(b: { clock: GPUBuffer; piOne: GPUBuffer; model: GPUBuffer }): GPUBindGroup {
    return this.bindGroup('main', [this.params.buffer, b.clock, b.piOne, b.model]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.invocations);
  }
  destroy(): void {
    this.params.destroy();
  }
}
