/**
 * WebGPU trainers of the boundary and MNIST tasks: the same configs, data, seeds and summaries as
 * the CPU trainers (train-boundary.ts, train-mnist.ts), with every iteration on the device
 * (gpu-runner.ts). One submit per evaluation interval (cut also at minibatch redraws and the
 * alpha_s switch); metrics come back through a ReadbackRing the loop awaits only when all three
 * staging buffers are in flight. Accuracy is computed on the CPU from the read-back outputs
 * (boundary) or weights (MNIST validation set).
 */
import type { GpuContext } from '../gpu/context.ts';
import { ReadbackRing } from '../gpu/readback.ts';
import { boundaryLayout, makeBoundaryData } from './boundary-task.ts';
import { BOUNDARY_PRESET, MNIST_0HU_PRESET, MNIST_32HU_PRESET, validateSynqBoundaryConfig, validateSynqMnistConfig, type SynqBoundaryConfig, type SynqMnistConfig, type TdRule } from './config.ts';
import { signAccuracy } from './loss.ts';
import { initMlpWeights, synapseStepScale } from './mlp.ts';
import { batchRng, drawBatch, evaluateMnist, failCheck, loadMnist, mnistLayout, splitMnist, type FailCheck } from './mnist-task.ts';
import { qTableToJson } from './q-table.ts';
import { resolvePolicyTable } from './synq-core.ts';
import { SynqGpuRunner } from './gpu-runner.ts';
import { BOUNDARY_THRESHOLDS, type SynqBoundarySummary, type SynqHooks } from './train-boundary.ts';
import { checkpointDue, type SynqMnistSummary, type SynqRunControl } from './train-mnist.ts';
import { alphaSAt, checkResumable, checkResumeBatch, storedConfig, type SynqMnistState } from './mnist-checkpoint.ts';

function gpuRule(rule: TdRule): 'count' | 'mean' {
  if (rule === 'sequential') throw new RangeError(`tdRule 'sequential' is CPU only (synapse-by-synapse); use 'count' or 'mean' on webgpu`);
  return rule;
}

/** Boundary task on WebGPU (same summary as trainSynqBoundary; `positiveRewardFraction` of replica 0). */
export async function trainSynqBoundaryGpu(ctx: GpuContext, config: Partial<SynqBoundaryConfig>, hooks: SynqHooks = {}): Promise<SynqBoundarySummary> {
  const c: SynqBoundaryConfig = { ...BOUNDARY_PRESET, ...config };
  validateSynqBoundaryConfig(c);
  const trainPolicy = c.trainPolicy ?? c.policy === 'train';
  const R = c.replicas, P = c.points;
  const layout = boundaryLayout(c.hidden);
  const data = makeBoundaryData(R, c.hidden, P, c.inputRange, c.targetWeightRange, c.seed);
  const weights = initMlpWeights(layout, R, c.initWeightRange, c.seed);
  const run = new SynqGpuRunner(ctx, {
    layout, replicas: R, batch: P, weights, table: resolvePolicyTable(c.policy), stepScale: synapseStepScale(layout, c.biasStepScale),
    seed: c.seed, epsilon: c.epsilon, alphaS: c.alphaS, alphaQ: c.alphaQ, gamma: c.gamma, trainPolicy, tdRule: gpuRule(c.tdRule),
    data: { kind: 'regression', x: data.x, targets: data.y },
  });
  try {
    run.initLoss();
    const [out0, loss0] = [await run.readOutputs(), await run.readLoss()];
    const initialAccuracy = signAccuracy(R, P, out0, data.y);
    const majorityFraction: number[] = [];
    for (let r = 0; r < R; r++) {
      let pos = 0;
      for (let i = 0; i < P; i++) if (data.y[r * P + i] > 0) pos++;
      majorityFraction.push(Math.max(pos, P - pos) / P);
    }
    const ring = new ReadbackRing(ctx, [
      { buffer: run.acts[run.acts.length - 1], byteLength: R * P * 4 },
      { buffer: run.buf.loss, byteLength: R * 4 },
      { buffer: run.buf.rewardCodes, byteLength: R * 4 },
      { buffer: run.buf.positives, byteLength: R * 4 },
    ]);
    const curve: SynqBoundarySummary['curve'] = [];
    const firstReached: Record<string, (number | null)[]> = {};
    for (const th of BOUNDARY_THRESHOLDS) firstReached[String(th)] = new Array(R).fill(null);
    let positives = 0;
    const t0 = performance.now();
    for (let done = 0; done < c.iterations; ) {
      const n = Math.min(c.evalEvery - (done % c.evalEvery), c.iterations - done);
      await ring.waitForSlot();
      let staging: GPUBuffer | undefined;
      run.submit(n, (enc) => (staging = ring.request(enc)));
      done += n;
      const t = done;
      ring.commit(staging!, ([out, loss, rc, pos]) => {
        const acc = signAccuracy(R, P, new Float32Array(out), data.y);
        const l = Array.from(new Float32Array(loss));
        curve.push({ iteration: t, accuracy: acc, loss: l });
        for (const th of BOUNDARY_THRESHOLDS) {
          const row = firstReached[String(th)];
          for (let r = 0; r < R; r++) if (row[r] === null && acc[r] >= th) row[r] = t;
        }
        positives = new Uint32Array(pos)[0];
        const codes = new Uint32Array(rc);
        for (let r = 0; r < R; r++) hooks.onIteration?.({ iteration: t, loss: l[r], reward: codes[r] - 1, accuracy: acc[r] }, r);
      });
    }
    await ring.drain();
    ring.destroy();
    const wallSeconds = (performance.now() - t0) / 1000;
    const table = await run.readTables();
    const last = curve[curve.length - 1];
    return {
      task: 'synq-boundary', iterations: c.iterations, replicas: R, trainPolicy,
      finalAccuracy: last.accuracy, initialAccuracy, majorityFraction, initialLoss: Array.from(loss0.subarray(0, R)), finalLoss: last.loss,
      curve, firstReached, wallSeconds, iterationsPerSecond: c.iterations / wallSeconds, table: qTableToJson(table, 0),
      positiveRewardFraction: positives / c.iterations,
    };
  } finally {
    run.destroy();
  }
}

/** MNIST on WebGPU (same data, splits, batches and summary as trainSynqMnist). */
export async function trainSynqMnistGpu(
  ctx: GpuContext,
  config: Partial<SynqMnistConfig>,
  hooks: SynqHooks = {},
  control: SynqRunControl = {},
): Promise<SynqMnistSummary> {
  const preset = (config.hidden ?? 0) > 0 ? MNIST_32HU_PRESET : MNIST_0HU_PRESET;
  const c: SynqMnistConfig = { ...preset, ...config };
  validateSynqMnistConfig(c);
  const trainPolicy = c.trainPolicy ?? c.policy === 'train';
  const from = control.resume;
  if (from) checkResumable(c, trainPolicy, from);
  const R = c.replicas;
  const data = loadMnist('train');
  const layout = mnistLayout(c.hidden);
  const N = layout.numSynapses;
  const splits = Array.from({ length: R }, (_, r) => splitMnist(c.seed, r, c.validationFraction, c.maxSamples));
  const rngs = Array.from({ length: R }, (_, r) => batchRng(c.seed, r));
  const B = Math.min(c.batchSize, ...splits.map((s) => s.train.length));
  const drawAll = (): Int32Array => {
    const idx = new Int32Array(R * B);
    for (let r = 0; r < R; r++) idx.set(drawBatch(splits[r].train, B, rngs[r]), r * B);
    return idx;
  };
  if (from) checkResumeBatch(from, R, B);
  from?.batchRngPositions.forEach((p, r) => rngs[r].seek(p));
  let batchIdx = from ? from.batchIdx.slice() : drawAll();
  const weights = from ? from.weights.slice() : initMlpWeights(layout, R, c.initWeightRange, c.seed);
  const start = (from?.iteration ?? 0) + 1;
  const run = new SynqGpuRunner(ctx, {
    layout, replicas: R, batch: B, weights, table: resolvePolicyTable(from ? 'train' : c.policy), stepScale: synapseStepScale(layout, c.biasStepScale),
    seed: c.seed, epsilon: c.epsilon, alphaS: alphaSAt(c, start), alphaQ: c.alphaQ, gamma: c.gamma, trainPolicy, tdRule: gpuRule(c.tdRule),
    data: { kind: 'classification', pool: data.x, labels: data.labels, idx: batchIdx },
  });
  try {
    if (from) run.restore(from, from.iteration);
    else run.initLoss();
    const ring = new ReadbackRing(ctx, [
      { buffer: run.buf.weights, byteLength: R * N * 4 },
      { buffer: run.buf.loss, byteLength: R * 4 },
      { buffer: run.buf.rewardCodes, byteLength: R * 4 },
    ]);
    const curve: SynqMnistSummary['curve'] = from ? from.curve.map((p) => ({ ...p })) : [];
    let lastWeights = from ? from.weights.slice() : new Float32Array(0);
    let lastLoss: number[] = from ? Array.from(from.prevLoss) : [];
    let check: FailCheck | null = from?.failCheck ?? null;
    const wall0 = from?.wallSeconds ?? 0;
    const t0 = performance.now();
    let done = start - 1;
    let checkSettled = false;
    const allFailed = () => check !== null && (check as FailCheck).failed.every(Boolean);
    const every = control.checkpointEvery ?? 0;
    while (done < c.iterations) {
      if (!checkSettled && c.failCheckIteration > 0 && done >= c.failCheckIteration) {
        await ring.drain(); // once: the check's readback must have landed before deciding
        checkSettled = true;
        if (allFailed()) break;
      }
      const t = done + 1; // next iteration
      if (t % c.batchInterval === 0) run.setBatch((batchIdx = drawAll())); // as the CPU trainer: before iteration t
      if (c.alphaSSwitchIteration > 0 && t === c.alphaSSwitchIteration) run.setAlphaS(c.alphaSSwitched);
      // Stop before the next redraw / switch so they land between submits.
      let n = Math.min(c.evalEvery - (done % c.evalEvery), c.iterations - done);
      const nextRedraw = (Math.floor(t / c.batchInterval) + 1) * c.batchInterval;
      n = Math.min(n, nextRedraw - t);
      if (c.alphaSSwitchIteration > t) n = Math.min(n, c.alphaSSwitchIteration - t);
      if (c.failCheckIteration >= t) n = Math.min(n, c.failCheckIteration - t + 1); // land on the check
      if (every > 0 && control.onCheckpoint) n = Math.min(n, every - (done % every)); // land on checkpoints
      await ring.waitForSlot();
      let staging: GPUBuffer | undefined;
      run.submit(n, (enc) => (staging = ring.request(enc)));
      done += n;
      const at = done;
      const evalNow = at % c.evalEvery === 0 || at === c.iterations;
      ring.commit(staging!, ([w, loss, rc]) => {
        lastWeights = new Float32Array(w);
        lastLoss = Array.from(new Float32Array(loss));
        if (at === c.failCheckIteration) {
          check = failCheck(layout, lastWeights, data, splits, at, c.failCheckAccuracy);
          hooks.onFailCheck?.(check);
        }
        if (!evalNow) return;
        const acc = splits.map((s, r) => evaluateMnist(layout, lastWeights.subarray(r * N, (r + 1) * N), data, s.valid).accuracy);
        curve.push({ iteration: at, validAccuracy: acc, batchLoss: lastLoss });
        const codes = new Uint32Array(rc);
        for (let r = 0; r < R; r++) hooks.onIteration?.({ iteration: at, loss: lastLoss[r], reward: codes[r] - 1, validAccuracy: acc[r] }, r);
      });
      // A checkpoint is due here, or the start check may end the run here (then it is the last one).
      if (checkpointDue(control, at, c.iterations) || (control.onCheckpoint && at === c.failCheckIteration)) {
        await ring.drain(); // the curve and the start check up to `at` have landed
        if (checkpointDue(control, at, allFailed() ? at : c.iterations)) {
          const snap = await run.snapshot(); // nothing is queued after this chunk: the state after iteration `at`
          const s: SynqMnistState = {
            ...snap, iteration: at, config: storedConfig(c), trainPolicy, wallSeconds: wall0 + (performance.now() - t0) / 1000,
            batchRngPositions: rngs.map((g) => g.position), batchIdx: Int32Array.from(batchIdx), curve: curve.map((p) => ({ ...p })), failCheck: check,
          };
          await control.onCheckpoint!(s);
        }
      }
    }
    await ring.drain();
    ring.destroy();
    const wallSeconds = wall0 + (performance.now() - t0) / 1000;
    const table = await run.readTables();
    const final = splits.map((s, r) => evaluateMnist(layout, lastWeights.subarray(r * N, (r + 1) * N), data, s.valid));
    return {
      task: 'synq-mnist', hidden: c.hidden, iterations: c.iterations, replicas: R, trainPolicy,
      validAccuracy: final.map((f) => f.accuracy), validLoss: final.map((f) => f.loss), batchLoss: lastLoss, curve,
      failCheck: check, iterationsRun: done, wallSeconds, iterationsPerSecond: done / wallSeconds, table: qTableToJson(table, 0),
      ...(from ? { resumedFrom: from.iteration } : {}),
    };
  } finally {
    run.destroy();
  }
}
