/**
 * CPU twins of Chung's episodic actor-critic kernels (shaders/chung-ac-*.wgsl). Each twin calls the
 * CPU reference functions of src/chung (forward.ts, learning.ts, adam.ts, critic.ts) on `Layer`
 * views of a step program's host arrays, so the core's CPU executor runs exactly the arithmetic of
 * the CPU trainer it replaced (f64 sums stored f32; test/chung/metrics-hash.test.ts pins it) and the
 * GPU kernels are held to a tolerance against it.
 *
 * Per-layer arrays as the kernels bind them: the parameters and their per-parameter state are packed
 * `[w | b]` (theta, e = [eW | eB], m, v, u), the rest are the `Layer` arrays one for one.
 */
import { adamStep, type AdamOptions } from '../chung/adam.ts';
import { tdError } from '../chung/critic.ts';
import { hiddenForward, softmaxForward } from '../chung/forward.ts';
import { accumulateTrace, backpropCharac, broadcastReward, clearTraces, layerUpdate, reinforceCharac, weightMaxReward } from '../chung/learning.ts';
import type { Layer, LayerShape } from '../chung/network.ts';
import type { Slot } from '../envs/env-kernel.ts';
import type { ReplicaRange } from '../run/kernel-def.ts';
import { criticAdamLoop, criticAdamScalars } from './chung-critic-cpu.ts';
import { wasmTwins, type WasmTwins } from '../wasm/kernels.ts';

const NONE_F = new Float32Array(0);

/** One actor or critic layer's shape, batched over replicas (sparse: the pre / outStart / outSyn wiring buffers are bound). */
export type AcLayerShape = LayerShape & { replicas: number };

/** The arrays a twin may hand to a `Layer` view (packed ones are split at R * nOut * fanIn). */
export interface AcLayerArrays {
  theta?: Float32Array;
  e?: Float32Array;
  m?: Float32Array;
  v?: Float32Array;
  u?: Float32Array;
  pot?: Float32Array;
  mean?: Float32Array;
  values?: Float32Array;
  charac?: Float32Array;
  reward?: Float32Array;
  pre?: Uint32Array;
  outStart?: Uint32Array;
  outSyn?: Uint32Array;
}

/**
 * A `Layer` over host arrays (absent arrays are empty: the reference function must not touch them;
 * a sparse layer's wiring is null where not given, so only pass a view to functions that read what
 * it was given).
 */
export function layerView(s: AcLayerShape, a: AcLayerArrays, range?: ReplicaRange, agentStride = 0): Layer {
  const nW = s.replicas * s.nOut * s.fanIn;
  // Replicas [r0, r1) only: every per-replica array cut to them, RNG agents moved to their first.
  const [r0, r1] = range ?? [0, s.replicas];
  const cut = (x: Float32Array | undefined, per: number): Float32Array => (x ? (range ? x.subarray(r0 * per, r1 * per) : x) : NONE_F);
  const split = (x: Float32Array | undefined): [Float32Array, Float32Array] =>
    x ? [x.subarray(r0 * s.nOut * s.fanIn, r1 * s.nOut * s.fanIn), range ? x.subarray(nW + r0 * s.nOut, nW + r1 * s.nOut) : x.subarray(nW)] : [NONE_F, NONE_F];
  const [w, b] = split(a.theta);
  const [eW, eB] = split(a.e);
  const [mW, mB] = split(a.m);
  const [vW, vB] = split(a.v);
  const [uW, uB] = split(a.u);
  return {
    kind: s.kind,
    nIn: s.nIn,
    nOut: s.nOut,
    nVals: s.nVals,
    fanIn: s.fanIn,
    preIdx: s.sparse ? (a.pre ?? null) : null,
    outStart: s.sparse ? (a.outStart ?? null) : null,
    outSyn: s.sparse ? (a.outSyn ?? null) : null,
    temp: s.temp,
    agentOffset: s.agentOffset + r0 * agentStride,
    w,
    b,
    eW,
    eB,
    uW,
    uB,
    mW,
    vW,
    mB,
    vB,
    pot: cut(a.pot, s.nOut),
    mean: cut(a.mean, s.nVals),
    values: cut(a.values, s.nVals),
    charac: cut(a.charac, s.nOut),
    reward: cut(a.reward, s.nOut),
    explore: new Uint32Array((r1 - r0) * s.nOut).fill(1),
  };
}

/** Replica count of a range (all R when absent). */
const countOf = (R: number, range?: ReplicaRange): number => (range ? range[1] - range[0] : R);

export interface AcHiddenLayout {
  shape: AcLayerShape;
  /** RNG agents per replica (the actor's agentsPerReplica). */
  agentStride: number;
  seed: number;
  /** Thomas (2011): a unit explores with this probability per step (1: always). */
  exploreProb: number;
}

/** Twin of chung-ac-hidden: hiddenForward, then the REINFORCE characteristic (reinforceCharac). */
export function acHiddenCpu(
  l: AcHiddenLayout,
  b: { theta: Float32Array; pre: Uint32Array; clock: Uint32Array; x: Float32Array; pot: Float32Array; mean: Float32Array; values: Float32Array; charac: Float32Array },
  range?: ReplicaRange,
): () => void {
  const L = layerView(l.shape, { theta: b.theta, pre: b.pre, pot: b.pot, mean: b.mean, values: b.values, charac: b.charac }, range, l.agentStride);
  const R = countOf(l.shape.replicas, range);
  const x = range ? b.x.subarray(range[0] * l.shape.nIn) : b.x;
  const wasm = wasmTwins(L.w, L.b, x, L.pot, L.mean, L.values);
  return () => {
    hiddenForward(L, x, R, l.agentStride, l.seed, b.clock[0]!, l.exploreProb, wasm);
    reinforceCharac(L, R);
  };
}

export interface AcSoftmaxLayout {
  shape: AcLayerShape;
  agentStride: number;
  seed: number;
  /** Where the action index goes (as f32) for the env. */
  act: Slot;
}

/** Twin of chung-ac-softmax: softmaxForward, the action into its slot, then reinforceCharac. */
export function acSoftmaxCpu(
  l: AcSoftmaxLayout,
  b: { theta: Float32Array; clock: Uint32Array; x: Float32Array; pot: Float32Array; mean: Float32Array; values: Float32Array; act: Float32Array; charac: Float32Array },
  range?: ReplicaRange,
): () => void {
  const L = layerView(l.shape, { theta: b.theta, pot: b.pot, mean: b.mean, values: b.values, charac: b.charac }, range, l.agentStride);
  const R = countOf(l.shape.replicas, range),
    r0 = range ? range[0] : 0;
  const x = range ? b.x.subarray(r0 * l.shape.nIn) : b.x;
  const actions = new Uint32Array(R);
  return () => {
    softmaxForward(L, x, R, l.agentStride, l.seed, b.clock[0]!, actions);
    for (let r = 0; r < R; r++) b.act[(r0 + r) * l.act.stride + l.act.offset] = actions[r]!;
    reinforceCharac(L, R);
  };
}

export interface AcTraceLayout {
  shape: AcLayerShape;
  /** lambda * gamma (0 without traces). */
  decay: number;
  /** 1, or 1 - lambda for the shifted form. */
  scale: number;
  /** Shifted form: the layer's delay in steps (0: it accumulates this step's pair). */
  delay: number;
}

/** Slot s of a delay line: [x (R * nIn) | c (R * nOut)] per slot. */
function lineSlot(s: AcLayerShape, line: Float32Array, slot: number): { x: Float32Array; c: Float32Array } {
  const nx = s.replicas * s.nIn,
    W = nx + s.replicas * s.nOut;
  return { x: line.subarray(slot * W, slot * W + nx), c: line.subarray(slot * W + nx, (slot + 1) * W) };
}

/**
 * Twin of chung-ac-trace: clearTraces for replicas whose previous step ended an episode, then
 * accumulateTrace from this step's (input, charac), or, shifted, from the delay line's slot
 * clock % delay (a masked replica's line reads as zeros: the CPU clears it first).
 */
export function acTraceCpu(l: AcTraceLayout, b: { x: Float32Array; mask: Uint32Array; pre: Uint32Array; charac: Float32Array; clock: Uint32Array; e: Float32Array }, range?: ReplicaRange): () => void {
  const s = l.shape;
  if (range) {
    if (l.delay !== 0) throw new Error('chung-ac-trace: a replica range needs delay 0');
    const [r0] = range,
      n = range[1] - r0;
    const L = layerView(s, { e: b.e, pre: b.pre, charac: b.charac }, range);
    const mask = b.mask.subarray(r0),
      x = b.x.subarray(r0 * s.nIn);
    const trace = traceLoop(L, x, n, l.decay, l.scale);
    return () => {
      clearTraces(L, mask, n);
      trace();
    };
  }
  const R = s.replicas;
  const L = layerView(s, { e: b.e, pre: b.pre, charac: b.charac });
  if (l.delay === 0) {
    const trace = traceLoop(L, b.x, R, l.decay, l.scale);
    return () => {
      clearTraces(L, b.mask, R);
      trace();
    };
  }
  const xs = new Float32Array(R * s.nIn),
    cs = new Float32Array(R * s.nOut);
  return () => {
    clearTraces(L, b.mask, R);
    const slot = lineSlot(s, b.x, b.clock[0]! % l.delay);
    xs.set(slot.x);
    cs.set(slot.c);
    for (let r = 0; r < R; r++) {
      if (!b.mask[r]) continue;
      xs.fill(0, r * s.nIn, (r + 1) * s.nIn);
      cs.fill(0, r * s.nOut, (r + 1) * s.nOut);
    }
    accumulateTrace(L, xs, cs, R, l.decay, l.scale);
  };
}

/**
 * accumulateTrace from this step's (x, charac), compiled for its arrays: a dense layer's weight
 * traces by the WebAssembly loop (f64x2 over f32, the same operations) where the arrays are in an
 * arena and the fan-in is even, the bias traces in TypeScript.
 */
function traceLoop(L: Layer, x: Float32Array, R: number, decay: number, scale: number): () => void {
  const wasm = L.preIdx === null && L.fanIn % 2 === 0 && x.length >= R * L.nIn ? wasmTwins(L.eW, x, L.charac) : null;
  if (!wasm) return () => accumulateTrace(L, x, L.charac, R, decay, scale);
  const nOut = L.nOut,
    F = L.fanIn,
    nIn = L.nIn,
    eB = L.eB,
    c = L.charac;
  return () => {
    for (let i = 0; i < R * nOut; i++) eB[i] = decay * eB[i]! + scale * c[i]!;
    for (let r = 0; r < R; r++) wasm.actorTrace(L.eW.byteOffset + 4 * r * nOut * F, x.byteOffset + 4 * r * nIn, c.byteOffset + 4 * r * nOut, nOut, F, decay, scale);
  };
}

export interface AcDelayLayout {
  shape: AcLayerShape;
  delay: number;
}

/** Twin of chung-ac-delay: a masked replica's line is cleared, then this step's pair goes into slot clock % delay. */
export function acDelayCpu(l: AcDelayLayout, b: { x: Float32Array; charac: Float32Array; mask: Uint32Array; clock: Uint32Array; line: Float32Array }): () => void {
  const s = l.shape,
    R = s.replicas;
  return () => {
    for (let r = 0; r < R; r++) {
      if (!b.mask[r]) continue;
      for (let k = 0; k < l.delay; k++) {
        const slot = lineSlot(s, b.line, k);
        slot.x.fill(0, r * s.nIn, (r + 1) * s.nIn);
        slot.c.fill(0, r * s.nOut, (r + 1) * s.nOut);
      }
    }
    const slot = lineSlot(s, b.line, b.clock[0]! % l.delay);
    slot.x.set(b.x.subarray(0, R * s.nIn));
    slot.c.set(b.charac.subarray(0, R * s.nOut));
  };
}

export type AcGatherMode = 'broadcast' | 'weightmax' | 'backprop';

export interface AcGatherLayout {
  mode: AcGatherMode;
  below: AcLayerShape;
  /** The layer above (its units' outgoing view is gathered; unused for broadcast). */
  above: AcLayerShape;
  /** Weight Max norm p. */
  p: number;
}

/** Twin of chung-ac-gather: broadcastReward, weightMaxReward or backpropCharac. */
export function acGatherCpu(
  l: AcGatherLayout,
  b: { aboveTheta: Float32Array; aboveU: Float32Array; aboveCharac: Float32Array; outStart: Uint32Array; outSyn: Uint32Array; pot: Float32Array; signal: Float32Array; out: Float32Array },
  range?: ReplicaRange,
): () => void {
  const R = countOf(l.below.replicas, range);
  if (l.mode === 'broadcast') {
    const below = layerView(l.below, { reward: b.out }, range);
    const signal = range ? b.signal.subarray(range[0]) : b.signal;
    return () => broadcastReward(below, signal, R);
  }
  const above = layerView(l.above, { theta: b.aboveTheta, u: b.aboveU, charac: b.aboveCharac, outStart: b.outStart, outSyn: b.outSyn }, range);
  if (l.mode === 'weightmax') {
    const below = layerView({ ...l.below, sparse: false }, { reward: b.out }, range);
    const wasm = l.p === 2 && above.outStart === null && below.nOut % 2 === 0 ? wasmTwins(above.w, above.uW, below.reward) : null;
    if (wasm) {
      const K = above.nOut,
        F = above.fanIn,
        n = below.nOut;
      return () => {
        for (let r = 0; r < R; r++) wasm.weightMaxGather(above.w.byteOffset + 4 * r * K * F, above.uW.byteOffset + 4 * r * K * F, below.reward.byteOffset + 4 * r * n, K, F, n);
      };
    }
    return () => weightMaxReward(above, below, R, l.p);
  }
  const below = layerView({ ...l.below, sparse: false }, { pot: b.pot, charac: b.out }, range);
  return () => backpropCharac(below, above, R);
}

export interface AcAdamLayout {
  /** 'actor': raw update u = e * reward - decay (stored) + adamStep in f64; 'critic': criticAdamCpu in f32 (weights, then biases). */
  form: 'actor' | 'critic';
  /** Parameters in the array. */
  count: number;
  /** Weights of the packed [w | b] (the rest are biases). */
  nW: number;
  /** sig index of parameter i < nW: i / divW (actor: fanIn, the unit; critic: weights per replica, the replica). */
  divW: number;
  /** sig index of parameter i >= nW: (i - nW) / divB (actor: 1; critic: units per replica). */
  divB: number;
  /** The actor layer's shape (form 'actor'). */
  shape?: AcLayerShape;
  lrStart: number;
  lrEnd: number;
  /** Steps over which the rate anneals linearly (the code's end_t). */
  endT: number;
  adam: AdamOptions;
  decayC: number;
  decayP: number;
  /** The Adam step is clock + tOffset (0: nothing at clock 0, the episodic loop; 1: one-step episodes learn from the first step). */
  tOffset?: number;
}

/** The code's linear_interpolat for one layer at step t, in f64. */
export function annealed(l: Pick<AcAdamLayout, 'lrStart' | 'lrEnd' | 'endT'>, t: number): number {
  return (l.lrEnd - l.lrStart) * (Math.min(t, l.endT) / l.endT) + l.lrStart;
}

/** Twin of chung-ac-adam: nothing at t = clock = 0; else the actor's layerUpdate + adamStep, or the critic's Adam. */
export function acAdamCpu(
  l: AcAdamLayout,
  b: { theta: Float32Array; e: Float32Array; m: Float32Array; v: Float32Array; u: Float32Array; sig: Float32Array; corr: Float32Array; clock: Uint32Array },
  range?: ReplicaRange,
): () => void {
  if (l.form === 'critic') {
    // Replica r owns weights [r * divW, (r + 1) * divW) and biases nW + [r * divB, (r + 1) * divB).
    const [r0, r1] = range ?? [0, 0];
    const cut = (a: Float32Array) =>
      range ? ([a.subarray(r0 * l.divW, r1 * l.divW), a.subarray(l.nW + r0 * l.divB, l.nW + r1 * l.divB)] as const) : ([a.subarray(0, l.nW), a.subarray(l.nW, l.count)] as const);
    const [pw, pb] = cut(b.theta),
      [ew, eb] = cut(b.e),
      [mw, mb] = cut(b.m),
      [vw, vb] = cut(b.v);
    const sig = range ? b.sig.subarray(r0) : b.sig;
    const weights = criticAdamLoop(pw, ew, mw, vw, sig, l.divW),
      biases = criticAdamLoop(pb, eb, mb, vb, sig, l.divB);
    return () => {
      const t = b.clock[0]! + (l.tOffset ?? 0);
      if (t === 0) return;
      const s = criticAdamScalars(annealed(l, t), t, l.adam);
      weights(s);
      if (l.count > l.nW) biases(s);
    };
  }
  const L = layerView(l.shape!, { theta: b.theta, e: b.e, m: b.m, v: b.v, u: b.u, reward: b.sig }, range);
  const R = countOf(l.shape!.replicas, range);
  if (l.decayC > 0) {
    return () => {
      const t = b.clock[0]! + (l.tOffset ?? 0);
      if (t === 0) return;
      const lr = annealed(l, t);
      layerUpdate(L, R, l.decayC, l.decayP);
      adamStep(L.w, L.uW, L.mW, L.vW, lr, t, l.adam);
      adamStep(L.b, L.uB, L.mB, L.vB, lr, t, l.adam);
    };
  }
  const wasm = L.fanIn % 2 === 0 ? wasmTwins(L.w, L.eW, L.uW, L.mW, L.vW, L.reward, L.b, L.eB, L.uB, L.mB, L.vB) : null;
  return () => {
    const t = b.clock[0]! + (l.tOffset ?? 0);
    if (t === 0) return;
    actorUpdateAdam(L, R, annealed(l, t), t, l.adam, wasm);
  };
}

/**
 * layerUpdate (no weight decay) then adamStep on the weights and the biases, fused into one pass
 * per unit: u = e * reward is stored (the Weight Max gather below reads it) and Adam reads it back
 * as f32, the moments likewise, so every value is the unfused twin's.
 */
function actorUpdateAdam(L: Layer, R: number, lr: number, t: number, o: AdamOptions, wasm: WasmTwins | null): void {
  const corr = t < o.biasCorrectionSteps;
  const c1 = corr ? 1 / (1 - o.beta1 ** t) : 1;
  const c2 = corr ? 1 / (1 - o.beta2 ** t) : 1;
  const b1 = o.beta1,
    b2 = o.beta2,
    eps = o.eps,
    ob1 = 1 - b1,
    ob2 = 1 - b2;
  const F = L.fanIn,
    nOut = L.nOut;
  const w = L.w,
    eW = L.eW,
    uW = L.uW,
    mW = L.mW,
    vW = L.vW;
  const bb = L.b,
    eB = L.eB,
    uB = L.uB,
    mB = L.mB,
    vB = L.vB,
    reward = L.reward;
  const f = Math.fround;
  // In WebAssembly (the same f64 operations): the weights, and the biases but an odd last one.
  const nB = R * nOut;
  const bWasm = wasm ? nB - (nB % 2) : 0;
  if (wasm) {
    wasm.actorAdam(w.byteOffset, eW.byteOffset, uW.byteOffset, mW.byteOffset, vW.byteOffset, reward.byteOffset, nB, F, lr, c1, c2, b1, b2, ob1, ob2, eps);
    wasm.actorAdamBias(bb.byteOffset, eB.byteOffset, uB.byteOffset, mB.byteOffset, vB.byteOffset, reward.byteOffset, 1, bWasm, lr, c1, c2, b1, b2, ob1, ob2, eps);
  }
  for (let i = bWasm; i < nB; i++) {
    const rho = reward[i]!;
    const base = i * F;
    for (let q = 0; wasm === null && q < F; q++) {
      const k = base + q;
      const g = f(eW[k]! * rho);
      uW[k] = g;
      const mi = f(b1 * mW[k]! + ob1 * g);
      const vi = f(b2 * vW[k]! + ob2 * g * g);
      mW[k] = mi;
      vW[k] = vi;
      w[k] = w[k]! + (lr * (mi * c1)) / (Math.sqrt(vi * c2) + eps);
    }
    const g = f(eB[i]! * rho);
    uB[i] = g;
    const mi = f(b1 * mB[i]! + ob1 * g);
    const vi = f(b2 * vB[i]! + ob2 * g * g);
    mB[i] = mi;
    vB[i] = vi;
    bb[i] = bb[i]! + (lr * (mi * c1)) / (Math.sqrt(vi * c2) + eps);
  }
}

export interface AcTdLayout {
  replicas: number;
  gamma: number;
}

/** Twin of chung-ac-td: tdError from the second step on (0 at clock 0), then valueOld = value. */
export function acTdCpu(
  l: AcTdLayout,
  b: { reward: Float32Array; value: Float32Array; flags: Uint32Array; clock: Uint32Array; valueOld: Float32Array; delta: Float32Array },
  range?: ReplicaRange,
): () => void {
  const R = l.replicas;
  const [r0, r1] = range ?? [0, R];
  const prevIsEnd = b.flags.subarray(r0, r1),
    isEnd = b.flags.subarray(R + r0, R + r1),
    truncOnly = b.flags.subarray(2 * R + r0, 2 * R + r1);
  const value = b.value.subarray(r0, r1),
    delta = b.delta.subarray(r0, r1),
    reward = b.reward.subarray(r0, r1),
    valueOld = b.valueOld.subarray(r0, r1);
  return () => {
    if (b.clock[0]! > 0) tdError(reward, value, valueOld, isEnd, prevIsEnd, truncOnly, l.gamma, delta);
    else delta.fill(0);
    valueOld.set(value);
  };
}

export interface AcEpisodeLayout {
  replicas: number;
  /** Records per replica in the metrics ring. */
  cap: number;
  /** One-step episodes whose env draws the next input in the same step (no autoreset step): every step counts. */
  bandit?: boolean;
}

/** Words of one episode record in the log: the return as f64 (lo, hi words), length, steps. */
export const AC_RECORD_WORDS = 4;

/** Words of the episode log: [steps | count x R | (return lo, return hi, length, steps) x cap x R]. */
export const acMetricsLength = (l: AcEpisodeLayout): number => 1 + l.replicas + AC_RECORD_WORDS * l.replicas * l.cap;

/**
 * Twin of chung-ac-episode: the CPU trainer's per-replica bookkeeping after env.step. Returns are
 * f64, `epReturn` holds each replica's as two u32 words (lo, hi), as the kernel's f64.wgsl adds them.
 */
export function acEpisodeCpu(
  l: AcEpisodeLayout,
  b: { counters: Uint32Array; reward: Float32Array; clock: Uint32Array; flags: Uint32Array; epReturn: Uint32Array; epLength: Uint32Array; metrics: Uint32Array },
  range?: ReplicaRange,
): () => void {
  const R = l.replicas;
  const [r0, r1] = range ?? [0, R];
  if (b.epReturn.length < 2 * R || b.epReturn.byteOffset % 8 !== 0) throw new Error(`chung-ac-episode: epReturn must hold 2 words per replica, 8-byte aligned`);
  const epReturn = new Float64Array(b.epReturn.buffer, b.epReturn.byteOffset, R);
  const bits = new Float64Array(1),
    word = new Uint32Array(bits.buffer);
  return () => {
    const steps = b.clock[0]! + 1;
    for (let r = r0; r < r1; r++) {
      const prev = b.flags[R + r]!;
      b.flags[r] = prev;
      const term = b.counters[3 * R + r] !== 0,
        trunc = b.counters[4 * R + r] !== 0;
      const isEnd = term || trunc;
      b.flags[R + r] = isEnd ? 1 : 0;
      b.flags[2 * R + r] = trunc && !term ? 1 : 0;
      const ret = epReturn[r]! + b.reward[r]!;
      const len = b.epLength[r]! + (prev === 0 || l.bandit ? 1 : 0);
      if (isEnd) {
        const c = b.metrics[1 + r]!;
        const at = 1 + R + AC_RECORD_WORDS * (r * l.cap + (c % l.cap));
        bits[0] = ret;
        b.metrics[at] = word[0]!;
        b.metrics[at + 1] = word[1]!;
        b.metrics[at + 2] = len;
        b.metrics[at + 3] = steps;
        b.metrics[1 + r] = c + 1;
        epReturn[r] = 0;
        b.epLength[r] = 0;
      } else {
        epReturn[r] = ret;
        b.epLength[r] = len;
      }
    }
    b.metrics[0] = steps;
  };
}
