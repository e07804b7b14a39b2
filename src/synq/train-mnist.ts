/**
 * Trainer for MNIST OCR with synaptic Q-learning (CPU reference of paper Table 1's Syn. RL rows).
 */
import { loadMnist } from '../data/mnist.ts';
import { MNIST_0HU_PRESET, MNIST_32HU_PRESET, validateSynqMnistConfig, type SynqMnistConfig } from './config.ts';
import { reduceLoss, softmaxCrossEntropyPerSample } from './loss.ts';
import { createForwardWorkspace, gatherRows, initMlpWeights, mlpForward, sparseRows } from './mlp.ts';
import { batchRng, drawBatch, evaluateMnist, failCheck, mnistLayout, splitMnist, type FailCheck } from './mnist-task.ts';
import { qTableToJson, type QTableJson } from './q-table.ts';
import { createSynqNetwork, resolvePolicyTable, synqStep, type SynqNetwork } from './synq-core.ts';
import { makeYielder, type SynqHooks } from './train-boundary.ts';
import { alphaSAt, checkResumable, checkResumeBatch, storedConfig, type SynqMnistState } from './mnist-checkpoint.ts';

/** JSON-serialisable result of an MNIST synaptic-RL run. */
export interface SynqMnistSummary {
  task: 'synq-mnist';
  hidden: number;
  iterations: number;
  replicas: number;
  trainPolicy: boolean;
  /** Final validation accuracy per replica. */
  validAccuracy: number[];
  /** Final validation cross-entropy per replica. */
  validLoss: number[];
  /** Final minibatch loss per replica. */
  batchLoss: number[];
  curve: { iteration: number; validAccuracy: number[]; batchLoss: number[] }[];
  /** The failed-start check, when it ran (null: the run ended before failCheckIteration, or it is 0). */
  failCheck: FailCheck | null;
  /** Iterations actually run (less than `iterations` when every replica failed the check). */
  iterationsRun: number;
  wallSeconds: number;
  iterationsPerSecond: number;
  table: QTableJson;
  /** Iteration of the checkpoint this run continued from (absent: it started fresh). */
  resumedFrom?: number;
}

/** Stopping and going on: where to start from and when to hand out checkpoints. */
export interface SynqRunControl {
  /** Continue this run (its config must match, except iterations / evalEvery / policy). */
  resume?: SynqMnistState;
  /** Hand out a checkpoint after every iteration t with t % checkpointEvery == 0 (0: only at the end). */
  checkpointEvery?: number;
  /** Receives each checkpoint (also after the last iteration run); awaited before training goes on. */
  onCheckpoint?: (s: SynqMnistState) => void | Promise<void>;
}

/** Whether iteration t ends with a checkpoint. */
export function checkpointDue(run: SynqRunControl, t: number, last: number): boolean {
  if (!run.onCheckpoint) return false;
  return t === last || ((run.checkpointEvery ?? 0) > 0 && t % run.checkpointEvery! === 0);
}

/**
 * Trains R networks 784-[hidden]-10 on MNIST with synaptic Q-learning. `config` overrides the
 * paper preset for its `hidden` (0: MNIST_0HU_PRESET, otherwise MNIST_32HU_PRESET).
 */
export async function trainSynqMnist(
  config: Partial<SynqMnistConfig>,
  hooks: SynqHooks = {},
  run: SynqRunControl = {},
): Promise<SynqMnistSummary> {
  const preset = (config.hidden ?? 0) > 0 ? MNIST_32HU_PRESET : MNIST_0HU_PRESET;
  const c: SynqMnistConfig = { ...preset, ...config };
  validateSynqMnistConfig(c);
  const trainPolicy = c.trainPolicy ?? c.policy === 'train';
  const from = run.resume;
  if (from) checkResumable(c, trainPolicy, from);
  const R = c.replicas;
  const data = loadMnist('train');
  const layout = mnistLayout(c.hidden);
  const N = layout.numSynapses;
  const splits = Array.from({ length: R }, (_, r) => splitMnist(c.seed, r, c.validationFraction, c.maxSamples));
  const rngs = Array.from({ length: R }, (_, r) => batchRng(c.seed, r));
  const B = Math.min(c.batchSize, ...splits.map((s) => s.train.length));

  const weights = from ? from.weights.slice() : initMlpWeights(layout, R, c.initWeightRange, c.seed);
  const net = createSynqNetwork(layout, R, weights, resolvePolicyTable(from ? 'train' : c.policy), c.biasStepScale);
  const ws = createForwardWorkspace(layout, R, B);
  const labels = new Uint8Array(R * B);
  const perSample = new Float32Array(R * B);
  const batchIdx = new Int32Array(R * B);
  const useBatch = (): void => {
    for (let r = 0; r < R; r++) {
      const idx = batchIdx.subarray(r * B, (r + 1) * B);
      gatherRows(data.x, data.dim, idx, ws.acts[0].subarray(r * B * data.dim, (r + 1) * B * data.dim));
      for (let b = 0; b < B; b++) labels[r * B + b] = data.labels[idx[b]];
    }
    ws.sparseInput = sparseRows(ws.acts[0], R * B, data.dim);
  };
  const newBatch = (): void => {
    for (let r = 0; r < R; r++) batchIdx.set(drawBatch(splits[r].train, B, rngs[r]), r * B);
    useBatch();
  };
  const evalLoss = (n: SynqNetwork): void => {
    const out = mlpForward(layout, n.weights, ws);
    softmaxCrossEntropyPerSample(R, B, 10, out, labels, perSample);
    reduceLoss(R, B, perSample, 'mean', n.newLoss);
  };
  if (from) {
    checkResumeBatch(from, R, B);
    batchIdx.set(from.batchIdx);
    useBatch();
    from.batchRngPositions.forEach((p, r) => rngs[r].seek(p));
    net.stateWords.set(from.stateWords);
    net.actionWords.set(from.actionWords);
    net.q.set(from.q);
    net.rewardCodes.set(from.rewardCodes);
    net.prevLoss.set(from.prevLoss);
  } else {
    newBatch();
    evalLoss(net);
    net.prevLoss.set(net.newLoss);
  }
  const start = (from?.iteration ?? 0) + 1;

  const params = {
    epsilon: c.epsilon,
    alphaS: alphaSAt(c, start),
    alphaQ: c.alphaQ,
    gamma: c.gamma,
    trainPolicy,
    tdRule: c.tdRule,
    seed: c.seed,
  };
  const validate = (): number[] =>
    splits.map((s, r) => evaluateMnist(layout, net.weights.subarray(r * N, (r + 1) * N), data, s.valid).accuracy);
  const curve: SynqMnistSummary['curve'] = from ? from.curve.map((p) => ({ ...p })) : [];
  const yieldNow = makeYielder();
  let check: FailCheck | null = from?.failCheck ?? null;
  let iterationsRun = start - 1;
  const wall0 = from?.wallSeconds ?? 0;
  const t0 = performance.now();
  const state = (t: number): SynqMnistState => ({
    iteration: t, config: storedConfig(c), trainPolicy, wallSeconds: wall0 + (performance.now() - t0) / 1000,
    batchRngPositions: rngs.map((g) => g.position), batchIdx: batchIdx.slice(), weights: net.weights.slice(),
    stateWords: net.stateWords.slice(), actionWords: net.actionWords.slice(), q: net.q.slice(), rewardCodes: net.rewardCodes.slice(),
    prevLoss: net.prevLoss.slice(), curve: curve.map((p) => ({ ...p })), failCheck: check,
  });
  const allFailed = () => check !== null && check.failed.every(Boolean);
  for (let t = start; t <= c.iterations && !allFailed(); t++) {
    if (t % c.batchInterval === 0) newBatch(); // reference: reshuffle the mask when i % interval == 0
    if (c.alphaSSwitchIteration > 0 && t === c.alphaSSwitchIteration) params.alphaS = c.alphaSSwitched;
    synqStep(net, t, params, evalLoss);
    iterationsRun = t;
    if (t === c.failCheckIteration) {
      check = failCheck(layout, net.weights, data, splits, t, c.failCheckAccuracy);
      hooks.onFailCheck?.(check);
    }
    const evalNow = t % c.evalEvery === 0 || t === c.iterations;
    const acc = evalNow ? validate() : null;
    if (acc) curve.push({ iteration: t, validAccuracy: acc, batchLoss: Array.from(net.newLoss) });
    if (hooks.onIteration) {
      for (let r = 0; r < R; r++) {
        const m: Record<string, number> = { iteration: t, loss: net.newLoss[r], reward: net.rewardCodes[r] - 1 };
        if (acc) m.validAccuracy = acc[r];
        hooks.onIteration(m, r);
      }
    }
    if (checkpointDue(run, t, allFailed() ? t : c.iterations)) await run.onCheckpoint!(state(t));
    await yieldNow();
  }
  const wallSeconds = wall0 + (performance.now() - t0) / 1000;
  const final = splits.map((s, r) => evaluateMnist(layout, net.weights.subarray(r * N, (r + 1) * N), data, s.valid));
  return {
    task: 'synq-mnist',
    hidden: c.hidden,
    iterations: c.iterations,
    replicas: R,
    trainPolicy,
    validAccuracy: final.map((f) => f.accuracy),
    validLoss: final.map((f) => f.loss),
    batchLoss: Array.from(net.newLoss),
    curve,
    failCheck: check,
    iterationsRun,
    wallSeconds,
    iterationsPerSecond: iterationsRun / wallSeconds,
    table: qTableToJson(net.q, 0),
    ...(from ? { resumedFrom: from.iteration } : {}),
  };
}
