import { ParamsLayout } from '../gpu/params.ts';
import { paramsKernelDef } from '../run/params-kernel.ts';
import { tdUpdateSequential } from '../synq/td-update.ts';

export const SYNQ_TD_SEQ_PARAMS = new ParamsLayout('SynqTdSeqParams', { replicas: 'u32', synapses: 'u32', words: 'u32', alphaQ: 'f32', gamma: 'f32' });

/** synq-td-sequential's layout in a step program. */
export interface SynqTdSeqLayout {
  replicas: number;
  synapses: number;
  alphaQ: number;
  gamma: number;
}

/**
 * synq-td-sequential in the kernel registry (tdRule 'sequential': before the state shift, on the
 * one table the synapses act on). Twin: tdUpdateSequential (src/synq/td-update.ts).
 */
export const SYNQ_TD_SEQUENTIAL = paramsKernelDef<SynqTdSeqLayout, typeof SYNQ_TD_SEQ_PARAMS.fields>({
  wgsl: 'synq-td-sequential',
  params: SYNQ_TD_SEQ_PARAMS,
  bindings: ['stateWords', 'actionWords', 'rewardCodes', 'q'],
  parity: 'synq step (boundary, sequential TD)',
  values: (l) => ({ replicas: l.replicas, synapses: l.synapses, words: Math.ceil(l.synapses / 4), alphaQ: l.alphaQ, gamma: l.gamma }),
  /** One invocation per replica: the reference's synapse-by-synapse order. */
  invocations: (l) => l.replicas,
  cpu: (l, b) => {
    const state = b.stateWords as Uint32Array,
      actions = b.actionWords as Uint32Array,
      codes = b.rewardCodes as Uint32Array,
      q = b.q as Float32Array;
    return () => tdUpdateSequential(l.replicas, l.synapses, state, actions, q, codes, l.alphaQ, l.gamma);
  },
});
