import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import type { KernelDef } from '../run/kernel-def.ts';
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

/** Buffers of `synq-loss-reward`. */
export interface SynqRewardBuffers {
  perSample: GPUBuffer;
  /** [newLoss R | prevLoss R] */
  loss: GPUBuffer;
  rewardCodes: GPUBuffer;
  /** Count of +1 rewards per replica. */
  positives: GPUBuffer;
}

/** Workgroup size of the parallel tree (one workgroup per replica). */
const PARALLEL_WG = 256;

/**
 * Tree-reduced loss per replica and the global reward (shaders/synq-loss-reward.wgsl). `parallel`
 * (default: on a hardware adapter) splits each tree level over a workgroup per replica; serial
 * (default on a fallback adapter such as SwiftShader) walks it in one invocation. Same bits.
 */
export class SynqLossRewardKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof SYNQ_REWARD_PARAMS.fields>;
  readonly parallel: boolean;
  constructor(ctx: GpuContext, readonly replicas: number, readonly batch: number, readonly mode: 'mean' | 'euclidean', parallel = ctx.hardwareAdapter) {
    super(ctx, 'synq-loss-reward', parallel ? { PARALLEL: 1, WG: PARALLEL_WG } : {});
    this.parallel = parallel;
    SYNQ_REWARD_PARAMS.checkAgainst('synq-loss-reward');
    this.params = new ParamsBuffer(ctx.device, SYNQ_REWARD_PARAMS, 'synq-loss-reward:params');
    this.setInit(false);
  }
  /** init = true: only store the loss as prevLoss (before iteration 1); takes effect at the next submit. */
  setInit(init: boolean): void {
    const { replicas, batch } = this;
    this.params.set({ replicas, batch, stride: lossStride(batch), euclidean: this.mode === 'euclidean' ? 1 : 0, init: init ? 1 : 0, invBatch: Math.fround(1 / batch) });
  }
  group(b: SynqRewardBuffers, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, b.perSample, b.loss, b.rewardCodes, b.positives]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    if (this.parallel) this.dispatch(pass, group, this.replicas * PARALLEL_WG, PARALLEL_WG);
    else this.dispatch(pass, group, this.replicas);
  }
  destroy(): void {
    this.params.destroy();
  }
}

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
 */
export const SYNQ_LOSS_REWARD: KernelDef<SynqLossRewardLayout> = {
  wgsl: 'synq-loss-reward',
  uniform: true,
  bindings: ['perSample', 'loss', 'rewardCodes', 'positives'],
  parity: 'synq step (mnist, train policy)',
  cpu: (l, b) => {
    const { replicas: R, batch: B } = l;
    const stride = lossStride(B);
    const perSample = b.perSample as Float32Array, loss = b.loss as Float32Array, codes = b.rewardCodes as Uint32Array, positives = b.positives as Uint32Array;
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
  gpu: (ctx, l) => {
    const parallel = l.parallel === undefined || l.parallel === 'auto' ? ctx.hardwareAdapter : l.parallel;
    const k = new SynqLossRewardKernel(ctx, l.replicas, l.batch, l.mode, parallel);
    k.setInit(l.init);
    return { group: (g, label) => k.group(g as unknown as SynqRewardBuffers, label), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
  },
};
