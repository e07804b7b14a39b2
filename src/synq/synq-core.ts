/**
 * One synaptic-RL iteration over R replicas, in the order of the reference code:
 *   1. selectActions   (every synapse picks a_t from its state, epsilon-greedy)
 *   2. applyActions    (w += (a_t - 1) * alpha_s * stepScale)
 *   3. task loss       (forward + per-sample loss + reduction; supplied by the task)
 *   4. computeRewards  (R_t = +1 iff the loss fell strictly)
 *   5. TD update       (train mode only; reads the pre-shift state)
 *   6. shiftState      (state <- (a_{t-1}, a_t, R_{t-1}, R_t))
 * Each numbered step is one GPU dispatch (the TD update is two: count visits, apply).
 */
import type { SynqPolicy, TdRule } from './config.ts';
import type { MlpLayout } from './mlp.ts';
import { synapseStepScale } from './mlp.ts';
import { computeRewards } from './loss.ts';
import { initActionWords, initStateWords, shiftState } from './packed-state.ts';
import { applyActions, selectActions } from './policy-kernels.ts';
import { goldenQTable, qTableFromJson, replicateTable, TABLE_SIZE, zeroQTable } from './q-table.ts';
import { applyTdUpdate, countVisits, tdUpdateSequential } from './td-update.ts';

/** All state of R replica networks and their tables. */
export interface SynqNetwork {
  layout: MlpLayout;
  replicas: number;
  /** R*N weights. */
  weights: Float32Array;
  /** Packed state bytes (see packed-state.ts), R*ceil(N/4) words. */
  stateWords: Uint32Array;
  /** Packed pending actions, same layout. */
  actionWords: Uint32Array;
  /** R tables of 243. */
  q: Float32Array;
  /** Second table buffer for the batched TD update. */
  qScratch: Float32Array;
  /** Visit counts per table entry (R*243). */
  counts: Uint32Array;
  /** Reward code per replica (0 = -1, 2 = +1; 1 before the first reward). */
  rewardCodes: Uint8Array;
  /** Previous loss per replica. */
  prevLoss: Float32Array;
  /** Loss of the current iteration per replica (written by the task's loss function). */
  newLoss: Float32Array;
  /** Per-synapse step multiplier (biases: biasStepScale). */
  stepScale: Float32Array;
}

/** Hyperparameters of one iteration. */
export interface SynqStepParams {
  epsilon: number;
  alphaS: number;
  alphaQ: number;
  gamma: number;
  trainPolicy: boolean;
  tdRule: TdRule;
  seed: number;
}

/** Resolves a policy to one flat table of 243. */
export function resolvePolicyTable(policy: SynqPolicy): Float32Array {
  if (policy === 'golden') return goldenQTable();
  if (policy === 'train') return zeroQTable();
  if (policy instanceof Float32Array) return policy.slice(0, TABLE_SIZE);
  return qTableFromJson(policy, 'policy');
}

/** Builds the replica state around given initial weights; every replica starts from `table`. */
export function createSynqNetwork(
  layout: MlpLayout,
  replicas: number,
  weights: Float32Array,
  table: Float32Array,
  biasStepScale: number,
): SynqNetwork {
  const N = layout.numSynapses;
  if (weights.length !== replicas * N) throw new RangeError(`weights: expected ${replicas * N}, got ${weights.length}`);
  return {
    layout,
    replicas,
    weights,
    stateWords: initStateWords(replicas, N),
    actionWords: initActionWords(replicas, N),
    q: replicateTable(table, replicas),
    qScratch: new Float32Array(replicas * TABLE_SIZE),
    counts: new Uint32Array(replicas * TABLE_SIZE),
    rewardCodes: new Uint8Array(replicas).fill(1),
    prevLoss: new Float32Array(replicas),
    newLoss: new Float32Array(replicas),
    stepScale: synapseStepScale(layout, biasStepScale),
  };
}

/**
 * Runs iteration t (1-based). `evalLoss(net)` must compute the current batch loss of every replica
 * into net.newLoss. Before the first call set net.prevLoss to the initial loss.
 */
export function synqStep(
  net: SynqNetwork,
  t: number,
  p: SynqStepParams,
  evalLoss: (net: SynqNetwork) => void,
): void {
  const R = net.replicas;
  const N = net.layout.numSynapses;
  selectActions(R, N, net.stateWords, net.q, net.actionWords, p.epsilon, p.seed, t);
  applyActions(R, N, net.weights, net.actionWords, net.stepScale, p.alphaS);
  evalLoss(net);
  computeRewards(R, net.newLoss, net.prevLoss, net.rewardCodes);
  if (p.trainPolicy) {
    if (p.tdRule === 'sequential') {
      tdUpdateSequential(R, N, net.stateWords, net.actionWords, net.q, net.rewardCodes, p.alphaQ, p.gamma);
    } else {
      net.counts.fill(0);
      countVisits(R, N, net.stateWords, net.actionWords, net.counts);
      applyTdUpdate(R, net.q, net.qScratch, net.counts, net.rewardCodes, p.alphaQ, p.gamma, p.tdRule);
      const tmp = net.q;
      net.q = net.qScratch;
      net.qScratch = tmp;
    }
  }
  shiftState(R, N, net.stateWords, net.actionWords, net.rewardCodes);
}

/** Summary statistics of a list of numbers (population std, as numpy's default). */
export function stats(xs: number[]): { min: number; max: number; mean: number; std: number } {
  const n = xs.length;
  if (n === 0) return { min: Number.NaN, max: Number.NaN, mean: Number.NaN, std: Number.NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return { min: Math.min(...xs), max: Math.max(...xs), mean, std };
}
