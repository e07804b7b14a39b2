import { ParamsLayout } from '../gpu/params.ts';
import { paramsKernelDef } from '../run/params-kernel.ts';

export const SYNQ_BATCH_PARAMS = new ParamsLayout('SynqBatchParams', { count: 'u32', interval: 'u32', batches: 'u32', first: 'u32' });

/** synq-batch-select's layout: R x B indices per batch, a new batch every `interval` iterations. */
export interface SynqBatchLayout {
  /** Indices per batch (replicas x batch). */
  count: number;
  interval: number;
  /** Batches in the schedule. */
  batches: number;
  /** Always batch 0 (the evaluation before iteration 1). */
  first: boolean;
}

/** The CPU twin: idx = schedule's batch of iteration t. */
export function synqBatchSelectCpu(l: SynqBatchLayout, t: number, schedule: Uint32Array, idx: Uint32Array): void {
  const k = l.first ? 0 : Math.min(Math.floor(t / l.interval), l.batches - 1);
  idx.set(schedule.subarray(k * l.count, (k + 1) * l.count));
}

/** synq-batch-select in the kernel registry: the minibatch of the iteration from the precomputed schedule. */
export const SYNQ_BATCH_SELECT = paramsKernelDef<SynqBatchLayout, typeof SYNQ_BATCH_PARAMS.fields>({
  wgsl: 'synq-batch-select',
  params: SYNQ_BATCH_PARAMS,
  bindings: ['clock', 'schedule', 'idx'],
  parity: 'synq step (mnist, train policy)',
  values: (l) => ({ ...l, first: l.first ? 1 : 0 }),
  invocations: (l) => l.count,
  cpu: (l, b) => {
    const clock = b.clock as Uint32Array,
      schedule = b.schedule as Uint32Array,
      idx = b.idx as Uint32Array;
    return () => synqBatchSelectCpu(l, clock[0]!, schedule, idx);
  },
});
