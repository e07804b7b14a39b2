/**
 * Synaptic Q-learning kernels on the GPU vs their CPU twins (src/synq/*): per kernel on seeded
 * random inputs, and whole iterations of the step program (src/rules/synq-program.ts) through both
 * executors on synthetic boundary and MNIST-shaped data.
 */
import type { GpuContext } from '../../src/gpu/context.ts';
import { runPass } from '../../src/gpu/kernel.ts';
import { readF32, readU32 } from '../../src/gpu/readback.ts';
import { DeviceClock } from '../../src/kernels/clock.ts';
import { SYNQ_LOSS_REWARD } from '../../src/kernels/synq-loss-reward.ts';
import { lossStride } from '../../src/kernels/synq-sample-loss.ts';
import { SYNQ_SELECT_APPLY } from '../../src/kernels/synq-select-apply.ts';
import { SYNQ_SHIFT_COUNT } from '../../src/kernels/synq-shift-count.ts';
import { SYNQ_TD } from '../../src/kernels/synq-td.ts';
import { CounterRng, Stream } from '../../src/rng/counter-rng.ts';
import {
  applyActions,
  applyTdUpdate,
  computeRewards,
  countVisits,
  goldenQTable,
  initMlpWeights,
  makeBoundaryData,
  mnistLayout,
  reduceLoss,
  selectActions,
  shiftState,
  synapseStepScale,
  TABLE_SIZE,
  wordsPerReplica,
  zeroQTable,
} from '../../src/synq/index.ts';
import { synqLogEntry } from '../../src/kernels/synq-log.ts';
import { region, synqProgram, type MetricsLayout } from '../../src/rules/synq-program.ts';
import type { HostArray } from '../../src/run/kernel-def.ts';
import type { TdRule } from '../../src/synq/config.ts';
import { stepwiseProgramParity } from './program-parity.ts';
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
  const R = 3,
    N = 4099,
    W = wordsPerReplica(N),
    t = 17,
    seed = 9,
    eps = 0.25,
    alphaS = 0.001;
  const state = randomWords(R * W, 1);
  const q = new Float32Array(R * TABLE_SIZE);
  const g = rng(2);
  for (let i = 0; i < q.length; i++) q[i] = g.int(4) === 0 ? 0 : g.range(-1, 1); // zeros exercise ties
  const weights = new Float32Array(R * N).map(() => g.range(-0.1, 0.1));
  const scale = new Float32Array(N).map((_, i) => (i % 7 === 0 ? 2 : 1));
  const k = SYNQ_SELECT_APPLY.gpu!(ctx, { replicas: R, synapses: N, seed, epsilon: eps, alphaS, switchAt: 0, alphaS2: alphaS });
  const clock = new DeviceClock(ctx, t);
  const b = {
    q: ctx.createBufferFrom('p:q', q),
    stepScale: ctx.createBufferFrom('p:s', scale),
    clock: clock.buffer,
    stateWords: ctx.createBufferFrom('p:st', state),
    actionWords: ctx.createBuffer('p:a', R * W * 4),
    weights: ctx.createBufferFrom('p:w', weights),
  };
  try {
    const group = k.group(b, 'main');
    await runPass(ctx, 'synq-select-apply', (pass) => k.encode(pass, group));
    const [aw, w] = [await readU32(ctx, b.actionWords), await readF32(ctx, b.weights)];
    const cpuA = new Uint32Array(R * W);
    selectActions(R, N, state, q, cpuA, eps, seed, t);
    applyActions(R, N, weights, cpuA, scale, alphaS);
    let mism = 0,
      maxAbs = 0;
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
  const R = 3,
    N = 5001,
    W = wordsPerReplica(N),
    alphaQ = 0.01,
    gamma = 0.9;
  const state = randomWords(R * W, 3);
  const actions = randomActionWords(R * W, 4);
  const codes = new Uint8Array([0, 2, 2]);
  const g = rng(5);
  const q = new Float32Array(R * TABLE_SIZE).map(() => g.range(-2, 2));
  const shift = SYNQ_SHIFT_COUNT.gpu!(ctx, { replicas: R, synapses: N, train: true });
  const td = SYNQ_TD.gpu!(ctx, { replicas: R, alphaQ, gamma, rule });
  const b = {
    actionWords: ctx.createBufferFrom('p:a', actions),
    rewardCodes: ctx.createBufferFrom('p:rc', Uint32Array.from(codes)),
    stateWords: ctx.createBufferFrom('p:s', state),
    counts: ctx.createBuffer('p:c', R * TABLE_SIZE * 4),
    qOld: ctx.createBufferFrom('p:q', q),
    qNew: ctx.createBuffer('p:qn', R * TABLE_SIZE * 4),
  };
  try {
    const enc = ctx.device.createCommandEncoder();
    enc.clearBuffer(b.counts);
    const pass = enc.beginComputePass();
    shift.encode(pass, shift.group(b, 'main'));
    pass.end();
    ctx.device.queue.submit([enc.finish()]);
    const gpuCounts = await readU32(ctx, b.counts);
    await runPass(ctx, 'synq-td', (pass) => td.encode(pass, td.group(b, 'main')));
    const [st, qn, cleared] = [await readU32(ctx, b.stateWords), await readF32(ctx, b.qNew), await readU32(ctx, b.counts)];
    const counts = new Uint32Array(R * TABLE_SIZE);
    countVisits(R, N, state, actions, counts);
    const cpuQ = new Float32Array(R * TABLE_SIZE);
    applyTdUpdate(R, q, cpuQ, counts, codes, alphaQ, gamma, rule);
    shiftState(R, N, state, actions, codes);
    let mism = 0,
      maxAbs = 0;
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
  const R = 8,
    B = 1000,
    P = lossStride(B);
  const g = rng(6);
  let mism = 0,
    maxAbs = 0,
    count = 0;
  for (const [mode, parallel] of [
    ['mean', false],
    ['euclidean', false],
    ['mean', true],
    ['euclidean', true],
  ] as const) {
    const per = new Float32Array(R * B).map(() => g.range(0, 3));
    const padded = new Float32Array(R * P).fill(7); // garbage in the padding: the kernel zeroes it
    for (let r = 0; r < R; r++) padded.set(per.subarray(r * B, (r + 1) * B), r * P);
    const cpuLoss = new Float32Array(R);
    reduceLoss(R, B, per, mode, cpuLoss);
    const prev = cpuLoss.map((l, r) => (r % 3 === 0 ? l : r % 3 === 1 ? l * 1.001 : l * 0.999)); // ties included
    const k = SYNQ_LOSS_REWARD.gpu!(ctx, { replicas: R, batch: B, mode, init: false, parallel });
    const lossInit = new Float32Array(2 * R);
    lossInit.set(prev, R);
    const b = {
      perSample: ctx.createBufferFrom('p:ps', padded),
      loss: ctx.createBufferFrom('p:l', lossInit),
      rewardCodes: ctx.createBufferFrom('p:rc', new Uint32Array(R).fill(1)),
      positives: ctx.createBuffer('p:pos', R * 4),
    };
    try {
      await runPass(ctx, 'synq-loss-reward', (pass) => k.encode(pass, k.group(b, 'main')));
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

/** Compares a metrics buffer of synq-program.ts: the log's iteration and rewards exactly, its losses and the copies within tolerance (relative to max(1, |cpu|)). */
export function metricsCompare(m: MetricsLayout) {
  return (cpu: HostArray, gpu: HostArray) => {
    const c = cpu as Uint32Array,
      g = gpu as Uint32Array;
    let exactMismatches = c[0] === g[0] ? 0 : 1,
      maxAbsError = 0,
      count = 1;
    for (let t = 1; t <= m.cap; t++) {
      for (let r = 0; r < m.replicas; r++, count += 2) {
        const a = synqLogEntry(m, c, t, r),
          b = synqLogEntry(m, g, t, r);
        if (a.code !== b.code) exactMismatches++;
        maxAbsError = Math.max(maxAbsError, Math.abs(a.loss - b.loss) / Math.max(1, Math.abs(a.loss)));
      }
    }
    for (const name of Object.keys(m.regions)) {
      const a = region(m, c, name),
        b = region(m, g, name);
      for (let i = 0; i < a.length; i++, count++) maxAbsError = Math.max(maxAbsError, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(a[i]!)));
    }
    return { count, exactMismatches, maxAbsError };
  };
}

/**
 * A reward decided by a loss change smaller than the two sides' difference in that loss (tanh,
 * exp and fused adds differ in the last bits on hardware GPUs): knife-edge, not a mismatch.
 */
function rewardKnifeEdges(R: number) {
  return (before: Record<string, HostArray>, cpu: Record<string, HostArray>, gpu: Record<string, HostArray>): number => {
    let n = 0;
    for (let r = 0; r < R; r++) {
      if (cpu['reward-codes']![r] === gpu['reward-codes']![r]) continue;
      const prev = before.loss![R + r]!,
        lc = cpu.loss![r]!,
        lg = gpu.loss![r]!;
      if (Math.abs(lc - lg) >= Math.abs(lg - prev)) n++;
    }
    return n;
  };
}

/** A synaptic-Q program on synthetic data: the boundary task (2-16-1 tanh, 200 points) or an MNIST-shaped 784-8-10 relu net gathering minibatches of 100 from a 500-image pool. */
export function synqParityProgram(o: { task: 'boundary' | 'mnist'; tdRule: TdRule; trainPolicy: boolean; hardwareKernels: boolean; steps: number }) {
  const R = 2;
  const forms = { forward: o.hardwareKernels ? 'tiled' : 'plain', parallelLoss: o.hardwareKernels } as const;
  const common = {
    replicas: R,
    table: o.trainPolicy ? zeroQTable() : goldenQTable(),
    seed: 5,
    epsilon: 0.25,
    alphaQ: 0.01,
    gamma: 0.9,
    trainPolicy: o.trainPolicy,
    tdRule: o.tdRule,
    cap: o.steps,
    forms,
  };
  if (o.task === 'boundary') {
    const H = 16,
      P = 200;
    const data = makeBoundaryData(R, H, P, 10, 1, 11);
    const layout = data.layout;
    return synqProgram({
      ...common,
      layout,
      batch: P,
      weights: initMlpWeights(layout, R, 0.1, 12),
      stepScale: synapseStepScale(layout, 2),
      alphaS: 0.001,
      switchAt: 0,
      alphaS2: 0.001,
      data: { kind: 'regression', x: data.x, targets: data.y },
      evals: { every: 10, last: o.steps, extra: 0 },
      evaluate: 'outputs',
    });
  }
  const B = 100,
    pool = 500,
    layout = mnistLayout(8),
    batches = Math.floor(o.steps / 7) + 1;
  const g = rng(8);
  const x = new Float32Array(pool * 784).map(() => (g.uniform() < 0.7 ? 0 : g.uniform()));
  const labels = Uint32Array.from({ length: pool }, () => g.int(10));
  const schedule = Uint32Array.from({ length: batches * R * B }, () => g.int(pool));
  return synqProgram({
    ...common,
    layout,
    batch: B,
    weights: initMlpWeights(layout, R, 0.1, 9),
    stepScale: synapseStepScale(layout, 2),
    alphaS: 0.002,
    switchAt: 20,
    alphaS2: 0.001,
    data: { kind: 'classification', pool: x, labels, schedule, interval: 7 },
    evals: { every: 10, last: o.steps, extra: 15 },
    evaluate: 'weights',
  });
}

/**
 * Whole synaptic-Q iterations through both executors, step by step (stepwiseProgramParity):
 * actions, states, counts, rewards, the log's iterations and rewards exact (a reward whose loss
 * change is below the two sides' float difference counts as knife-edge); weights, tables, losses,
 * outputs, copies within tolerance (relative to max(1, |cpu|)). `trainedEntries`: table entries
 * TD moved from zero (train mode).
 */
export async function synqStepParity(ctx: GpuContext, o: { task: 'boundary' | 'mnist'; tdRule: TdRule; trainPolicy: boolean; hardwareKernels?: boolean; steps?: number }): Promise<ParityReport> {
  const steps = o.steps ?? 40;
  const { program, metrics } = synqParityProgram({ ...o, hardwareKernels: o.hardwareKernels ?? false, steps });
  const name = `synq step (${o.task}, ${o.trainPolicy ? `train policy, ${o.tdRule}` : 'golden'}${o.hardwareKernels ? ', hardware kernels' : ''})`;
  return stepwiseProgramParity(ctx, name, program, steps, {
    relative: ['loss', 'per-sample', 'act-1', 'act-2', 'weights', 'q-a', 'q-b'],
    compare: { metrics: metricsCompare(metrics) },
    knifeEdge: rewardKnifeEdges(2),
    notes: (g) => ({ trainedEntries: (g['q-a'] as Float32Array).reduce((k, q, i) => k + (q !== goldenOrZero(o.trainPolicy)[i % TABLE_SIZE] ? 1 : 0), 0) }),
  });
}

const goldenOrZero = (train: boolean) => (train ? zeroQTable() : goldenQTable());
