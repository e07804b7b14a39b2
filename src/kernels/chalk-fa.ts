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
import { ParamsLayout } from '../gpu/params.ts';
import type { HostArray } from '../run/kernel-def.ts';
import { paramsKernelDef } from '../run/params-kernel.ts';
import { CHAIN_INPUT_FIELDS, chainInputValues, type ChalkLearnerLayout } from './chalk.ts';

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
  ...CHAIN_INPUT_FIELDS,
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

/** MAX_FEATURES of chalk-fa-learn.wgsl (per-neuron scatter arrays). */
export const CHALK_FA_MAX_FEATURES = 514;

/** The logistic learner's layout. */
export type ChalkFaLayout = ChalkLearnerLayout<CountLevelProblem, LogisticConfig>;

/** The parity suite that checks the three logistic-learner kernels through the coding-cost step program. */
export const CHALK_FA_PARITY = 'chalk logistic step (chalk-fa-chain, chalk-fa-critic, chalk-fa-learn), sync';

function common(l: ChalkFaLayout) {
  validateLogisticConfig(l.config, l.problem.neurons);
  return { chains: l.config.chains, neurons: l.problem.neurons, inputs: l.problem.inputs, bins: l.config.countBins, invNeurons: Math.fround(1 / l.problem.neurons) };
}

const view = (l: ChalkFaLayout, b: Readonly<Record<string, HostArray>>) =>
  logisticView(l.problem, l.lambda, l.config, {
    model: b.model as Float32Array,
    chain: b.chain as Uint32Array,
    spk: b.spk as Uint32Array,
    work: b.scratch as Float32Array,
    hist: b.hist as Uint32Array,
  });

/**
 * chalk-fa-chain in the kernel registry, the per-chain step (input redraw, policies, act (sync: all
 * neurons; async: one), TD error, actor errors, records): reads clock, problem, model; writes chain,
 * spk, scratch, hist.
 */
export const CHALK_FA_CHAIN = paramsKernelDef<ChalkFaLayout, typeof CHALK_FA_CHAIN_PARAMS.fields>({
  wgsl: 'chalk-fa-chain',
  params: CHALK_FA_CHAIN_PARAMS,
  bindings: ['clock', 'problem', 'model', 'chain', 'spk', 'scratch', 'hist'],
  parity: CHALK_FA_PARITY,
  values: (l) => {
    const { problem: p, config: c } = l;
    if (c.chains * p.neurons > 2 ** 32 - 1) throw new RangeError(`chains * neurons must be < 2^32 (RNG agent index), got ${c.chains * p.neurons}`);
    const L = logisticLayout(p, c);
    return {
      ...common(l),
      seed: c.seed >>> 0,
      switchThreshold: uniformThreshold(p.switchProb),
      recordFrom: logisticRecordFrom(c),
      lambda: l.lambda,
      wOffset: L.wOffset,
      margOffset: L.margOffset,
      gainOffset: L.gainOffset,
      ...chainInputValues(p.inputs * (p.neurons + 1), p.inputs),
    };
  },
  // Few chains, long per-chain loops: small workgroups spread the chains over more CPU threads on SwiftShader.
  overrides: (l) => ({ SYNC: l.problem.update === 'sync' ? 1 : 0 }),
  workgroup: () => CHAIN_WORKGROUP,
  invocations: (l) => l.config.chains,
  cpu: (l, b) => {
    const st = view(l, b);
    const clock = b.clock as Uint32Array;
    const recordFrom = logisticRecordFrom(l.config);
    return () => logisticChainStep(st, clock[0]!, recordFrom);
  },
});

/**
 * chalk-fa-critic in the kernel registry, one invocation per knot: the tent-weighted mean TD error
 * of the chains over it (ascending r). Reads clock, chain, scratch (TD errors); writes u in model.
 */
export const CHALK_FA_CRITIC = paramsKernelDef<ChalkFaLayout, typeof CHALK_FA_CRITIC_PARAMS.fields>({
  wgsl: 'chalk-fa-critic',
  params: CHALK_FA_CRITIC_PARAMS,
  bindings: ['clock', 'chain', 'scratch', 'model'],
  parity: CHALK_FA_PARITY,
  values: (l) => ({ ...common(l), criticRate: l.config.criticRate, criticDecay: l.config.criticDecay, pad: 0 }),
  invocations: (l) => l.problem.inputs * (l.config.countBins + 1),
  cpu: (l, b) => {
    const st = view(l, b);
    const clock = b.clock as Uint32Array;
    return () => logisticCriticStep(st, clock[0]!);
  },
});

/**
 * chalk-fa-learn in the kernel registry, the actor weights (per neuron, a scatter over chains), the
 * marginals (per neuron, after warm-up) and the reference level (one thread): reads clock, chain,
 * spk, scratch; writes w, marginals and gain in model.
 */
export const CHALK_FA_LEARN = paramsKernelDef<ChalkFaLayout, typeof CHALK_FA_LEARN_PARAMS.fields>({
  wgsl: 'chalk-fa-learn',
  params: CHALK_FA_LEARN_PARAMS,
  bindings: ['clock', 'chain', 'spk', 'scratch', 'model'],
  parity: CHALK_FA_PARITY,
  values: (l) => {
    const { problem: p, config: c } = l;
    const K = p.inputs * (c.countBins + 1);
    if (K > CHALK_FA_MAX_FEATURES) throw new RangeError(`chalk-fa-learn: inputs * (bins + 1) must be <= ${CHALK_FA_MAX_FEATURES}, got ${K}`);
    const L = logisticLayout(p, c);
    return {
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
    };
  },
  invocations: (l) => 2 * l.problem.neurons + 1,
  cpu: (l, b) => {
    const st = view(l, b);
    const clock = b.clock as Uint32Array;
    return () => logisticLearnStep(st, clock[0]!);
  },
});
