/**
 * The Chalk logistic (function-approximation) learner's three kernels
 * (shaders/chalk-fa-{chain,critic,learn}.wgsl), registered as CHALK_FA_CHAIN, CHALK_FA_CRITIC and
 * CHALK_FA_LEARN. CPU twins: logisticChainStep, logisticCriticStep and logisticLearnStep of
 * src/chalk/logistic-learner.ts (logisticChainKernel, logisticCriticKernel, logisticActorScatter +
 * logisticLearnKernel) over views of the same buffers; the 'coding-cost' rule puts them in a program.
 *
 * Device layouts (f32 unless said), K = nX (B + 1):
 *   problem = [reward by count: nX (N+1) | prior: nX | cumulative-prior thresholds as u32 bits: nX]
 *   model   = [u: K | w: N K | marginal: N | gain: 1]
 *   chain   = u32 [input: R | post count: R | td index: R | pre-action count: R];  spk u32 [R N]
 *   scratch = [piOne: R N | err: R N | tdDelta: R | rewardSum: R | costSum: R];  hist u32 [nX (N+1)]
 *   (the step program calls the `scratch` binding's buffer 'work': the reward / cost sums in it are state)
 */
import { uniformThreshold } from '../chalk/dynamics.ts';
import {
  actorStepCap,
  type CountLevelProblem,
  type LogisticConfig,
  logisticChainStep,
  logisticCriticStep,
  logisticLayout,
  logisticLearnStep,
  logisticRecordFrom,
  logisticView,
  validateLogisticConfig,
} from '../chalk/logistic-learner.ts';
import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import { Stream } from '../rng/counter-rng.ts';
import type { HostArray, KernelDef } from '../run/kernel-def.ts';

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

/** The logistic learner's layout in a step program (the same for its three kernels). */
export interface ChalkFaLayout {
  problem: CountLevelProblem;
  lambda: number;
  config: LogisticConfig;
}

/** The parity suite that checks the three logistic-learner kernels through the coding-cost step program. */
export const CHALK_FA_PARITY = 'chalk logistic step (chalk-fa-chain, chalk-fa-critic, chalk-fa-learn), sync';

function common(l: ChalkFaLayout) {
  validateLogisticConfig(l.config, l.problem.neurons);
  return { chains: l.config.chains, neurons: l.problem.neurons, inputs: l.problem.inputs, bins: l.config.countBins, invNeurons: Math.fround(1 / l.problem.neurons) };
}

const view = (l: ChalkFaLayout, b: Readonly<Record<string, HostArray>>) =>
  logisticView(l.problem, l.lambda, l.config, { model: b.model as Float32Array, chain: b.chain as Uint32Array, spk: b.spk as Uint32Array, work: b.scratch as Float32Array, hist: b.hist as Uint32Array });

const wrap = (k: { group(b: ChalkFaBuffers): GPUBindGroup; encode(pass: GPUComputePassEncoder, g: GPUBindGroup): void; destroy(): void }) => ({
  group: (b: Readonly<Record<string, GPUBuffer>>) => k.group(b as unknown as ChalkFaBuffers),
  encode: (pass: GPUComputePassEncoder, g: GPUBindGroup) => k.encode(pass, g),
  destroy: () => k.destroy(),
});

/** chalk-fa-chain in the kernel registry: reads clock, problem, model; writes chain, spk, scratch, hist. */
export const CHALK_FA_CHAIN: KernelDef<ChalkFaLayout> = {
  wgsl: 'chalk-fa-chain',
  uniform: true,
  bindings: ['clock', 'problem', 'model', 'chain', 'spk', 'scratch', 'hist'],
  parity: CHALK_FA_PARITY,
  cpu: (l, b) => {
    const st = view(l, b);
    const clock = b.clock as Uint32Array;
    const recordFrom = logisticRecordFrom(l.config);
    return () => logisticChainStep(st, clock[0]!, recordFrom);
  },
  gpu: (ctx, l) => {
    const { problem: p, config: c } = l;
    if (c.chains * p.neurons > 2 ** 32 - 1) throw new RangeError(`chains * neurons must be < 2^32 (RNG agent index), got ${c.chains * p.neurons}`);
    const L = logisticLayout(p, c);
    const nR = p.inputs * (p.neurons + 1);
    return wrap(
      new ChalkFaChainKernel(
        ctx,
        {
          ...common(l),
          seed: c.seed >>> 0,
          switchThreshold: uniformThreshold(p.switchProb),
          recordFrom: logisticRecordFrom(c),
          lambda: l.lambda,
          wOffset: L.wOffset,
          margOffset: L.margOffset,
          gainOffset: L.gainOffset,
          priorOffset: nR,
          threshOffset: nR + p.inputs,
          streamSwitch: Stream.chalkInputSwitch,
          streamValue: Stream.chalkInputValue,
          streamPick: Stream.chalkPick,
          streamSpike: Stream.spike,
        },
        p.update === 'sync',
      ),
    );
  },
};

/** chalk-fa-critic in the kernel registry: reads clock, chain, scratch (TD errors); writes u in model. */
export const CHALK_FA_CRITIC: KernelDef<ChalkFaLayout> = {
  wgsl: 'chalk-fa-critic',
  uniform: true,
  bindings: ['clock', 'chain', 'scratch', 'model'],
  parity: CHALK_FA_PARITY,
  cpu: (l, b) => {
    const st = view(l, b);
    const clock = b.clock as Uint32Array;
    return () => logisticCriticStep(st, clock[0]!);
  },
  gpu: (ctx, l) => wrap(new ChalkFaCriticKernel(ctx, { ...common(l), criticRate: l.config.criticRate, criticDecay: l.config.criticDecay, pad: 0 })),
};

/** chalk-fa-learn in the kernel registry: reads clock, chain, spk, scratch; writes w, marginals and gain in model. */
export const CHALK_FA_LEARN: KernelDef<ChalkFaLayout> = {
  wgsl: 'chalk-fa-learn',
  uniform: true,
  bindings: ['clock', 'chain', 'spk', 'scratch', 'model'],
  parity: CHALK_FA_PARITY,
  cpu: (l, b) => {
    const st = view(l, b);
    const clock = b.clock as Uint32Array;
    return () => logisticLearnStep(st, clock[0]!);
  },
  gpu: (ctx, l) => {
    const { problem: p, config: c } = l;
    const L = logisticLayout(p, c);
    return wrap(
      new ChalkFaLearnKernel(ctx, {
        ...common(l),
        marginalWarmup: c.marginalWarmup,
        actorRate: c.actorRate,
        actorCap: actorStepCap(c, l.lambda, p.neurons),
        marginalRate: c.marginalRate,
        minMarginal: c.minMarginal,
        wOffset: L.wOffset,
        margOffset: L.margOffset,
        gainOffset: L.gainOffset,
        pad0: 0,
        pad1: 0,
        pad2: 0,
      }),
    );
  },
};
