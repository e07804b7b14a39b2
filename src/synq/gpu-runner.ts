/**
 * One synaptic-Q-learning iteration on WebGPU, for R replica networks, all in one compute pass
 * (many iterations per submit). Per iteration t (the device clock holds t):
 *   1. synq-select-apply   actions from the table + weight steps          (CPU: selectActions, applyActions)
 *   2. synq-forward x L    the MLP over the minibatch                       (denseForward)
 *   3. synq-sample-loss    per-sample loss                                  (squaredErrorPerSample / softmaxCrossEntropyPerSample)
 *   4. synq-loss-reward    tree-reduced loss, reward = sign of the decrease (reduceLoss, computeRewards)
 *   5. synq-shift-count    (train) visit counts, then the state shift       (countVisits, shiftState)
 *   6. synq-td             (train) table update qA -> qB, counts cleared    (applyTdUpdate)
 *   7. clock-tick
 * The CPU order (synq-core.ts) is the same except that it counts visits inside its TD step: both
 * count from the pre-shift state, so the data are identical. Tables are double-buffered: in train
 * mode iteration t reads table (t-1) % 2 and writes the other; a frozen policy always reads A.
 * Minibatches (MNIST): an index buffer of the drawn samples into the whole image pool, rewritten
 * by the host between submits (draws on the CPU from the counter RNG, exactly as the CPU trainer).
 */
import type { GpuContext } from '../gpu/context.ts';
import { readF32, readU32 } from '../gpu/readback.ts';
import { DeviceClock } from '../kernels/clock.ts';
import { SynqForwardKernel, SynqForwardTiledKernel } from '../kernels/synq-forward.ts';
import { SynqLossRewardKernel } from '../kernels/synq-loss-reward.ts';
import { lossStride, SynqSampleLossKernel } from '../kernels/synq-sample-loss.ts';
import { SynqSelectApplyKernel } from '../kernels/synq-select-apply.ts';
import { SynqShiftCountKernel } from '../kernels/synq-shift-count.ts';
import { SynqTdKernel } from '../kernels/synq-td.ts';
import { Stream } from '../rng/counter-rng.ts';
import type { MlpLayout } from './mlp.ts';
import { initActionWords, initStateWords } from './packed-state.ts';
import { replicateTable, TABLE_SIZE } from './q-table.ts';
import type { TdCombineRule } from './td-update.ts';

/** Where the minibatch comes from and which loss it feeds. */
export type SynqGpuData =
  /** Fixed inputs per replica (R*B*I) and targets (R*B*O): squared error, loss = norm / B (boundary task). */
  | { kind: 'regression'; x: Float32Array; targets: Float32Array }
  /** A pool of samples (count*I) with u32-able labels; idx (R*B) picks the batch: cross-entropy mean (MNIST). */
  | { kind: 'classification'; pool: Float32Array; labels: Uint8Array; idx: Uint32Array | Int32Array };

export interface SynqGpuSpec {
  layout: MlpLayout;
  replicas: number;
  batch: number;
  /** R*N initial weights. */
  weights: Float32Array;
  /** The starting table (243), copied to every replica. */
  table: Float32Array;
  /** N per-synapse step multipliers. */
  stepScale: Float32Array;
  seed: number;
  epsilon: number;
  alphaS: number;
  alphaQ: number;
  gamma: number;
  trainPolicy: boolean;
  tdRule: TdCombineRule;
  data: SynqGpuData;
  /**
   * Kernel forms for hardware GPUs: the tiled forward (synq-forward-tiled) and the
   * workgroup-parallel loss tree. Same sums in the same order. Default: on unless the adapter is a
   * fallback (software) one such as SwiftShader, where the plain forms are faster.
   */
  hardwareKernels?: boolean;
}

/** What a checkpoint needs from the device (see snapshot / restore). */
export interface SynqRunnerState {
  weights: Float32Array;
  stateWords: Uint32Array;
  actionWords: Uint32Array;
  /** Latest table of each replica, R x 243. */
  q: Float32Array;
  /** Reward code per replica (0 = -1, 2 = +1; 1 before the first reward). */
  rewardCodes: Uint8Array;
  /** Loss of the last iteration per replica: the next reward compares against it. */
  prevLoss: Float32Array;
}

export class SynqGpuRunner {
  readonly R: number;
  readonly N: number;
  /** Next iteration to run (1-based). */
  t = 1;
  readonly buf: Record<string, GPUBuffer> = {};
  /** Output activations of every layer (acts[L-1] = network output). */
  readonly acts: GPUBuffer[] = [];
  private readonly clock: DeviceClock;
  private readonly select: SynqSelectApplyKernel;
  private readonly forward: (SynqForwardKernel | SynqForwardTiledKernel)[] = [];
  private readonly sampleLoss: SynqSampleLossKernel;
  private readonly lossReward: SynqLossRewardKernel;
  private readonly shift: SynqShiftCountKernel;
  private readonly td: SynqTdKernel | undefined;
  private readonly g: Record<string, GPUBindGroup> = {};
  private readonly fwdGroups: GPUBindGroup[] = [];

  constructor(
    readonly ctx: GpuContext,
    readonly spec: SynqGpuSpec,
  ) {
    const { layout, replicas: R, batch: B, data } = spec;
    const N = layout.numSynapses;
    this.R = R;
    this.N = N;
    const sizes = layout.shape.sizes;
    const L = sizes.length - 1;
    const b = this.buf;
    b.weights = ctx.createBufferFrom('synq:weights', spec.weights);
    b.stepScale = ctx.createBufferFrom('synq:stepScale', spec.stepScale);
    b.state = ctx.createBufferFrom('synq:state', initStateWords(R, N));
    b.actions = ctx.createBufferFrom('synq:actions', initActionWords(R, N));
    b.qA = ctx.createBufferFrom('synq:qA', replicateTable(spec.table, R));
    b.qB = ctx.createBufferFrom('synq:qB', replicateTable(spec.table, R));
    b.counts = ctx.createBuffer('synq:counts', R * TABLE_SIZE * 4);
    b.rewardCodes = ctx.createBufferFrom('synq:rewardCodes', new Uint32Array(R).fill(1));
    b.positives = ctx.createBuffer('synq:positives', R * 4);
    b.loss = ctx.createBuffer('synq:loss', 2 * R * 4);
    b.perSample = ctx.createBuffer('synq:perSample', R * lossStride(B) * 4);
    const gather = data.kind === 'classification';
    if (data.kind === 'regression') {
      b.input = ctx.createBufferFrom('synq:input', data.x);
      b.targets = ctx.createBufferFrom('synq:targets', data.targets);
      b.labels = ctx.createBuffer('synq:labels', 16);
      b.idx = ctx.createBuffer('synq:idx', 16);
    } else {
      b.input = ctx.createBufferFrom('synq:pool', data.pool);
      b.targets = ctx.createBuffer('synq:targets', 16);
      b.labels = ctx.createBufferFrom('synq:labels', Uint32Array.from(data.labels));
      b.idx = ctx.createBufferFrom('synq:idx', Uint32Array.from(data.idx));
    }
    for (let l = 0; l < L; l++) this.acts.push(ctx.createBuffer(`synq:act${l + 1}`, R * B * sizes[l + 1] * 4));
    this.clock = new DeviceClock(ctx, 1);

    this.select = new SynqSelectApplyKernel(ctx, R, N, { seed: spec.seed, stream: Stream.exploration, epsilon: spec.epsilon, alphaS: spec.alphaS });
    const common = { stepScale: b.stepScale, clock: this.clock.buffer, stateWords: b.state, actionWords: b.actions, weights: b.weights };
    this.g.selectA = this.select.group({ ...common, q: b.qA }, 'qA');
    this.g.selectB = this.select.group({ ...common, q: b.qB }, 'qB');
    const hw = spec.hardwareKernels ?? ctx.hardwareAdapter;
    for (let l = 0; l < L; l++) {
      const act = l === L - 1 ? layout.shape.output : layout.shape.hidden;
      const fl = { replicas: R, batch: B, inDim: sizes[l], outDim: sizes[l + 1], synapses: N, wOffset: layout.layerOffsets[l] };
      const k = hw ? new SynqForwardTiledKernel(ctx, fl, act, gather && l === 0) : new SynqForwardKernel(ctx, fl, act, gather && l === 0);
      this.forward.push(k);
      this.fwdGroups.push(k.group({ weights: b.weights, input: l === 0 ? b.input : this.acts[l - 1], idx: b.idx, output: this.acts[l] }, `layer${l}`));
    }
    const outDim = sizes[L];
    this.sampleLoss = new SynqSampleLossKernel(ctx, R, B, outDim, gather ? 'softmax-ce' : 'squared', gather);
    this.g.sampleLoss = this.sampleLoss.group({ outputs: this.acts[L - 1], targets: b.targets, labels: b.labels, idx: b.idx, perSample: b.perSample });
    this.lossReward = new SynqLossRewardKernel(ctx, R, B, gather ? 'mean' : 'euclidean', hw);
    this.g.lossReward = this.lossReward.group({ perSample: b.perSample, loss: b.loss, rewardCodes: b.rewardCodes, positives: b.positives });
    this.shift = new SynqShiftCountKernel(ctx, R, N, spec.trainPolicy);
    this.g.shift = this.shift.group({ actionWords: b.actions, rewardCodes: b.rewardCodes, stateWords: b.state, counts: b.counts });
    if (spec.trainPolicy) {
      this.td = new SynqTdKernel(ctx, R, spec.alphaQ, spec.gamma, spec.tdRule);
      this.g.tdAB = this.td.group({ qOld: b.qA, rewardCodes: b.rewardCodes, counts: b.counts, qNew: b.qB }, 'A->B');
      this.g.tdBA = this.td.group({ qOld: b.qB, rewardCodes: b.rewardCodes, counts: b.counts, qNew: b.qA }, 'B->A');
    }
  }

  /** The table buffer iteration `t` reads (the latest table once t - 1 iterations ran). */
  tableBuffer(t = this.t): GPUBuffer {
    return this.spec.trainPolicy && (t - 1) % 2 === 1 ? this.buf.qB : this.buf.qA;
  }

  private encodeLoss(pass: GPUComputePassEncoder): void {
    this.forward.forEach((k, l) => k.encode(pass, this.fwdGroups[l]));
    this.sampleLoss.encode(pass, this.g.sampleLoss);
    this.lossReward.encode(pass, this.g.lossReward);
  }

  /** Evaluate the current batch loss into prevLoss (before iteration 1, and after a batch redraw is NOT needed: the reference compares across redraws). */
  initLoss(): void {
    this.lossReward.setInit(true);
    this.submit(0);
    this.lossReward.setInit(false);
  }

  /** Record `count` iterations (t .. t + count - 1) into a pass. */
  encodeIterations(pass: GPUComputePassEncoder, count: number): void {
    for (let i = 0; i < count; i++, this.t++) {
      const odd = this.spec.trainPolicy && (this.t - 1) % 2 === 1;
      this.select.encode(pass, odd ? this.g.selectB : this.g.selectA);
      this.encodeLoss(pass);
      this.shift.encode(pass, this.g.shift);
      if (this.td) this.td.encode(pass, odd ? this.g.tdBA : this.g.tdAB);
      this.clock.encodeTick(pass);
    }
  }

  /**
   * One submit of `count` iterations (0: only the loss); `after` may append copies (a readback
   * ring's request) before the submit. Returns without waiting for the GPU.
   */
  submit(count: number, after?: (enc: GPUCommandEncoder) => void): void {
    this.ctx.checkHealthy();
    const enc = this.ctx.device.createCommandEncoder({ label: 'synq' });
    const pass = enc.beginComputePass({ label: 'synq' });
    if (count === 0) this.encodeLoss(pass);
    else this.encodeIterations(pass, count);
    pass.end();
    after?.(enc);
    this.ctx.device.queue.submit([enc.finish()]);
  }

  /** Replace the minibatch indices (classification); ordered before the next submit. */
  setBatch(idx: Uint32Array | Int32Array): void {
    this.ctx.device.queue.writeBuffer(this.buf.idx, 0, Uint32Array.from(idx));
  }

  /** Change alpha_s (takes effect at the next submit). */
  setAlphaS(alphaS: number): void {
    this.select.setParams({ seed: this.spec.seed, stream: Stream.exploration, epsilon: this.spec.epsilon, alphaS });
  }

  /**
   * The run's state after the work submitted so far (reads queue behind it): weights, packed
   * states and actions, the latest tables, reward codes and the loss the next reward compares to.
   */
  async snapshot(): Promise<SynqRunnerState> {
    const [weights, stateWords, actionWords, q, codes, prevLoss] = await Promise.all([
      this.readWeights(),
      readU32(this.ctx, this.buf.state),
      readU32(this.ctx, this.buf.actions),
      this.readTables(),
      this.readRewardCodes(),
      readF32(this.ctx, this.buf.loss, this.R, this.R),
    ]);
    return { weights, stateWords, actionWords, q, rewardCodes: Uint8Array.from(codes), prevLoss };
  }

  /**
   * Continue from a snapshot taken after iteration `iteration` (weights were given to the
   * constructor): the next submit runs iteration + 1.
   */
  restore(s: Omit<SynqRunnerState, 'weights'>, iteration: number): void {
    const q = this.ctx.device.queue;
    q.writeBuffer(this.buf.state, 0, new Uint32Array(s.stateWords));
    q.writeBuffer(this.buf.actions, 0, new Uint32Array(s.actionWords));
    // Both table buffers: whichever the next iteration reads holds the latest tables.
    const tables = new Float32Array(s.q);
    q.writeBuffer(this.buf.qA, 0, tables);
    q.writeBuffer(this.buf.qB, 0, tables);
    q.writeBuffer(this.buf.rewardCodes, 0, Uint32Array.from(s.rewardCodes));
    q.writeBuffer(this.buf.loss, this.R * 4, new Float32Array(s.prevLoss));
    this.t = iteration + 1;
    this.clock.set(this.t);
  }

  readWeights(): Promise<Float32Array> {
    return readF32(this.ctx, this.buf.weights);
  }
  /** Latest tables (R x 243). */
  readTables(): Promise<Float32Array> {
    return readF32(this.ctx, this.tableBuffer(), 0, this.R * TABLE_SIZE);
  }
  /** [newLoss R | prevLoss R] */
  readLoss(): Promise<Float32Array> {
    return readF32(this.ctx, this.buf.loss, 0, 2 * this.R);
  }
  readRewardCodes(): Promise<Uint32Array> {
    return readU32(this.ctx, this.buf.rewardCodes, 0, this.R);
  }
  readOutputs(): Promise<Float32Array> {
    return readF32(this.ctx, this.acts[this.acts.length - 1]);
  }

  destroy(): void {
    for (const x of Object.values(this.buf)) x.destroy();
    for (const a of this.acts) a.destroy();
    this.clock.destroy();
    this.select.destroy();
    for (const k of this.forward) k.destroy();
    this.sampleLoss.destroy();
    this.lossReward.destroy();
    this.shift.destroy();
    this.td?.destroy();
  }
}
