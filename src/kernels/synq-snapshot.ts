import { ParamsLayout } from '../gpu/params.ts';
import { paramsKernelDef } from '../run/params-kernel.ts';

export const SYNQ_SNAPSHOT_PARAMS = new ParamsLayout('SynqSnapshotParams', { length: 'u32', offset: 'u32', every: 'u32', last: 'u32', extra: 'u32', always: 'u32' });

/** synq-snapshot's layout: which words, where in the metrics buffer, and at which iterations. */
export interface SynqSnapshotLayout {
  /** Elements of `src` copied. */
  length: number;
  /** Where they go in the metrics buffer. */
  offset: number;
  /** Due at multiples of this (0: none), at `last` and at `extra` (0: none). */
  every: number;
  last: number;
  extra: number;
  /** Due every time (the evaluation before iteration 1). */
  always: boolean;
}

/** Whether iteration t is one of the snapshot's iterations. */
export function snapshotDue(l: SynqSnapshotLayout, t: number): boolean {
  return l.always || (l.every > 0 && t % l.every === 0) || t === l.last || (l.extra > 0 && t === l.extra);
}

/** The CPU twin: the bits of src[0 .. length) into metrics[offset ..] when due. */
export function synqSnapshotCpu(l: SynqSnapshotLayout, t: number, src: Float32Array, metrics: Uint32Array): void {
  if (!snapshotDue(l, t)) return;
  new Float32Array(metrics.buffer, metrics.byteOffset + l.offset * 4, l.length).set(src.subarray(0, l.length));
}

/** synq-snapshot in the kernel registry: the evaluation copy. */
export const SYNQ_SNAPSHOT = paramsKernelDef<SynqSnapshotLayout, typeof SYNQ_SNAPSHOT_PARAMS.fields>({
  wgsl: 'synq-snapshot',
  params: SYNQ_SNAPSHOT_PARAMS,
  bindings: ['clock', 'src', 'metrics'],
  parity: 'synq step (mnist, train policy)',
  values: (l) => ({ ...l, always: l.always ? 1 : 0 }),
  invocations: (l) => l.length,
  cpu: (l, b) => {
    const clock = b.clock as Uint32Array,
      src = b.src as Float32Array,
      metrics = b.metrics as Uint32Array;
    return () => synqSnapshotCpu(l, clock[0]!, src, metrics);
  },
});
