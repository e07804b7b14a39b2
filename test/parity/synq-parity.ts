/**
 * Synaptic Q-learning kernels on the GPU vs their CPU twins (src/synq/*): per kernel on seeded
 * random inputs, and whole iterations of the boundary task (train-policy mode).
 */
import type { GpuContext } from '../../src/gpu/context.ts';
import { readF32, readU32 } from '../../src/gpu/readback.ts';
import { DeviceClock } from '../../src/kernels/clock.ts';
import { SynqLossRewardKernel } from '../../src/kernels/synq-loss-reward.ts';
import { lossStride } from '../../src/kernels/synq-sample-loss.ts';
import { SynqSelectApplyKernel } from '../../src/kernels/synq-select-apply.ts';
import { SynqShiftCountKernel } from '../../src/kernels/synq-shift-count.ts';
import { SynqTdKernel } from '../../src/kernels/synq-td.ts';
import { CounterRng, Stream } from '../../src/rng/counter-rng.ts';
import {
  applyActions, applyTdUpdate, computeRewards, countVisits, createForwardWorkspace, createSynqNetwork, goldenQTable,
  initMlpWeights, makeBoundaryData, mlpForward, mlpLayout, mnistLayout, reduceLoss, selectActions, shiftState,
  softmaxCrossEntropyPerSample, squaredErrorPerSample, synapseStepScale, synqStep, TABLE_SIZE, wordsPerReplica,
  zeroQTable, type SynqNetwork,
} from '../../src/synq/index.ts';
import { SynqGpuRunner } from '../../src/synq/gpu-runner.ts';
import type { ParityReport } from './rng-parity.ts';

const rng = (agent: number) => new CounterRng(4242, Stream.test, agent);

/** Random state/action words with codes in 0..2 (rewards included). */
function randomWords(n: number, agent: number): Uint32Array {
  const g = rng(agent);
  const w = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let x = 0;
    for (let k = 0; k < 4; k++) {
      const b = (g.int(3) << 6) | (g.int(3) << 4) | (g.int(3) << 2) | g.int(3);
      x |= b << (8 * k);
    }
    w[i] = x >>> 0;
  }
  return w;
}
const randomActionWords = (n: number, agent: number): Uint32Array => {
  const g = rng(agent);
  return Uint32Array.from({ length: n }, () => (g.int(3) | (g.int(3) << 8) | (g.int(3) << 16) | (g.int(3) << 24)) >>> 0);
};

/** synq-select-apply: actions (exact) and weights (exact: one correctly rounded add). */
export async function synqSelectParity(ctx: GpuContext): Promise<ParityReport> {
  const R = 3, N = 4099, W = wordsPerReplica(N), t = 17, seed = 9, eps = 0.25, alphaS = 0.001;
  const state = randomWords(R * W, 1);
  const q = new Float32Array(R * TABLE_SIZE);
  const g = rng(2);
  for (let i = 0; i < q.length; i++) q[i] = g.int(4) === 0 ? 0 : g.range(-1, 1); // zeros exercise ties
  const weights = new Float32Array(R * N).map(() => g.range(-0.1, 0.1));
  const scale = new Float32Array(N).map((_, i) => (i % 7 === 0 ? 2 : 1));
  const k = new SynqSelectApplyKernel(ctx, R, N, { seed, stream: Stream.exploration, epsilon: eps, alphaS });
  const clock = new DeviceClock(ctx, t);
  const b = {
    q: ctx.createBufferFrom('p:q', q), stepScale: ctx.createBufferFrom('p:s', scale), clock: clock.buffer,
    stateWords: ctx.createBufferFrom('p:st', state), actionWords: ctx.createBuffer('p:a', R * W * 4), weights: ctx.createBufferFrom('p:w', weights),
  };
  try {
    const group = k.group(b);
    const enc = ctx.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    k.encode(pass, group);
    pass.end();
    ctx.device.queue.submit([enc.finish()]);
    const [aw, w] = [await readU32(ctx, b.actionWords), await readF32(ctx, b.weights)];
    const cpuA = new Uint32Array(R * W);
    selectActions(R, N, state, q, cpuA, eps, seed, t);
    applyActions(R, N, weights, cpuA, scale, alphaS);
    let mism = 0, maxAbs = 0;
    for (let i = 0; i < R * W; i++) if (aw[i] !== cpuA[i]) mism++;
    for (let i = 0; i < R * N; i++) maxAbs = Math.max(maxAbs, Math.abs(w[i] - weights[i]));
    let moved = 0;
    for (let i = 0; i < R * N; i++) if (w[i] !== weights[i]) moved++;
    return { name: 'synq-select-apply', count: R * W + R * N, exactMismatches: mism + moved, maxAbsError: maxAbs };
  } finally {
    k.destroy();
    clock.destroy();
    for (const x of [b.q, b.stepScale, b.stateWords, b.actionWords, b.weights]) x.destroy();
  }
}

/** synq-shift-count (exact) and synq-td (floats: f32 pow differs by ~ulps). */
export async function synqShiftTdParity(ctx: GpuContext, rule: 'count' | 'mean' = 'count'): Promise<ParityReport> {
  const R = 3, N = 5001, W = wordsPerReplica(N), alphaQ = 0.01, gamma = 0.9;
  const state = randomWords(R * W, 3);
  const actions = randomActionWords(R * W, 4);
  const codes = new Uint8Array([0, 2, 2]);
  const g = rng(5);
  const q = new Float32Array(R * TABLE_SIZE).map(() => g.range(-2, 2));
  const shift = new SynqShiftCountKernel(ctx, R, N, true);
  const td = new SynqTdKernel(ctx, R, alphaQ, gamma, rule);
  const b = {
    actionWords: ctx.createBufferFrom('p:a', actions), rewardCodes: ctx.createBufferFrom('p:rc', Uint32Array.from(codes)),
    stateWords: ctx.createBufferFrom('p:s', state), counts: ctx.createBuffer('p:c', R * TABLE_SIZE * 4),
    qOld: ctx.createBufferFrom('p:q', q), qNew: ctx.createBuffer('p:qn', R * TABLE_SIZE * 4),
  };
  try {
    const enc = ctx.device.createCommandEncoder();
    enc.clearBuffer(b.counts);
    const pass = enc.beginComputePass();
    shift.encode(pass, shift.group(b));
    pass.end();
    ctx.device.queue.submit([enc.finish()]);
    const gpuCounts = await readU32(ctx, b.counts);
    const enc2 = ctx.device.createCommandEncoder();
    const pass2 = enc2.beginComputePass();
    td.encode(pass2, td.group(b));
    pass2.end();
    ctx.device.queue.submit([enc2.finish()]);
    const [st, qn, cleared] = [await readU32(ctx, b.stateWords), await readF32(ctx, b.qNew), await readU32(ctx, b.counts)];
    const counts = new Uint32Array(R * TABLE_SIZE);
    countVisits(R, N, state, actions, counts);
    const cpuQ = new Float32Array(R * TABLE_SIZE);
    applyTdUpdate(R, q, cpuQ, counts, codes, alphaQ, gamma, rule);
    shiftState(R, N, state, actions, codes);
    let mism = 0, maxAbs = 0;
    for (let i = 0; i < counts.length; i++) if (counts[i] !== gpuCounts[i] || cleared[i] !== 0) mism++;
    for (let i = 0; i < st.length; i++) if (st[i] !== state[i]) mism++;
    for (let i = 0; i < cpuQ.length; i++) maxAbs = Math.max(maxAbs, Math.abs(qn[i] - cpuQ[i]));
    return { name: `synq-shift-count + synq-td (${rule})`, count: 2 * counts.length + st.length + cpuQ.length, exactMismatches: mism, maxAbsError: maxAbs };
  } finally {
    shift.destroy();
    td.destroy();
    for (const x of Object.values(b)) x.destroy();
  }
}

/** synq-loss-reward, serial and parallel tree, on identical per-sample losses: loss (mean: exact; euclidean: sqrt to 1 ulp) and rewards (exact). */
export async function synqLossRewardParity(ctx: GpuContext): Promise<ParityReport> {
  const R = 8, B = 1000, P = lossStride(B);
  const g = rng(6);
  let mism = 0, maxAbs = 0, count = 0;
  for (const [mode, parallel] of [['mean', false], ['euclidean', false], ['mean', true], ['euclidean', true]] as const) {
    const per = new Float32Array(R * B).map(() => g.range(0, 3));
    const padded = new Float32Array(R * P).fill(7); // garbage in the padding: the kernel zeroes it
    for (let r = 0; r < R; r++) padded.set(per.subarray(r * B, (r + 1) * B), r * P);
    const cpuLoss = new Float32Array(R);
    reduceLoss(R, B, per, mode, cpuLoss);
    const prev = cpuLoss.map((l, r) => (r % 3 === 0 ? l : r % 3 === 1 ? l * 1.001 : l * 0.999)); // ties included
    const k = new SynqLossRewardKernel(ctx, R, B, mode, parallel);
    const lossInit = new Float32Array(2 * R);
    lossInit.set(prev, R);
    const b = {
      perSample: ctx.createBufferFrom('p:ps', padded), loss: ctx.createBufferFrom('p:l', lossInit),
      rewardCodes: ctx.createBufferFrom('p:rc', new Uint32Array(R).fill(1)), positives: ctx.createBuffer('p:pos', R * 4),
    };
    try {
      const enc = ctx.device.createCommandEncoder();
      const pass = enc.beginComputePass();
      k.encode(pass, k.group(b));
      pass.end();
      ctx.device.queue.submit([enc.finish()]);
      const [l, rc, pos] = [await readF32(ctx, b.loss), await readU32(ctx, b.rewardCodes), await readU32(ctx, b.positives)];
      const codes = new Uint8Array(R);
      const prevCpu = prev.slice();
      computeRewards(R, cpuLoss, prevCpu, codes);
      for (let r = 0; r < R; r++) {
        if (rc[r] !== codes[r] || pos[r] !== (codes[r] === 2 ? 1 : 0) || l[R + r] !== l[r]) mism++;
        if (mode === 'mean' && l[r] !== cpuLoss[r]) mism++;
        maxAbs = Math.max(maxAbs, Math.abs(l[r] - cpuLoss[r]));
      }
      count += 2 * R;
    } finally {
      k.destroy();
      for (const x of Object.values(b)) x.destroy();
    }
  }
  return { name: 'synq-loss-reward', count, exactMismatches: mism, maxAbsError: maxAbs };
}

/**
 * synq-forward + synq-sample-loss + synq-loss-reward through the runner's first loss evaluation:
 * the 2-16-1 tanh boundary net (squared error) and a 784-8-10 relu MNIST-shaped net gathering a
 * batch from a pool (cross-entropy). Floats within tolerance (f32 vs f64 sums, tanh/exp/log).
 */
export async function synqForwardLossParity(ctx: GpuContext, hardwareKernels = false): Promise<ParityReport> {
  let maxRel = 0, count = 0;
  // Boundary task.
  {
    const R = 2, H = 16, P = 300;
    const data = makeBoundaryData(R, H, P, 10, 1, 3);
    const layout = data.layout;
    const w = initMlpWeights(layout, R, 0.5, 7);
    const run = new SynqGpuRunner(ctx, { ...spec(layout, R, P, w, { kind: 'regression', x: data.x, targets: data.y }), hardwareKernels });
    try {
      run.initLoss();
      const [out, loss] = [await run.readOutputs(), await run.readLoss()];
      const ws = createForwardWorkspace(layout, R, P);
      ws.acts[0].set(data.x);
      const cpuOut = mlpForward(layout, w, ws);
      const per = new Float32Array(R * P);
      squaredErrorPerSample(R, P, 1, cpuOut, data.y, per);
      const l = new Float32Array(R);
      reduceLoss(R, P, per, 'euclidean', l);
      for (let i = 0; i < out.length; i++) maxRel = Math.max(maxRel, Math.abs(out[i] - cpuOut[i]));
      for (let r = 0; r < R; r++) maxRel = Math.max(maxRel, Math.abs(loss[r] - l[r]) / Math.abs(l[r]));
      count += out.length + R;
    } finally {
      run.destroy();
    }
  }
  // MNIST-shaped: random images in [0,1) with 70% zeros, labels 0..9, gathered batch.
  {
    const R = 2, B = 100, pool = 500, layout = mnistLayout(8);
    const g = rng(8);
    const x = new Float32Array(pool * 784).map(() => (g.uniform() < 0.7 ? 0 : g.uniform()));
    const labels = Uint8Array.from({ length: pool }, () => g.int(10));
    const idx = Int32Array.from({ length: R * B }, () => g.int(pool));
    const w = initMlpWeights(layout, R, 0.1, 9);
    const run = new SynqGpuRunner(ctx, { ...spec(layout, R, B, w, { kind: 'classification', pool: x, labels, idx }), hardwareKernels });
    try {
      run.initLoss();
      const [out, loss] = [await run.readOutputs(), await run.readLoss()];
      const ws = createForwardWorkspace(layout, R, B);
      for (let n = 0; n < R * B; n++) ws.acts[0].set(x.subarray(idx[n] * 784, idx[n] * 784 + 784), n * 784);
      const cpuOut = mlpForward(layout, w, ws);
      const lab = Uint8Array.from(idx, (i) => labels[i]);
      const per = new Float32Array(R * B);
      softmaxCrossEntropyPerSample(R, B, 10, cpuOut, lab, per);
      const l = new Float32Array(R);
      reduceLoss(R, B, per, 'mean', l);
      for (let i = 0; i < out.length; i++) maxRel = Math.max(maxRel, Math.abs(out[i] - cpuOut[i]) / Math.max(1, Math.abs(cpuOut[i])));
      for (let r = 0; r < R; r++) maxRel = Math.max(maxRel, Math.abs(loss[r] - l[r]) / Math.abs(l[r]));
      count += out.length + R;
    } finally {
      run.destroy();
    }
  }
  return { name: `synq-forward${hardwareKernels ? '-tiled' : ''} + sample-loss + loss-reward`, count, exactMismatches: 0, maxAbsError: maxRel };
}

function spec(layout: ReturnType<typeof mlpLayout>, R: number, B: number, w: Float32Array, data: ConstructorParameters<typeof SynqGpuRunner>[1]['data'], train = false) {
  return {
    layout, replicas: R, batch: B, weights: w.slice(), table: train ? zeroQTable() : goldenQTable(), stepScale: synapseStepScale(layout, 2),
    seed: 5, epsilon: 0.25, alphaS: 0.001, alphaQ: 0.01, gamma: 0.9, trainPolicy: train, tdRule: 'count' as const, data,
  };
}

/**
 * Whole iterations: the boundary task (2-16-1, 200 points, 2 replicas, table trained from zero)
 * on the GPU runner vs synqStep on the CPU, compared after every iteration. Discrete results must
 * match exactly (reward codes, packed states: they hold the actions); floats within tolerance
 * (loss relative 1e-5; weights and tables absolute 1e-5, far below one weight step alpha_s, so an
 * action that differs shows). After each comparison the twin takes the device's floats (loss,
 * weights, table), so every iteration starts both sides from the same numbers.
 *
 * Without that resync the runs part on a hardware GPU: tanh and fused multiply-adds differ in the
 * last bits, so a reward whose loss change is below that noise, or an argmax between two nearly
 * tied Q-values, goes the other way on one side (on an H100, 3 of 80 rewards; SwiftShader had
 * none). `knifeEdgeRewards` counts the rewards the twin's own loss would have flipped: a note.
 */
export async function synqIterationParity(ctx: GpuContext, iterations = 40, hardwareKernels = false): Promise<ParityReport> {
  const R = 2, H = 16, P = 200;
  const data = makeBoundaryData(R, H, P, 10, 1, 11);
  const layout = data.layout;
  const w = initMlpWeights(layout, R, 0.1, 12);
  const s = spec(layout, R, P, w, { kind: 'regression', x: data.x, targets: data.y }, true);
  const run = new SynqGpuRunner(ctx, { ...s, hardwareKernels });
  const net: SynqNetwork = createSynqNetwork(layout, R, w.slice(), zeroQTable(), 2);
  const ws = createForwardWorkspace(layout, R, P);
  ws.acts[0].set(data.x);
  const per = new Float32Array(R * P);
  let mism = 0, maxAbs = 0, maxRelLoss = 0, count = 0, knife = 0;
  let deviceLoss: Float32Array = new Float32Array(2 * R);
  /** The twin's loss, checked against the device's, then replaced by it. */
  const evalLoss = (n: SynqNetwork): void => {
    const out = mlpForward(layout, n.weights, ws);
    squaredErrorPerSample(R, P, 1, out, data.y, per);
    reduceLoss(R, P, per, 'euclidean', n.newLoss);
    for (let r = 0; r < R; r++) {
      const d = deviceLoss[r];
      maxRelLoss = Math.max(maxRelLoss, Math.abs(n.newLoss[r] - d) / Math.max(1e-12, Math.abs(d)));
      if (n.newLoss[r] < n.prevLoss[r] !== d < n.prevLoss[r]) knife++;
      n.newLoss[r] = d;
    }
  };
  try {
    run.initLoss();
    deviceLoss = await run.readLoss();
    evalLoss(net);
    net.prevLoss.set(net.newLoss);
    knife = 0; // no reward before iteration 1
    let trainedEntries = 0;
    for (let t = 1; t <= iterations; t++) {
      run.submit(1);
      deviceLoss = await run.readLoss();
      synqStep(net, t, { epsilon: s.epsilon, alphaS: s.alphaS, alphaQ: s.alphaQ, gamma: s.gamma, trainPolicy: true, tdRule: 'count', seed: s.seed }, evalLoss);
      const [rc, gw, gq, gs] = [await run.readRewardCodes(), await run.readWeights(), await run.readTables(), await readU32(ctx, run.buf.state)];
      for (let r = 0; r < R; r++) if (rc[r] !== net.rewardCodes[r]) mism++;
      for (let i = 0; i < gs.length; i++) if (gs[i] !== net.stateWords[i]) mism++;
      for (let i = 0; i < gw.length; i++) maxAbs = Math.max(maxAbs, Math.abs(gw[i] - net.weights[i]));
      for (let i = 0; i < gq.length; i++) maxAbs = Math.max(maxAbs, Math.abs(gq[i] - net.q[i]));
      trainedEntries = gq.reduce((k, q) => k + (q !== 0 ? 1 : 0), 0);
      count += R + gs.length + gw.length + gq.length;
      net.weights.set(gw);
      net.q.set(gq);
    }
    return { name: `synq iteration (boundary, train policy${hardwareKernels ? ', hardware kernels' : ''})`, count, exactMismatches: mism, maxAbsError: Math.max(maxAbs, maxRelLoss), notes: { knifeEdgeRewards: knife, maxRelLoss, trainedEntries } };
  } finally {
    run.destroy();
  }
}
