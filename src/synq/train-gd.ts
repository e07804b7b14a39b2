/**
 * Gradient-descent baseline for MNIST OCR (paper Table 1's Grad. Desc. rows): full-batch GD,
 * constant learning rate, no momentum or regularisation. The CPU reference (trainGdMnist) and the
 * same run on WebGPU (trainGdMnistGpu, src/synq/gd-gpu.ts).
 */
import { loadMnist } from '../data/mnist.ts';
import type { GpuContext } from '../gpu/context.ts';
import { GdGpuRunner } from './gd-gpu.ts';
import { GD_MNIST_PRESET, validateGdMnistConfig, type GdMnistConfig } from './config.ts';
import { accumulateCeGradient } from './gradient.ts';
import { createForwardWorkspace, gatherRows, sparseRows, type ForwardWorkspace } from './mlp.ts';
import { evaluateMnist, mnistLayout, splitMnist } from './mnist-task.ts';
import { makeYielder, type SynqHooks } from './train-boundary.ts';

/** JSON-serialisable result of a GD run. */
export interface GdMnistSummary {
  task: 'gd-mnist';
  hidden: number;
  iterations: number;
  replicas: number;
  /** Index of the first replica (its split and init are those of that replica in a larger run). */
  firstReplica: number;
  /** How the weights started (GdInit). */
  init: GdMnistConfig['init'];
  validAccuracy: number[];
  validLoss: number[];
  /** Final full-training-set loss per replica. */
  trainLoss: number[];
  curve: { iteration: number; validAccuracy: number[]; trainLoss: number[] }[];
  wallSeconds: number;
  iterationsPerSecond: number;
}

export { gdInitialWeights } from './gd-init.ts';
import { gdInitialWeights } from './gd-init.ts';

/** What both GD trainers start from: the config, the data, the net, initial weights and the splits. */
function gdSetup(config: Partial<GdMnistConfig>) {
  const c: GdMnistConfig = { ...GD_MNIST_PRESET, ...config };
  validateGdMnistConfig(c);
  const data = loadMnist('train');
  const layout = mnistLayout(c.hidden);
  const R = c.replicas;
  const first = c.firstReplica ?? 0;
  const weights = gdInitialWeights(layout, c, R, first);
  const splits = Array.from({ length: R }, (_, r) => splitMnist(c.seed, first + r, c.validationFraction, c.maxSamples));
  return { c, data, layout, N: layout.numSynapses, R, weights, splits };
}

/** Trains R networks with full-batch GD (each replica: its own split and init, seeds as trainSynqMnist). */
export async function trainGdMnist(config: Partial<GdMnistConfig>, hooks: SynqHooks = {}): Promise<GdMnistSummary> {
  const { c, data, layout, N, R, weights, splits } = gdSetup(config);
  const chunk = 2500;
  const curve: GdMnistSummary['curve'] = [];
  const trainLoss = new Array<number>(R).fill(0);
  const yieldNow = makeYielder();
  // Each replica's training set as chunks of nonzero pixels, built once (the forward pass and the
  // layer-0 gradient read only the sparse rows; acts[0] is not kept).
  const chunks = splits.map((s) => {
    const list: { ws: ForwardWorkspace; labels: Uint8Array }[] = [];
    for (let i = 0; i < s.train.length; i += chunk) {
      const part = s.train.subarray(i, Math.min(s.train.length, i + chunk));
      const ws = createForwardWorkspace(layout, 1, part.length);
      gatherRows(data.x, data.dim, part, ws.acts[0]);
      ws.sparseInput = sparseRows(ws.acts[0], part.length, data.dim);
      ws.acts[0] = new Float32Array(0);
      const labels = new Uint8Array(part.length);
      for (let k = 0; k < part.length; k++) labels[k] = data.labels[part[k]];
      list.push({ ws, labels });
    }
    return list;
  });
  const t0 = performance.now();
  for (let t = 1; t <= c.iterations; t++) {
    for (let r = 0; r < R; r++) {
      const w = weights.subarray(r * N, (r + 1) * N);
      const train = splits[r].train;
      const grad = new Float64Array(N);
      let lossSum = 0;
      for (const { ws, labels } of chunks[r]) lossSum += accumulateCeGradient(layout, w, ws, labels, grad);
      trainLoss[r] = lossSum / train.length; // loss before this step
      const k = c.learningRate / train.length;
      for (let i = 0; i < N; i++) w[i] -= k * grad[i];
    }
    const evalNow = t % c.evalEvery === 0 || t === c.iterations;
    const acc = evalNow
      ? splits.map((s, r) => evaluateMnist(layout, weights.subarray(r * N, (r + 1) * N), data, s.valid).accuracy)
      : null;
    if (acc) curve.push({ iteration: t, validAccuracy: acc, trainLoss: trainLoss.slice() });
    if (hooks.onIteration) {
      for (let r = 0; r < R; r++) {
        const m: Record<string, number> = { iteration: t, loss: trainLoss[r] };
        if (acc) m.validAccuracy = acc[r];
        hooks.onIteration(m, r);
      }
    }
    await yieldNow();
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const final = splits.map((s, r) => evaluateMnist(layout, weights.subarray(r * N, (r + 1) * N), data, s.valid));
  return {
    task: 'gd-mnist',
    hidden: c.hidden,
    iterations: c.iterations,
    replicas: R,
    firstReplica: c.firstReplica ?? 0,
    init: c.init,
    validAccuracy: final.map((f) => f.accuracy),
    validLoss: final.map((f) => f.loss),
    trainLoss,
    curve,
    wallSeconds,
    iterationsPerSecond: c.iterations / wallSeconds,
  };
}

/**
 * trainGdMnist on WebGPU: the same config, splits, init and summary. One submit per evaluation
 * interval; the training loss (of the step before each evaluation) and the weights are read back
 * there, so `onIteration` reports every evalEvery-th step (the CPU trainer reports every step).
 */
export async function trainGdMnistGpu(ctx: GpuContext, config: Partial<GdMnistConfig>, hooks: SynqHooks = {}): Promise<GdMnistSummary> {
  const { c, data, layout, N, R, weights, splits } = gdSetup(config);
  const B = splits[0].train.length;
  if (splits.some((s) => s.train.length !== B)) throw new RangeError('every replica must have the same number of training samples');
  const idx = new Int32Array(R * B);
  splits.forEach((s, r) => idx.set(s.train, r * B));
  const run = new GdGpuRunner(ctx, { layout, replicas: R, weights, pool: data.x, labels: data.labels, idx, learningRate: c.learningRate });
  const curve: GdMnistSummary['curve'] = [];
  let trainLoss = new Array<number>(R).fill(0);
  let last = weights;
  const t0 = performance.now();
  try {
    for (let done = 0; done < c.iterations; ) {
      const n = Math.min(c.evalEvery - (done % c.evalEvery), c.iterations - done);
      run.submit(n);
      done += n;
      [last, trainLoss] = [await run.readWeights(), Array.from(await run.readLoss())];
      const acc = splits.map((s, r) => evaluateMnist(layout, last.subarray(r * N, (r + 1) * N), data, s.valid).accuracy);
      curve.push({ iteration: done, validAccuracy: acc, trainLoss: trainLoss.slice() });
      for (let r = 0; r < R; r++) hooks.onIteration?.({ iteration: done, loss: trainLoss[r], validAccuracy: acc[r] }, r);
    }
  } finally {
    run.destroy();
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const final = splits.map((s, r) => evaluateMnist(layout, last.subarray(r * N, (r + 1) * N), data, s.valid));
  return {
    task: 'gd-mnist', hidden: c.hidden, iterations: c.iterations, replicas: R, firstReplica: c.firstReplica ?? 0, init: c.init,
    validAccuracy: final.map((f) => f.accuracy), validLoss: final.map((f) => f.loss), trainLoss, curve,
    wallSeconds, iterationsPerSecond: c.iterations / wallSeconds,
  };
}
