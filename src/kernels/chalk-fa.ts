/**
 * The Chalk logistic (function-approximation) learner's three kernels
 * (shaders/chalk-fa-{chain,critic,learn}.wgsl). CPU twins: logisticChainKernel,
 * logisticCriticKernel, logisticLearnKernel in src/chalk/logistic-learner.ts; src/chalk/logistic-gpu.ts
 * drives them.
 *
 * Device layouts (f32 unless said), K = nX (B + 1):
 *   problem = [reward by count: nX (N+1) | prior: nX | cumulative-prior thresholds as u32 bits: nX]
 *   model   = [u: K | w: N K | marginal: N | gain: 1]
 *   chain   = u32 [input: R | post count: R | td index: R | pre-action count: R];  spk u32 [R N]
 *   scratch = [piOne: R N | err: R N | tdDelta: R | rewardSum: R | costSum: R];  hist u32 [nX (N+1)]
 */
import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';

export const CHALK_FA_CHAIN_PARAMS = new ParamsLayout('ChalkFaChainParams', {
  chains: 'u32',
  neurons: 'u32',
  inputs: 'u32',
  bins: 'u32',
  seed: 'u32',
  switchThreshold: 'u32',
  recordFrom: 'u32',
  lambda: 'f32',
  invNeurons: 'f32',
  wOffset: 'u32',
  margOffset: 'u32',
  gainOffset: 'u32',
  priorOffset: 'u32',
  threshOffset: 'u32',
  streamSwitch: 'u32',
  streamValue: 'u32',
  streamPick: 'u32',
  streamSpike: 'u32',
});

export const CHALK_FA_CRITIC_PARAMS = new ParamsLayout('ChalkFaCriticParams', {
  chains: 'u32',
  neurons: 'u32',
  inputs: 'u32',
  bins: 'u32',
  criticRate: 'f32',
  criticDecay: 'f32',
  invNeurons: 'f32',
  pad: 'u32',
});

export const CHALK_FA_LEARN_PARAMS = new ParamsLayout('ChalkFaLearnParams', {
  chains: 'u32',
  neurons: 'u32',
  inputs: 'u32',
  bins: 'u32',
  marginalWarmup: 'u32',
  actorRate: 'f32',
  actorCap: 'f32',
  marginalRate: 'f32',
  minMarginal: 'f32',
  invNeurons: 'f32',
  wOffset: 'u32',
  margOffset: 'u32',
  gainOffset: 'u32',
  pad0: 'u32',
  pad1: 'u32',
  pad2: 'u32',
});

/** Workgroup size of chalk-fa-chain (one invocation per chain). */
export const CHAIN_WORKGROUP = 4;

type Values<L> = L extends ParamsLayout<infer F> ? { [K in keyof F]: number } : never;

/** Buffers the three kernels bind. */
export interface ChalkFaBuffers {
  clock: GPUBuffer;
  problem: GPUBuffer;
  model: GPUBuffer;
  chain: GPUBuffer;
  spk: GPUBuffer;
  scratch: GPUBuffer;
  hist: GPUBuffer;
}

/** Per-chain step: input redraw, policies, act (sync: all neurons; async: one), TD error, actor errors, records. */
export class ChalkFaChainKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof CHALK_FA_CHAIN_PARAMS.fields>;
  constructor(
    ctx: GpuContext,
    readonly values: Values<typeof CHALK_FA_CHAIN_PARAMS>,
    sync: boolean,
  ) {
    // Few chains, long per-chain loops: small workgroups spread the chains over more CPU threads on SwiftShader.
    super(ctx, 'chalk-fa-chain', { SYNC: sync ? 1 : 0, WG: CHAIN_WORKGROUP });
    CHALK_FA_CHAIN_PARAMS.checkAgainst('chalk-fa-chain');
    this.params = new ParamsBuffer(ctx.device, CHALK_FA_CHAIN_PARAMS, 'chalk-fa-chain:params');
    this.params.set(values);
  }
  group(b: ChalkFaBuffers): GPUBindGroup {
    return this.bindGroup('main', [this.params.buffer, b.clock, b.problem, b.model, b.chain, b.spk, b.scratch, b.hist]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.values.chains, CHAIN_WORKGROUP);
  }
  destroy(): void {
    this.params.destroy();
  }
}

/** Critic: one invocation per knot, tent-weighted mean TD error of the chains over it (ascending r). */
export class ChalkFaCriticKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof CHALK_FA_CRITIC_PARAMS.fields>;
  constructor(
    ctx: GpuContext,
    readonly values: Values<typeof CHALK_FA_CRITIC_PARAMS>,
  ) {
    super(ctx, 'chalk-fa-critic');
    CHALK_FA_CRITIC_PARAMS.checkAgainst('chalk-fa-critic');
    this.params = new ParamsBuffer(ctx.device, CHALK_FA_CRITIC_PARAMS, 'chalk-fa-critic:params');
    this.params.set(values);
  }
  group(b: ChalkFaBuffers): GPUBindGroup {
    return this.bindGroup('main', [this.params.buffer, b.clock, b.chain, b.scratch, b.model]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.values.inputs * (this.values.bins + 1));
  }
  destroy(): void {
    this.params.destroy();
  }
}

/** MAX_FEATURES of chalk-fa-learn.wgsl (per-neuron scatter arrays). */
export const CHALK_FA_MAX_FEATURES = 514;

/** Actor weights (per neuron, a scatter over chains), marginals (per neuron, after warm-up), reference level (one thread). */
export class ChalkFaLearnKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof CHALK_FA_LEARN_PARAMS.fields>;
  private readonly invocations: number;
  constructor(
    ctx: GpuContext,
    readonly values: Values<typeof CHALK_FA_LEARN_PARAMS>,
  ) {
    super(ctx, 'chalk-fa-learn');
    CHALK_FA_LEARN_PARAMS.checkAgainst('chalk-fa-learn');
    this.params = new ParamsBuffer(ctx.device, CHALK_FA_LEARN_PARAMS, 'chalk-fa-learn:params');
    this.params.set(values);
    const K = values.inputs * (values.bins + 1);
    if (K > CHALK_FA_MAX_FEATURES) throw new RangeError(`chalk-fa-learn: inputs * (bins + 1) must be <= ${CHALK_FA_MAX_FEATURES}, got ${K}`);
    this.invocations = 2 * values.neurons + 1;
  }
  group(b: ChalkFaBuffers): GPUBindGroup {
    return this.bindGroup('main', [this.params.buffer, b.clock, b.chain, b.spk, b.scratch, b.model]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.invocations);
  }
  destroy(): void {
    this.params.destroy();
  }
}
