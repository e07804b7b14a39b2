/**
 * Synaptic Q-learning (Bhargava et al.) and its GD baseline as step programs: one step = one
 * training iteration, for both executors. The task's data (boundary points, or the MNIST images
 * and the run's precomputed minibatch schedule) and the shared Q-tables are buffers; every
 * iteration's loss (and reward) goes to a log ring in the metrics buffer, and at the iterations the
 * host evaluates (every evalEvery, the last, the start check) a copy of the weights or the outputs
 * and the tables goes there too (synq-snapshot), which the decoders (synq-decoders.ts) evaluate as
 * the reference trainers did. Chunks end at those iterations (`evaluationChunks`), so every copy
 * is the state at its chunk's end and the loop never runs past the run.
 */
import { CLOCK_TICK } from '../kernels/clock.ts';
import { GD_CE_DELTA, GD_HIDDEN_DELTA, GD_LOSS, GD_WEIGHT_STEP } from '../kernels/gd-mlp.ts';
import { SYNQ_BATCH_SELECT } from '../kernels/synq-batch-select.ts';
import { SYNQ_FORWARD, type SynqForwardLayout } from '../kernels/synq-forward.ts';
import { SYNQ_LOG, synqLogWords } from '../kernels/synq-log.ts';
import { SYNQ_LOSS_REWARD } from '../kernels/synq-loss-reward.ts';
import { lossStride, SYNQ_SAMPLE_LOSS } from '../kernels/synq-sample-loss.ts';
import { SYNQ_SELECT_APPLY } from '../kernels/synq-select-apply.ts';
import { SYNQ_SHIFT_COUNT } from '../kernels/synq-shift-count.ts';
import { SYNQ_SNAPSHOT, type SynqSnapshotLayout } from '../kernels/synq-snapshot.ts';
import { SYNQ_TD_SEQUENTIAL } from '../kernels/synq-td-sequential.ts';
import { SYNQ_TD } from '../kernels/synq-td.ts';
import type { Binding, BufferDecl, Op, StepProgram } from '../run/program.ts';
import type { TdRule } from '../synq/config.ts';
import type { MlpLayout } from '../synq/mlp.ts';
import { initActionWords, initStateWords, wordsPerReplica } from '../synq/packed-state.ts';
import { replicateTable, TABLE_SIZE } from '../synq/q-table.ts';

/** When the host evaluates: every `every` iterations, at `last` (the run's end) and at `extra` (0: none). */
export interface EvalPoints {
  every: number;
  last: number;
  extra: number;
}

/** Whether iteration t is evaluated. */
export const evaluatedAt = (p: EvalPoints, t: number): boolean => t % p.every === 0 || t === p.last || (p.extra > 0 && t === p.extra);

/**
 * The chunk schedule of an evaluated run (Model.chunkAt): chunks of at most `per` iterations that
 * end at every evaluated iteration and at the last; the one ending at `extra` (the start check,
 * which may end the run) is waited for.
 */
export function evaluationChunks(p: EvalPoints, per: number): (stepCount: number) => { steps: number; sync?: boolean } {
  return (s) => {
    if (s >= p.last) return { steps: 0 };
    let d = Math.min(p.last, (Math.floor(s / p.every) + 1) * p.every);
    if (p.extra > s) d = Math.min(d, p.extra);
    const steps = Math.min(per, d - s);
    return { steps, sync: p.extra > 0 && s + steps === p.extra };
  };
}

/** Where the metrics buffer holds what: the log ring (synq-log) and the snapshots, by name. */
export interface MetricsLayout {
  replicas: number;
  /** Iterations the ring holds (the longest chunk). */
  cap: number;
  /** Snapshot regions: offset and length in words. */
  regions: Record<string, { offset: number; length: number }>;
  words: number;
}

function metricsLayout(replicas: number, cap: number, regions: [string, number][]): MetricsLayout {
  let at = synqLogWords({ replicas, cap });
  const out: MetricsLayout['regions'] = {};
  for (const [name, length] of regions) {
    out[name] = { offset: at, length };
    at += length;
  }
  return { replicas, cap, regions: out, words: at };
}

/** The f32 words of region `name` of a metrics readback (a copy). */
export function region(m: MetricsLayout, words: Uint32Array, name: string): Float32Array {
  const g = m.regions[name]!;
  return new Float32Array(words.buffer.slice(words.byteOffset + g.offset * 4, words.byteOffset + (g.offset + g.length) * 4));
}

/** A snapshot op: `src` into region `name` at the evaluated iterations (or always: a reset op). */
function snapshot(m: MetricsLayout, name: string, src: Binding, p: EvalPoints | 'always'): Op {
  const g = m.regions[name]!;
  const layout: SynqSnapshotLayout =
    p === 'always'
      ? { length: g.length, offset: g.offset, every: 0, last: 0, extra: 0, always: true }
      : { length: g.length, offset: g.offset, every: p.every, last: p.last, extra: p.extra, always: false };
  return { kernel: SYNQ_SNAPSHOT, layout, bind: { clock: 'clock', src, metrics: 'metrics' } };
}

/** Kernel forms for hardware GPUs ('auto': by the adapter; the parity suites pin both). */
export interface SynqForms {
  forward?: 'auto' | 'plain' | 'tiled';
  parallelLoss?: 'auto' | boolean;
}

/** The minibatch data of a synaptic-Q program. */
export type SynqProgramData =
  /** Fixed inputs (R x B x I) and targets (R x B x O): squared error, loss = norm / B (the boundary task). */
  | { kind: 'regression'; x: Float32Array; targets: Float32Array }
  /**
   * A pool of samples (count x I) with labels; `schedule` holds every minibatch of the run in
   * order (batches x R x B pool indices), batch k in use from iteration k * interval on:
   * cross-entropy mean (MNIST).
   */
  | { kind: 'classification'; pool: Float32Array; labels: Uint32Array; schedule: Uint32Array; interval: number };

/** Everything a synaptic-Q step program is made of. */
export interface SynqProgramSpec {
  layout: MlpLayout;
  replicas: number;
  batch: number;
  /** R x N initial weights. */
  weights: Float32Array;
  /** The starting table (243), copied to every replica. */
  table: Float32Array;
  /** N per-synapse step multipliers. */
  stepScale: Float32Array;
  seed: number;
  epsilon: number;
  alphaS: number;
  /** alpha_s becomes alphaS2 from this iteration on (0: never). */
  switchAt: number;
  alphaS2: number;
  alphaQ: number;
  gamma: number;
  trainPolicy: boolean;
  tdRule: TdRule;
  data: SynqProgramData;
  evals: EvalPoints;
  /** What the evaluations read: the network's outputs on the batch (boundary) or the weights (MNIST). */
  evaluate: 'outputs' | 'weights';
  /** The log ring's length: the longest chunk. */
  cap: number;
  forms?: SynqForms;
}

/**
 * The synaptic-Q step program. Reset (a fresh start): the loss of the initial weights on the first
 * batch becomes prevLoss; with `evaluate: 'outputs'` the initial outputs and loss are copied too.
 * One step = one iteration t (clock[0], from 1):
 *   [synq-batch-select]  the iteration's minibatch (classification)
 *   synq-select-apply    actions from the table this iteration reads + weight steps
 *   synq-forward x L     the MLP over the minibatch
 *   synq-sample-loss, synq-loss-reward   loss, reward, prevLoss
 *   [synq-td-sequential] (tdRule 'sequential') the reference's loop on the live table
 *   synq-shift-count     (count / mean: visit counts) then the state shift
 *   [synq-td]            (count / mean) qOld -> qNew, the tables ping-pong by the step's parity
 *   synq-log, synq-snapshot x2 (weights or outputs, tables), clock-tick
 * The same order as the reference CPU trainer's iteration, which counted visits inside its TD
 * step (both count from the pre-shift states).
 */
export function synqProgram(s: SynqProgramSpec): { program: StepProgram; metrics: MetricsLayout } {
  const { layout, replicas: R, batch: B, data } = s;
  const N = layout.numSynapses;
  const W = wordsPerReplica(N);
  const sizes = layout.shape.sizes;
  const L = sizes.length - 1;
  const O = sizes[L]!;
  const gather = data.kind === 'classification';
  const pingPong = s.trainPolicy && s.tdRule !== 'sequential';
  const table = replicateTable(s.table, R);
  const m = metricsLayout(R, s.cap, [
    ['eval', s.evaluate === 'weights' ? R * N : R * B * O],
    ['table', R * TABLE_SIZE],
    ...(s.evaluate === 'outputs'
      ? ([
          ['initial-outputs', R * B * O],
          ['initial-loss', R],
        ] as [string, number][])
      : []),
  ]);
  const acts = sizes.slice(1).map((_, l) => `act-${l + 1}`);
  const buffers: BufferDecl[] = [
    { name: 'weights', type: 'f32', length: R * N, init: s.weights },
    { name: 'step-scale', type: 'f32', length: N, init: s.stepScale, constant: true },
    { name: 'state', type: 'u32', length: R * W, init: initStateWords(R, N) },
    { name: 'actions', type: 'u32', length: R * W, init: initActionWords(R, N) },
    { name: 'q-a', type: 'f32', length: R * TABLE_SIZE, init: table },
    ...(pingPong ? [{ name: 'q-b', type: 'f32', length: R * TABLE_SIZE, init: table.slice() } satisfies BufferDecl] : []),
    // Visit counts are zero between iterations (synq-td clears what it used).
    { name: 'counts', type: 'u32', length: pingPong ? R * TABLE_SIZE : 1, scratch: true },
    { name: 'reward-codes', type: 'u32', length: R, init: new Uint32Array(R).fill(1) },
    { name: 'positives', type: 'u32', length: R },
    { name: 'loss', type: 'f32', length: 2 * R },
    { name: 'per-sample', type: 'f32', length: R * lossStride(B), scratch: true },
    ...sizes.slice(1).map((n, l): BufferDecl => ({ name: acts[l]!, type: 'f32', length: R * B * n, scratch: true })),
    { name: 'clock', type: 'u32', length: 4, init: new Uint32Array([1, 0, 0, 0]) },
    { name: 'metrics', type: 'u32', length: m.words, scratch: true },
  ];
  if (data.kind === 'regression') {
    buffers.push(
      { name: 'input', type: 'f32', length: data.x.length, init: data.x, constant: true },
      { name: 'targets', type: 'f32', length: data.targets.length, init: data.targets, constant: true },
      { name: 'labels', type: 'u32', length: 1, constant: true },
      { name: 'idx', type: 'u32', length: 1, constant: true },
    );
  } else {
    buffers.push(
      { name: 'input', type: 'f32', length: data.pool.length, init: data.pool, constant: true },
      { name: 'targets', type: 'f32', length: 1, constant: true },
      { name: 'labels', type: 'u32', length: data.labels.length, init: data.labels, constant: true },
      { name: 'schedule', type: 'u32', length: data.schedule.length, init: data.schedule, constant: true },
      // Rewritten from the schedule at the start of every iteration.
      { name: 'idx', type: 'u32', length: R * B, scratch: true },
    );
  }
  const batchSelect = (first: boolean): Op[] =>
    data.kind === 'classification'
      ? [{ kernel: SYNQ_BATCH_SELECT, layout: { count: R * B, interval: data.interval, batches: data.schedule.length / (R * B), first }, bind: { clock: 'clock', schedule: 'schedule', idx: 'idx' } }]
      : [];
  const loss = (init: boolean): Op[] => [
    ...sizes.slice(1).map((_, l): Op => {
      const layer: SynqForwardLayout = { replicas: R, batch: B, inDim: sizes[l]!, outDim: sizes[l + 1]!, synapses: N, wOffset: layout.layerOffsets[l]! };
      return {
        kernel: SYNQ_FORWARD,
        layout: { layer, act: l === L - 1 ? layout.shape.output : layout.shape.hidden, gather: gather && l === 0, form: s.forms?.forward ?? 'auto' },
        bind: { weights: 'weights', input: l === 0 ? 'input' : acts[l - 1]!, idx: 'idx', output: acts[l]! },
      };
    }),
    {
      kernel: SYNQ_SAMPLE_LOSS,
      layout: { replicas: R, batch: B, outDim: O, loss: gather ? 'softmax-ce' : 'squared', gather },
      bind: { outputs: acts[L - 1]!, targets: 'targets', labels: 'labels', idx: 'idx', perSample: 'per-sample' },
    },
    {
      kernel: SYNQ_LOSS_REWARD,
      layout: { replicas: R, batch: B, mode: gather ? 'mean' : 'euclidean', init, parallel: s.forms?.parallelLoss ?? 'auto' },
      bind: { perSample: 'per-sample', loss: 'loss', rewardCodes: 'reward-codes', positives: 'positives' },
    },
  ];
  // The table iteration t reads, and the latest one after it (train mode: ping-pong by t's parity).
  const reads: Binding = pingPong ? ['q-a', 'q-b'] : 'q-a';
  const latest: Binding = pingPong ? ['q-b', 'q-a'] : 'q-a';
  const step: Op[] = [
    ...batchSelect(false),
    {
      kernel: SYNQ_SELECT_APPLY,
      layout: { replicas: R, synapses: N, seed: s.seed, epsilon: s.epsilon, alphaS: s.alphaS, switchAt: s.switchAt, alphaS2: s.alphaS2 },
      bind: { q: reads, stepScale: 'step-scale', clock: 'clock', stateWords: 'state', actionWords: 'actions', weights: 'weights' },
    },
    ...loss(false),
    ...(s.trainPolicy && s.tdRule === 'sequential'
      ? [
          {
            kernel: SYNQ_TD_SEQUENTIAL,
            layout: { replicas: R, synapses: N, alphaQ: s.alphaQ, gamma: s.gamma },
            bind: { stateWords: 'state', actionWords: 'actions', rewardCodes: 'reward-codes', q: 'q-a' },
          } satisfies Op,
        ]
      : []),
    { kernel: SYNQ_SHIFT_COUNT, layout: { replicas: R, synapses: N, train: pingPong }, bind: { actionWords: 'actions', rewardCodes: 'reward-codes', stateWords: 'state', counts: 'counts' } },
    ...(pingPong
      ? [
          {
            kernel: SYNQ_TD,
            layout: { replicas: R, alphaQ: s.alphaQ, gamma: s.gamma, rule: s.tdRule as 'count' | 'mean' },
            bind: { qOld: ['q-a', 'q-b'], rewardCodes: 'reward-codes', counts: 'counts', qNew: ['q-b', 'q-a'] },
          } satisfies Op,
        ]
      : []),
    { kernel: SYNQ_LOG, layout: { replicas: R, cap: s.cap, rewards: true }, bind: { clock: 'clock', loss: 'loss', rewardCodes: 'reward-codes', metrics: 'metrics' } },
    snapshot(m, 'eval', s.evaluate === 'weights' ? 'weights' : acts[L - 1]!, s.evals),
    snapshot(m, 'table', latest, s.evals),
    { kernel: CLOCK_TICK, layout: {}, bind: { clock: 'clock' } },
  ];
  const reset: Op[] = [
    ...batchSelect(true),
    ...loss(true),
    ...(s.evaluate === 'outputs' ? [snapshot(m, 'initial-outputs', acts[L - 1]!, 'always'), snapshot(m, 'initial-loss', 'loss', 'always')] : []),
  ];
  return { program: { buffers, reset, step, metrics: 'metrics' }, metrics: m };
}

/** Everything a GD step program is made of. */
export interface GdProgramSpec {
  layout: MlpLayout;
  replicas: number;
  /** R x N initial weights. */
  weights: Float32Array;
  /** All images (count x I) the training indices point into, and their labels. */
  pool: Float32Array;
  labels: Uint32Array;
  /** R x B training indices (every replica the same count B: its whole training split). */
  idx: Uint32Array;
  learningRate: number;
  evals: EvalPoints;
  cap: number;
  forms?: SynqForms;
}

/**
 * The GD baseline as a step program: one step = one full-batch gradient step of every replica.
 *   synq-forward x L (gathering the training split), gd-ce-delta, gd-loss (the mean training
 *   loss before the step), then from the top layer down gd-hidden-delta (from the weights before
 *   this step) and gd-weight-step; synq-log, synq-snapshot (weights), clock-tick.
 * The CPU twins keep the deltas, per-sample losses and the loss in f64 (`host: 'f64'`) and sum
 * as the reference trainer did, so the CPU executor reproduces it bit for bit; the device works in
 * f32 (parity within tolerance).
 */
export function gdProgram(s: GdProgramSpec): { program: StepProgram; metrics: MetricsLayout } {
  const { layout, replicas: R } = s;
  const N = layout.numSynapses;
  const B = s.idx.length / R;
  if (!Number.isInteger(B) || B < 1) throw new RangeError(`idx: expected replicas x B indices, got ${s.idx.length} for ${R} replicas`);
  const sizes = layout.shape.sizes;
  const L = sizes.length - 1;
  const m = metricsLayout(R, s.cap, [['eval', R * N]]);
  const acts = sizes.slice(1).map((_, l) => `act-${l + 1}`);
  const deltas = sizes.slice(1).map((_, l) => `delta-${l + 1}`);
  const buffers: BufferDecl[] = [
    { name: 'weights', type: 'f32', length: R * N, init: s.weights },
    { name: 'input', type: 'f32', length: s.pool.length, init: s.pool, constant: true },
    { name: 'labels', type: 'u32', length: s.labels.length, init: s.labels, constant: true },
    { name: 'idx', type: 'u32', length: R * B, init: s.idx, constant: true },
    ...sizes.slice(1).flatMap((n, l): BufferDecl[] => [
      { name: acts[l]!, type: 'f32', length: R * B * n, scratch: true },
      { name: deltas[l]!, type: 'f32', length: R * B * n, scratch: true, host: 'f64' },
    ]),
    { name: 'per-sample', type: 'f32', length: R * lossStride(B), scratch: true, host: 'f64' },
    { name: 'loss', type: 'f32', length: 2 * R, scratch: true, host: 'f64' },
    { name: 'reward-codes', type: 'u32', length: R, scratch: true },
    { name: 'positives', type: 'u32', length: R, scratch: true },
    { name: 'clock', type: 'u32', length: 4, init: new Uint32Array([1, 0, 0, 0]) },
    { name: 'metrics', type: 'u32', length: m.words, scratch: true },
  ];
  const layer = (l: number): SynqForwardLayout => ({ replicas: R, batch: B, inDim: sizes[l]!, outDim: sizes[l + 1]!, synapses: N, wOffset: layout.layerOffsets[l]! });
  const step: Op[] = [
    ...sizes.slice(1).map(
      (_, l): Op => ({
        kernel: SYNQ_FORWARD,
        layout: { layer: layer(l), act: l === L - 1 ? layout.shape.output : layout.shape.hidden, gather: l === 0, form: s.forms?.forward ?? 'auto' },
        bind: { weights: 'weights', input: l === 0 ? 'input' : acts[l - 1]!, idx: 'idx', output: acts[l]! },
      }),
    ),
    { kernel: GD_CE_DELTA, layout: { replicas: R, batch: B, outDim: sizes[L]! }, bind: { outputs: acts[L - 1]!, labels: 'labels', idx: 'idx', perSample: 'per-sample', delta: deltas[L - 1]! } },
    {
      kernel: GD_LOSS,
      layout: { replicas: R, batch: B, parallel: s.forms?.parallelLoss ?? 'auto' },
      bind: { perSample: 'per-sample', loss: 'loss', rewardCodes: 'reward-codes', positives: 'positives' },
    },
  ];
  for (let l = L - 1; l >= 0; l--) {
    if (l > 0) step.push({ kernel: GD_HIDDEN_DELTA, layout: { layer: layer(l), act: layout.shape.hidden }, bind: { weights: 'weights', acts: acts[l - 1]!, delta: deltas[l]!, prev: deltas[l - 1]! } });
    step.push({
      kernel: GD_WEIGHT_STEP,
      layout: { layer: layer(l), learningRate: s.learningRate, gather: l === 0 },
      bind: { weights: 'weights', input: l === 0 ? 'input' : acts[l - 1]!, idx: 'idx', delta: deltas[l]! },
    });
  }
  step.push(
    { kernel: SYNQ_LOG, layout: { replicas: R, cap: s.cap, rewards: false }, bind: { clock: 'clock', loss: 'loss', rewardCodes: 'reward-codes', metrics: 'metrics' } },
    snapshot(m, 'eval', 'weights', s.evals),
    { kernel: CLOCK_TICK, layout: {}, bind: { clock: 'clock' } },
  );
  return { program: { buffers, reset: [], step, metrics: 'metrics' }, metrics: m };
}
