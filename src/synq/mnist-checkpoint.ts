/**
 * The whole state of a synaptic-RL MNIST run after iteration t, as both trainers (CPU twins and
 * WebGPU) write and read it: continuing from it gives the same weights, tables and curve as never
 * having stopped, on the same backend; across backends it carries on within the kernels' float
 * tolerance (the discrete state is exact).
 */
import type { CheckpointParts } from '../io/checkpoint.ts';
import type { SynqMnistConfig } from './config.ts';
import type { SynqRunnerState } from './gpu-runner.ts';
import type { FailCheck } from './mnist-task.ts';
import { TABLE_SIZE } from './q-table.ts';

export const SYNQ_MNIST_CHECKPOINT = 'synq-mnist';

/** The config as stored: a policy table given inline is reduced to 'table' (the tables themselves are saved). */
export type StoredSynqMnistConfig = Omit<SynqMnistConfig, 'policy'> & { policy: 'golden' | 'train' | 'table' };

/** The device-side state (SynqRunnerState: weights, states, actions, tables, reward codes, prevLoss) plus the host's. */
export interface SynqMnistState extends SynqRunnerState {
  /** Iterations done (the next one to run is iteration + 1). */
  iteration: number;
  config: StoredSynqMnistConfig;
  trainPolicy: boolean;
  /** Training wall time so far. */
  wallSeconds: number;
  /** Draw position of each replica's minibatch RNG. */
  batchRngPositions: number[];
  /** The minibatch in use, R x B training-pool indices. */
  batchIdx: Int32Array;
  curve: { iteration: number; validAccuracy: number[]; batchLoss: number[] }[];
  failCheck: FailCheck | null;
}

export function storedConfig(c: SynqMnistConfig): StoredSynqMnistConfig {
  return { ...c, policy: c.policy === 'golden' || c.policy === 'train' ? c.policy : 'table' };
}

/**
 * Fields a resumed run must share with its checkpoint (everything but the iteration budget, the
 * evaluation interval and the starting policy, which the saved tables replace).
 */
const FIXED: readonly (keyof StoredSynqMnistConfig)[] = [
  'hidden', 'replicas', 'seed', 'batchSize', 'batchInterval', 'maxSamples', 'validationFraction', 'epsilon', 'alphaS',
  'alphaSSwitchIteration', 'alphaSSwitched', 'alphaQ', 'gamma', 'biasStepScale', 'initWeightRange', 'tdRule',
  'failCheckIteration', 'failCheckAccuracy',
];

/** Throws a RangeError naming every field of `c` that differs from the checkpoint's run. */
export function checkResumable(c: SynqMnistConfig, trainPolicy: boolean, s: SynqMnistState): void {
  const diffs = FIXED.filter((k) => c[k] !== s.config[k]).map((k) => `${k} ${String(c[k])} (checkpoint: ${String(s.config[k])})`);
  if (trainPolicy !== s.trainPolicy) diffs.push(`trainPolicy ${trainPolicy} (checkpoint: ${s.trainPolicy})`);
  if (diffs.length) throw new RangeError(`resume: the run differs from its checkpoint in ${diffs.join(', ')}`);
  if (c.iterations < s.iteration) throw new RangeError(`iterations must be >= the checkpoint's ${s.iteration} iterations done, got ${c.iterations}`);
}

/** The minibatch a checkpoint holds must be the size this run draws (R x B). */
export function checkResumeBatch(s: SynqMnistState, replicas: number, batch: number): void {
  if (s.batchIdx.length !== replicas * batch) {
    throw new RangeError(`resume: the checkpoint's minibatch holds ${s.batchIdx.length / replicas} samples per replica, this run ${batch}`);
  }
}

export function synqMnistCheckpointParts(s: SynqMnistState): CheckpointParts {
  const { batchIdx, weights, stateWords, actionWords, q, rewardCodes, prevLoss, ...header } = s;
  return { kind: SYNQ_MNIST_CHECKPOINT, header, arrays: { batchIdx, weights, stateWords, actionWords, q, rewardCodes, prevLoss } };
}

/** Rebuilds the state; checks every array against the stored config's sizes. */
export function synqMnistStateFromParts(p: CheckpointParts, numSynapses: (hidden: number) => number, source = 'checkpoint'): SynqMnistState {
  const h = p.header as Omit<SynqMnistState, 'batchIdx' | 'weights' | 'stateWords' | 'actionWords' | 'q' | 'rewardCodes' | 'prevLoss'>;
  const c = h.config;
  if (!c || typeof h.iteration !== 'number') throw new Error(`${source}: no run config or iteration in the header`);
  const R = c.replicas;
  const N = numSynapses(c.hidden);
  const words = R * Math.ceil(N / 4);
  const want: Record<string, [Function, number]> = {
    weights: [Float32Array, R * N],
    stateWords: [Uint32Array, words],
    actionWords: [Uint32Array, words],
    q: [Float32Array, R * TABLE_SIZE],
    rewardCodes: [Uint8Array, R],
    prevLoss: [Float32Array, R],
  };
  for (const [name, [Ctor, len]] of Object.entries(want)) {
    const a = p.arrays[name];
    if (!(a instanceof (Ctor as typeof Float32Array))) throw new Error(`${source}: array '${name}' missing or of the wrong type`);
    if (a.length !== len) throw new Error(`${source}: array '${name}' has ${a.length} elements, expected ${len} (replicas ${R}, hidden ${c.hidden})`);
  }
  const idx = p.arrays.batchIdx;
  if (!(idx instanceof Int32Array) || idx.length === 0 || idx.length % R !== 0 || idx.length / R > c.batchSize) {
    throw new Error(`${source}: array 'batchIdx' must be Int32 with replicas x batch (${R} x <= ${c.batchSize}) elements`);
  }
  if (!Array.isArray(h.batchRngPositions) || h.batchRngPositions.length !== R) throw new Error(`${source}: batchRngPositions must hold ${R} entries`);
  return {
    ...h,
    batchIdx: p.arrays.batchIdx as Int32Array,
    weights: p.arrays.weights as Float32Array,
    stateWords: p.arrays.stateWords as Uint32Array,
    actionWords: p.arrays.actionWords as Uint32Array,
    q: p.arrays.q as Float32Array,
    rewardCodes: p.arrays.rewardCodes as Uint8Array,
    prevLoss: p.arrays.prevLoss as Float32Array,
  };
}

export { alphaSAt } from './config.ts';
