import { ParamsLayout } from '../gpu/params.ts';
import { Stream } from '../rng/counter-rng.ts';
import { paramsKernelDef } from '../run/params-kernel.ts';
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
export const SYNQ_SELECT_APPLY = paramsKernelDef<SynqSelectLayout, typeof SYNQ_SELECT_PARAMS.fields>({
  wgsl: 'synq-select-apply',
  params: SYNQ_SELECT_PARAMS,
  bindings: ['q', 'stepScale', 'clock', 'stateWords', 'actionWords', 'weights'],
  parity: 'synq-select-apply',
  values: (l) => {
    if (l.replicas * l.synapses >= 2 ** 32) throw new RangeError(`replicas * synapses must be < 2^32, got ${l.replicas * l.synapses}`);
    return { ...l, words: Math.ceil(l.synapses / 4), stream: Stream.exploration };
  },
  invocations: (l) => l.replicas * Math.ceil(l.synapses / 4),
  cpu: (l, b) => {
    const q = b.q as Float32Array,
      stepScale = b.stepScale as Float32Array,
      clock = b.clock as Uint32Array;
    const state = b.stateWords as Uint32Array,
      actions = b.actionWords as Uint32Array,
      weights = b.weights as Float32Array;
    const schedule = { alphaS: l.alphaS, alphaSSwitchIteration: l.switchAt, alphaSSwitched: l.alphaS2 };
    return () => {
      const t = clock[0]!;
      selectActions(l.replicas, l.synapses, state, q, actions, l.epsilon, l.seed, t);
      applyActions(l.replicas, l.synapses, weights, actions, stepScale, alphaSAt(schedule, t));
    };
  },
});
