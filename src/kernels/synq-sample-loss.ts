import { ParamsLayout } from '../gpu/params.ts';
import { paramsKernelDef } from '../run/params-kernel.ts';
import { softmaxCrossEntropyPerSample, squaredErrorPerSample } from '../synq/loss.ts';

export const SYNQ_LOSS_PARAMS = new ParamsLayout('SynqLossParams', {
  replicas: 'u32',
  batch: 'u32',
  outDim: 'u32',
  stride: 'u32',
});

/** The batch padded to a power of two: the per-replica stride of the loss tree. */
export function lossStride(batch: number): number {
  let p = 1;
  while (p < batch) p *= 2;
  return p;
}

/** synq-sample-loss's layout in a step program. */
export interface SynqSampleLossLayout {
  replicas: number;
  batch: number;
  outDim: number;
  loss: 'squared' | 'softmax-ce';
  /** Labels of a pool, picked by idx[r*B + b]. */
  gather: boolean;
}

/**
 * synq-sample-loss in the kernel registry: per-sample loss of the minibatch into perSample[r*stride + b]
 * (targets like the outputs for squared error, any small buffer for cross-entropy; labels u32 per
 * (r, b), or of the whole pool when gathering). Twins:
 * squaredErrorPerSample / softmaxCrossEntropyPerSample (src/synq/loss.ts).
 */
export const SYNQ_SAMPLE_LOSS = paramsKernelDef<SynqSampleLossLayout, typeof SYNQ_LOSS_PARAMS.fields>({
  wgsl: 'synq-sample-loss',
  params: SYNQ_LOSS_PARAMS,
  bindings: ['outputs', 'targets', 'labels', 'idx', 'perSample'],
  parity: 'synq step (mnist, train policy)',
  values: (l) => ({ replicas: l.replicas, batch: l.batch, outDim: l.outDim, stride: lossStride(l.batch) }),
  overrides: (l) => ({ LOSS: l.loss === 'squared' ? 0 : 1, GATHER: l.gather ? 1 : 0 }),
  invocations: (l) => l.replicas * l.batch,
  cpu: (l, b) => {
    const { replicas: R, batch: B, outDim: O } = l;
    const stride = lossStride(B);
    const outputs = b.outputs as Float32Array,
      targets = b.targets as Float32Array,
      labels = b.labels as Uint32Array,
      idx = b.idx as Uint32Array;
    const perSample = b.perSample as Float32Array;
    const dense = new Float32Array(R * B);
    const lab = new Uint8Array(R * B);
    return () => {
      if (l.loss === 'squared') squaredErrorPerSample(R, B, O, outputs, targets, dense);
      else {
        for (let n = 0; n < R * B; n++) lab[n] = labels[l.gather ? idx[n]! : n]!;
        softmaxCrossEntropyPerSample(R, B, O, outputs, lab, dense);
      }
      for (let r = 0; r < R; r++) perSample.set(dense.subarray(r * B, (r + 1) * B), r * stride);
    };
  },
});
