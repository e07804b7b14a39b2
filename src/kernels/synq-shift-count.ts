import { ParamsLayout } from '../gpu/params.ts';
import { paramsKernelDef } from '../run/params-kernel.ts';
import { shiftState } from '../synq/packed-state.ts';
import { countVisits } from '../synq/td-update.ts';

export const SYNQ_SHIFT_PARAMS = new ParamsLayout('SynqShiftParams', {
  replicas: 'u32',
  synapses: 'u32',
  words: 'u32',
});

/** synq-shift-count's layout in a step program (`train`: count visits for synq-td first). */
export interface SynqShiftLayout {
  replicas: number;
  synapses: number;
  train: boolean;
}

/** synq-shift-count in the kernel registry. Twins: countVisits (train) then shiftState. */
export const SYNQ_SHIFT_COUNT = paramsKernelDef<SynqShiftLayout, typeof SYNQ_SHIFT_PARAMS.fields>({
  wgsl: 'synq-shift-count',
  params: SYNQ_SHIFT_PARAMS,
  bindings: ['actionWords', 'rewardCodes', 'stateWords', 'counts'],
  parity: 'synq step (mnist, train policy)',
  values: (l) => ({ replicas: l.replicas, synapses: l.synapses, words: Math.ceil(l.synapses / 4) }),
  overrides: (l) => ({ TRAIN: l.train ? 1 : 0 }),
  invocations: (l) => l.replicas * Math.ceil(l.synapses / 4),
  cpu: (l, b) => {
    const actions = b.actionWords as Uint32Array,
      codes = b.rewardCodes as Uint32Array,
      state = b.stateWords as Uint32Array,
      counts = b.counts as Uint32Array;
    return () => {
      if (l.train) countVisits(l.replicas, l.synapses, state, actions, counts);
      shiftState(l.replicas, l.synapses, state, actions, codes);
    };
  },
});
