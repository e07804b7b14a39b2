import { ParamsLayout } from '../gpu/params.ts';
import { paramsKernelDef } from '../run/params-kernel.ts';

/** Where a block lives in each replica's row: words [r * stride + offset, + count). */
export interface RowCopyLayout {
  replicas: number;
  count: number;
  srcStride: number;
  srcOffset: number;
  dstStride: number;
  dstOffset: number;
}

export const ROW_COPY_PARAMS = new ParamsLayout('RowCopyParams', {
  replicas: 'u32',
  count: 'u32',
  srcStride: 'u32',
  srcOffset: 'u32',
  dstStride: 'u32',
  dstOffset: 'u32',
});

/** CPU twin of shaders/row-copy.wgsl. */
export function rowCopyCpu(l: RowCopyLayout, src: Float32Array, dst: Float32Array): void {
  for (let r = 0; r < l.replicas; r++) for (let i = 0; i < l.count; i++) dst[r * l.dstStride + l.dstOffset + i] = src[r * l.srcStride + l.srcOffset + i]!;
}

/** The parity suite (test/parity/suites.ts) that runs it: a recurrent connectome population on chemotaxis. */
export const ROW_COPY_PARITY = 'connectome chemotaxis step (recurrent row copy, sparse spike, env, record, update, dale, metabolic)';

/** row-copy in the kernel registry: a block of each replica's row of `src` into `dst` (e.g. a recurrent layer's spikes into the next step's input row). */
export const ROW_COPY = paramsKernelDef<RowCopyLayout, typeof ROW_COPY_PARAMS.fields>({
  wgsl: 'row-copy',
  params: ROW_COPY_PARAMS,
  bindings: ['src', 'dst'],
  parity: ROW_COPY_PARITY,
  values: (l) => ({ ...l }),
  invocations: (l) => l.replicas * l.count,
  cpu: (l, b) => () => rowCopyCpu(l, b.src as Float32Array, b.dst as Float32Array),
});
