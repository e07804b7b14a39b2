/**
 * The Chalk sampling learner's three kernels (shaders/chalk-{chain,critic,learn}.wgsl), registered
 * as CHALK_CHAIN, CHALK_CRITIC and CHALK_LEARN. CPU twins: samplerChainStep, samplerCriticStep and
 * samplerLearnStep of src/chalk/sampling-learner.ts (the chalk*Kernel functions in order) over views
 * of the same buffers; the 'coding-cost' rule (src/rules/coding-cost.ts) puts them in a step program.
 *
 * Device layouts (f32 unless said):
 *   problem = [reward: nS | prior: nX | cumulative-prior thresholds as u32 bits: nX]
 *   model   = [h: nS | advantage: N * nV | marginal: N | gain: 1]
 *   chain   = u32 [input: R | post: R | tdIndex: R];  tdDelta [R];  piOne [R * N];  hist u32 [nX * (N+1)]
 */
import { uniformThreshold } from '../chalk/dynamics.ts';
import type { ChalkProblem } from '../chalk/problem.ts';
import {
  learnerView,
  samplerChainStep,
  samplerCriticStep,
  samplerLayout,
  samplerLearnStep,
  samplerRecordFrom,
  type SamplingConfig,
  validateSamplingConfig,
} from '../chalk/sampling-learner.ts';
import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import { Stream } from '../rng/counter-rng.ts';
import type { KernelDef } from '../run/kernel-def.ts';

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

/** The sampling learner's layout in a step program (the same for its three kernels). */
export interface ChalkSamplerLayout {
  problem: ChalkProblem;
  lambda: number;
  config: SamplingConfig;
}

/** The parity suite that checks the three sampler kernels through the coding-cost step program. */
export const CHALK_SAMPLER_PARITY = 'chalk sampler step (chain, critic, learn), inputExpectation true';

function chainValues(l: ChalkSamplerLayout): Values<typeof CHALK_CHAIN_PARAMS> {
  const { problem: p, config: c } = l;
  const L = samplerLayout(p);
  validateSamplingConfig(c);
  return {
    chains: c.chains,
    neurons: p.neurons,
    inputs: p.inputs,
    seed: c.seed >>> 0,
    switchThreshold: uniformThreshold(p.switchProb),
    recordFrom: samplerRecordFrom(c),
    lambda: l.lambda,
    switchProb: p.switchProb,
    advOffset: L.advOffset,
    margOffset: L.margOffset,
    gainOffset: L.gainOffset,
    priorOffset: L.states,
    threshOffset: L.states + p.inputs,
    streamSwitch: Stream.chalkInputSwitch,
    streamValue: Stream.chalkInputValue,
    streamPick: Stream.chalkPick,
    streamSpike: Stream.spike,
  };
}

/** chalk-chain in the kernel registry: reads clock, problem, model; writes chain, tdDelta, piOne, hist. */
export const CHALK_CHAIN: KernelDef<ChalkSamplerLayout> = {
  wgsl: 'chalk-chain',
  uniform: true,
  bindings: ['clock', 'problem', 'model', 'chain', 'tdDelta', 'piOne', 'hist'],
  parity: CHALK_SAMPLER_PARITY,
  cpu: (l, b) => {
    const st = learnerView(l.problem, l.lambda, l.config, { model: b.model as Float32Array, chain: b.chain as Uint32Array, piOne: b.piOne as Float32Array, tdDelta: b.tdDelta as Float32Array });
    const clock = b.clock as Uint32Array, hist = b.hist as Uint32Array;
    const recordFrom = samplerRecordFrom(l.config);
    return () => samplerChainStep(st, clock[0]!, l.config, recordFrom, hist);
  },
  gpu: (ctx, l) => {
    const k = new ChalkChainKernel(ctx, chainValues(l), l.config.inputExpectation);
    return { group: (b) => k.group(b as unknown as Parameters<ChalkChainKernel['group']>[0]), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
  },
};

/** chalk-critic in the kernel registry: reads clock, chain, tdDelta; writes h in model. */
export const CHALK_CRITIC: KernelDef<ChalkSamplerLayout> = {
  wgsl: 'chalk-critic',
  uniform: true,
  bindings: ['clock', 'chain', 'tdDelta', 'model'],
  parity: CHALK_SAMPLER_PARITY,
  cpu: (l, b) => {
    const st = learnerView(l.problem, l.lambda, l.config, { model: b.model as Float32Array, chain: b.chain as Uint32Array, tdDelta: b.tdDelta as Float32Array });
    const clock = b.clock as Uint32Array;
    const sum = new Float64Array(st.h.length), count = new Uint32Array(st.h.length);
    return () => samplerCriticStep(st, clock[0]!, l.config, sum, count);
  },
  gpu: (ctx, l) => {
    const k = new ChalkCriticKernel(ctx, { chains: l.config.chains, criticRate: l.config.criticRate, criticDecay: l.config.criticDecay, pad: 0 });
    return { group: (b) => k.group(b as unknown as Parameters<ChalkCriticKernel['group']>[0]), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
  },
};

/** chalk-learn in the kernel registry: reads clock, piOne; writes advantages, marginals and gain in model. */
export const CHALK_LEARN: KernelDef<ChalkSamplerLayout> = {
  wgsl: 'chalk-learn',
  uniform: true,
  bindings: ['clock', 'piOne', 'model'],
  parity: CHALK_SAMPLER_PARITY,
  cpu: (l, b) => {
    const st = learnerView(l.problem, l.lambda, l.config, { model: b.model as Float32Array, piOne: b.piOne as Float32Array });
    const clock = b.clock as Uint32Array;
    return () => samplerLearnStep(st, clock[0]!, l.config);
  },
  gpu: (ctx, l) => {
    const { problem: p, config: c } = l;
    const L = samplerLayout(p);
    const k = new ChalkLearnKernel(ctx, {
      chains: c.chains, neurons: p.neurons, inputs: p.inputs, marginalWarmup: c.marginalWarmup, actorRate: c.actorRate, marginalRate: c.marginalRate, minMarginal: c.minMarginal,
      advOffset: L.advOffset, margOffset: L.margOffset, gainOffset: L.gainOffset, states: L.states, pad: 0,
    });
    return { group: (b) => k.group(b as unknown as Parameters<ChalkLearnKernel['group']>[0]), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
  },
};
