import type { GpuContext } from '../gpu/context.ts';
import { DEFAULT_WORKGROUP } from '../gpu/kernel.ts';
import { ParamsLayout } from '../gpu/params.ts';
import { paramsKernelDef } from '../run/params-kernel.ts';
import { finishLoss, treeSumInPlaceF32 } from '../synq/loss.ts';
import { lossStride } from './synq-sample-loss.ts';

export const SYNQ_REWARD_PARAMS = new ParamsLayout('SynqRewardParams', {
  replicas: 'u32',
  batch: 'u32',
  stride: 'u32',
  euclidean: 'u32',
  init: 'u32',
  invBatch: 'f32',
});

/** Workgroup size of the parallel tree (one workgroup per replica). */
const PARALLEL_WG = 256;

/** synq-loss-reward's layout in a step program. */
export interface SynqLossRewardLayout {
  replicas: number;
  batch: number;
  mode: 'mean' | 'euclidean';
  /** Only store the loss as prevLoss (the evaluation before iteration 1). */
  init: boolean;
  /** The workgroup-parallel tree ('auto': on a hardware adapter). Same bits either way. */
  parallel?: 'auto' | boolean;
}

/**
 * synq-loss-reward in the kernel registry: each replica's loss by the pairwise f32 tree over its
 * zero-padded per-sample losses (in place, as the kernel), the reward code (2 if the loss fell
 * strictly, else 0), the count of +1 rewards, then prevLoss = loss. `loss` = [newLoss R | prevLoss R].
 * Twin: reduceLoss's tree and finish (treeSumInPlaceF32, finishLoss) + computeRewards (src/synq/loss.ts).
 * The GPU form's parallel tree (default on a hardware adapter) splits each tree level over a
 * workgroup per replica; the serial one (default on a fallback adapter such as SwiftShader) walks it
 * in one invocation. Same bits.
 */
export const SYNQ_LOSS_REWARD = paramsKernelDef<SynqLossRewardLayout, typeof SYNQ_REWARD_PARAMS.fields>({
  wgsl: 'synq-loss-reward',
  params: SYNQ_REWARD_PARAMS,
  bindings: ['perSample', 'loss', 'rewardCodes', 'positives'],
  parity: 'synq step (mnist, train policy)',
  values: ({ replicas, batch, mode, init }) => ({ replicas, batch, stride: lossStride(batch), euclidean: mode === 'euclidean' ? 1 : 0, init: init ? 1 : 0, invBatch: Math.fround(1 / batch) }),
  overrides: (l, ctx) => ({ PARALLEL: parallelTree(l, ctx) ? 1 : 0 }),
  invocations: (l, ctx) => (parallelTree(l, ctx) ? l.replicas * PARALLEL_WG : l.replicas),
  workgroup: (l, ctx) => (parallelTree(l, ctx) ? PARALLEL_WG : DEFAULT_WORKGROUP),
  cpu: (l, b) => {
    const { replicas: R, batch: B } = l;
    const stride = lossStride(B);
    const perSample = b.perSample as Float32Array,
      loss = b.loss as Float32Array,
      codes = b.rewardCodes as Uint32Array,
      positives = b.positives as Uint32Array;
    return () => {
      for (let r = 0; r < R; r++) {
        const v = finishLoss(treeSumInPlaceF32(perSample, r * stride, B, stride), B, l.mode);
        loss[r] = v;
        if (!l.init) {
          const better = v < loss[R + r]!;
          codes[r] = better ? 2 : 0;
          if (better) positives[r]!++;
        }
        loss[R + r] = v;
      }
    };
  },
});

/** Whether the GPU form walks the tree a workgroup per replica (parallel 'auto': on a hardware adapter). */
function parallelTree(l: SynqLossRewardLayout, ctx: GpuContext): boolean {
  return l.parallel === undefined || l.parallel === 'auto' ? ctx.hardwareAdapter : l.parallel;
}
