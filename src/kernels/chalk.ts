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
import { learnerView, samplerChainStep, samplerCriticStep, samplerLayout, samplerLearnStep, samplerRecordFrom, type SamplingConfig, validateSamplingConfig } from '../chalk/sampling-learner.ts';
import { ParamsLayout } from '../gpu/params.ts';
import { Stream } from '../rng/counter-rng.ts';
import { paramsKernelDef } from '../run/params-kernel.ts';

/** The chain kernels' input redraw (the prior and its u32 thresholds in `problem`) and RNG streams: the last fields of both chain structs. */
export const CHAIN_INPUT_FIELDS = { priorOffset: 'u32', threshOffset: 'u32', streamSwitch: 'u32', streamValue: 'u32', streamPick: 'u32', streamSpike: 'u32' } as const;

/** CHAIN_INPUT_FIELDS' values: the prior at `priorOffset` of `problem`, its thresholds after it. */
export function chainInputValues(priorOffset: number, inputs: number): { [K in keyof typeof CHAIN_INPUT_FIELDS]: number } {
  return { priorOffset, threshOffset: priorOffset + inputs, streamSwitch: Stream.chalkInputSwitch, streamValue: Stream.chalkInputValue, streamPick: Stream.chalkPick, streamSpike: Stream.spike };
}

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
  ...CHAIN_INPUT_FIELDS,
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

/** A Chalk learner's layout in a step program (the same for its three kernels): the problem, lambda and the learner's config. */
export interface ChalkLearnerLayout<P, C> {
  problem: P;
  lambda: number;
  config: C;
}

/** The sampling learner's layout. */
export type ChalkSamplerLayout = ChalkLearnerLayout<ChalkProblem, SamplingConfig>;

/** The parity suite that checks the three sampler kernels through the coding-cost step program. */
export const CHALK_SAMPLER_PARITY = 'chalk sampler step (chain, critic, learn), inputExpectation true';

function chainValues(l: ChalkSamplerLayout) {
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
    ...chainInputValues(L.states, p.inputs),
  };
}

/**
 * chalk-chain in the kernel registry, the per-chain step (input redraw, policies, soft TD error,
 * asynchronous act, count histogram): reads clock, problem, model; writes chain, tdDelta, piOne, hist.
 */
export const CHALK_CHAIN = paramsKernelDef<ChalkSamplerLayout, typeof CHALK_CHAIN_PARAMS.fields>({
  wgsl: 'chalk-chain',
  params: CHALK_CHAIN_PARAMS,
  bindings: ['clock', 'problem', 'model', 'chain', 'tdDelta', 'piOne', 'hist'],
  parity: CHALK_SAMPLER_PARITY,
  values: chainValues,
  overrides: (l) => ({ INPUT_EXPECTATION: l.config.inputExpectation ? 1 : 0 }),
  invocations: (l) => l.config.chains,
  cpu: (l, b) => {
    const st = learnerView(l.problem, l.lambda, l.config, { model: b.model as Float32Array, chain: b.chain as Uint32Array, piOne: b.piOne as Float32Array, tdDelta: b.tdDelta as Float32Array });
    const clock = b.clock as Uint32Array,
      hist = b.hist as Uint32Array;
    const recordFrom = samplerRecordFrom(l.config);
    return () => samplerChainStep(st, clock[0]!, l.config, recordFrom, hist);
  },
});

/**
 * chalk-critic in the kernel registry, h[s] += alpha_t * mean TD error of the chains that visited s
 * (the leader chain writes): reads clock, chain, tdDelta; writes h in model.
 */
export const CHALK_CRITIC = paramsKernelDef<ChalkSamplerLayout, typeof CHALK_CRITIC_PARAMS.fields>({
  wgsl: 'chalk-critic',
  params: CHALK_CRITIC_PARAMS,
  bindings: ['clock', 'chain', 'tdDelta', 'model'],
  parity: CHALK_SAMPLER_PARITY,
  values: ({ config: c }) => ({ chains: c.chains, criticRate: c.criticRate, criticDecay: c.criticDecay, pad: 0 }),
  invocations: (l) => l.config.chains,
  cpu: (l, b) => {
    const st = learnerView(l.problem, l.lambda, l.config, { model: b.model as Float32Array, chain: b.chain as Uint32Array, tdDelta: b.tdDelta as Float32Array });
    const clock = b.clock as Uint32Array;
    const sum = new Float64Array(st.h.length),
      count = new Uint32Array(st.h.length);
    return () => samplerCriticStep(st, clock[0]!, l.config, sum, count);
  },
});

/**
 * chalk-learn in the kernel registry, the actor (per neuron and view), the marginals (per neuron,
 * after warm-up) and the reference level (one thread): reads clock, piOne; writes advantages,
 * marginals and gain in model.
 */
export const CHALK_LEARN = paramsKernelDef<ChalkSamplerLayout, typeof CHALK_LEARN_PARAMS.fields>({
  wgsl: 'chalk-learn',
  params: CHALK_LEARN_PARAMS,
  bindings: ['clock', 'piOne', 'model'],
  parity: CHALK_SAMPLER_PARITY,
  values: ({ problem: p, config: c }) => {
    const L = samplerLayout(p);
    return {
      chains: c.chains,
      neurons: p.neurons,
      inputs: p.inputs,
      marginalWarmup: c.marginalWarmup,
      actorRate: c.actorRate,
      marginalRate: c.marginalRate,
      minMarginal: c.minMarginal,
      advOffset: L.advOffset,
      margOffset: L.margOffset,
      gainOffset: L.gainOffset,
      states: L.states,
      pad: 0,
    };
  },
  invocations: ({ problem: p }) => p.neurons * (1 << (p.neurons - 1)) * p.inputs + p.neurons + 1,
  cpu: (l, b) => {
    const st = learnerView(l.problem, l.lambda, l.config, { model: b.model as Float32Array, piOne: b.piOne as Float32Array });
    const clock = b.clock as Uint32Array;
    return () => samplerLearnStep(st, clock[0]!, l.config);
  },
});
