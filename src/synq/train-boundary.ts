/**
 * Trainer for the 2D decision-boundary task with synaptic Q-learning (CPU reference).
 */
import type { FailCheck } from './mnist-task.ts';
import { BOUNDARY_PRESET, validateSynqBoundaryConfig, type SynqBoundaryConfig } from './config.ts';
import { boundaryLayout, makeBoundaryData } from './boundary-task.ts';
import { reduceLoss, signAccuracy, squaredErrorPerSample } from './loss.ts';
import { createForwardWorkspace, initMlpWeights, mlpForward } from './mlp.ts';
import { qTableToJson, type QTableJson } from './q-table.ts';
import { createSynqNetwork, resolvePolicyTable, synqStep, type SynqNetwork } from './synq-core.ts';

/** Per-iteration callbacks (the CLI draws progress and writes metrics.jsonl from these). */
export interface SynqHooks {
  onIteration?(m: Record<string, number>, replica: number): void;
  /** MNIST: the failed-start check ran (see SynqMnistConfig.failCheckIteration). */
  onFailCheck?(check: FailCheck): void;
}

/** JSON-serialisable result of a boundary run. */
export interface SynqBoundarySummary {
  task: 'synq-boundary';
  iterations: number;
  replicas: number;
  trainPolicy: boolean;
  /** Sign-agreement accuracy on the training points at the end, per replica. */
  finalAccuracy: number[];
  /** Accuracy of the untrained networks, per replica. */
  initialAccuracy: number[];
  /** Fraction of points in the target's majority class (the constant-classifier baseline), per replica. */
  majorityFraction: number[];
  /** Initial loss, per replica. */
  initialLoss: number[];
  /** Final loss (norm / N), per replica. */
  finalLoss: number[];
  /** Accuracy at each evaluation (rows: evaluation, columns: replica). */
  curve: { iteration: number; accuracy: number[]; loss: number[] }[];
  /** First evaluated iteration at which accuracy reached each threshold, per replica (null: never). */
  firstReached: Record<string, (number | null)[]>;
  wallSeconds: number;
  iterationsPerSecond: number;
  /** Replica 0's table at the end (golden layout). */
  table: QTableJson;
  /** Replica 0's fraction of positive rewards over the run. */
  positiveRewardFraction: number;
}

/** Thresholds reported in `firstReached`. */
export const BOUNDARY_THRESHOLDS = [0.8, 0.9, 0.95, 0.977];

/** Yields to the event loop about every 100 ms so progress output can render. */
export function makeYielder(): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (Date.now() - last < 100) return;
    last = Date.now();
    await new Promise((res) => setTimeout(res, 0));
  };
}

/**
 * Trains R fresh 2-H-1 tanh networks to match R random target boundaries.
 * `config` fields override BOUNDARY_PRESET (paper Fig. 1b settings).
 */
export async function trainSynqBoundary(
  config: Partial<SynqBoundaryConfig>,
  hooks: SynqHooks = {},
): Promise<SynqBoundarySummary> {
  const c: SynqBoundaryConfig = { ...BOUNDARY_PRESET, ...config };
  validateSynqBoundaryConfig(c);
  const trainPolicy = c.trainPolicy ?? c.policy === 'train';
  const R = c.replicas;
  const P = c.points;
  const layout = boundaryLayout(c.hidden);
  const data = makeBoundaryData(R, c.hidden, P, c.inputRange, c.targetWeightRange, c.seed);
  const weights = initMlpWeights(layout, R, c.initWeightRange, c.seed);
  const net = createSynqNetwork(layout, R, weights, resolvePolicyTable(c.policy), c.biasStepScale);

  const ws = createForwardWorkspace(layout, R, P);
  ws.acts[0].set(data.x);
  const perSample = new Float32Array(R * P);
  const evalLoss = (n: SynqNetwork): void => {
    const out = mlpForward(layout, n.weights, ws);
    squaredErrorPerSample(R, P, 1, out, data.y, perSample);
    reduceLoss(R, P, perSample, 'euclidean', n.newLoss);
  };
  evalLoss(net);
  net.prevLoss.set(net.newLoss);
  const initialLoss = Array.from(net.newLoss);
  const initialAccuracy = signAccuracy(R, P, ws.acts[layout.shape.sizes.length - 1], data.y);
  const majorityFraction: number[] = [];
  for (let r = 0; r < R; r++) {
    let pos = 0;
    for (let i = 0; i < P; i++) if (data.y[r * P + i] > 0) pos++;
    majorityFraction.push(Math.max(pos, P - pos) / P);
  }

  const params = {
    epsilon: c.epsilon,
    alphaS: c.alphaS,
    alphaQ: c.alphaQ,
    gamma: c.gamma,
    trainPolicy,
    tdRule: c.tdRule,
    seed: c.seed,
  };
  const curve: SynqBoundarySummary['curve'] = [];
  const firstReached: Record<string, (number | null)[]> = {};
  for (const th of BOUNDARY_THRESHOLDS) firstReached[String(th)] = new Array(R).fill(null);
  let positive = 0;
  const yieldNow = makeYielder();
  const t0 = performance.now();
  for (let t = 1; t <= c.iterations; t++) {
    synqStep(net, t, params, evalLoss);
    if (net.rewardCodes[0] === 2) positive++;
    const evalNow = t % c.evalEvery === 0 || t === c.iterations;
    const acc = evalNow ? signAccuracy(R, P, ws.acts[layout.shape.sizes.length - 1], data.y) : null;
    if (acc) {
      curve.push({ iteration: t, accuracy: acc, loss: Array.from(net.newLoss) });
      for (const th of BOUNDARY_THRESHOLDS) {
        const row = firstReached[String(th)];
        for (let r = 0; r < R; r++) if (row[r] === null && acc[r] >= th) row[r] = t;
      }
    }
    if (hooks.onIteration) {
      for (let r = 0; r < R; r++) {
        const m: Record<string, number> = { iteration: t, loss: net.newLoss[r], reward: net.rewardCodes[r] - 1 };
        if (acc) m.accuracy = acc[r];
        hooks.onIteration(m, r);
      }
    }
    await yieldNow();
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const last = curve[curve.length - 1];
  return {
    task: 'synq-boundary',
    iterations: c.iterations,
    replicas: R,
    trainPolicy,
    finalAccuracy: last.accuracy,
    initialAccuracy,
    majorityFraction,
    initialLoss,
    finalLoss: last.loss,
    curve,
    firstReached,
    wallSeconds,
    iterationsPerSecond: c.iterations / wallSeconds,
    table: qTableToJson(net.q, 0),
    positiveRewardFraction: positive / c.iterations,
  };
}
