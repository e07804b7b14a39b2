import { ParamsLayout } from '../gpu/params.ts';
import { paramsKernelDef } from '../run/params-kernel.ts';
import { applyTdUpdate, type TdCombineRule } from '../synq/td-update.ts';

export const SYNQ_TD_PARAMS = new ParamsLayout('SynqTdParams', {
  replicas: 'u32',
  alphaQ: 'f32',
  gamma: 'f32',
});

/** synq-td's layout in a step program. */
export interface SynqTdLayout {
  replicas: number;
  alphaQ: number;
  gamma: number;
  rule: TdCombineRule;
}

/**
 * synq-td in the kernel registry: qOld -> qNew from the visit counts (bind the tables as a
 * ping-pong pair), counts cleared. Twin: applyTdUpdate (src/synq/td-update.ts), then the clear.
 */
export const SYNQ_TD = paramsKernelDef<SynqTdLayout, typeof SYNQ_TD_PARAMS.fields>({
  wgsl: 'synq-td',
  params: SYNQ_TD_PARAMS,
  bindings: ['qOld', 'rewardCodes', 'counts', 'qNew'],
  parity: 'synq step (mnist, train policy)',
  values: (l) => ({ replicas: l.replicas, alphaQ: l.alphaQ, gamma: l.gamma }),
  overrides: (l) => ({ MEAN: l.rule === 'mean' ? 1 : 0 }),
  invocations: (l) => l.replicas * 243,
  cpu: (l, b) => {
    const qOld = b.qOld as Float32Array,
      codes = b.rewardCodes as Uint32Array,
      counts = b.counts as Uint32Array,
      qNew = b.qNew as Float32Array;
    return () => {
      applyTdUpdate(l.replicas, qOld, qNew, counts, codes, l.alphaQ, l.gamma, l.rule);
      counts.fill(0);
    };
  },
});
