/**
 * CPU twins of the Weight Maximization critic's kernels (shaders/chung-critic-*.wgsl): the
 * softplus MLP forward pass, the TD(lambda) backward pass into the eligibility traces, and Adam on
 * u = e * delta. Every operation is rounded to f32 with Math.fround in the kernel's order (dot
 * products accumulate from the bias over q = 0, 1, ...), so only exp / log / sqrt, which WGSL
 * does not round correctly, set the two apart. src/chung/critic.ts runs these for the CPU trainer.
 */
import { clearTraces } from '../chung/learning.ts';
import type { Layer } from '../chung/network.ts';
import type { HostArray, ReplicaRange } from '../run/kernel-def.ts';
import { wasmTwins, type WasmTwins } from '../wasm/kernels.ts';

const f = Math.fround;

/** softplus as the paper's code (linear beyond 30, 0 below -30), the f32 result of log1p(exp(x)). */
export function softplusF32(x: number): number {
  if (x > 30) return x;
  if (x < -30) return 0;
  return f(Math.log1p(Math.exp(x)));
}

/** The code's sigmoid (exact 0 / 1 outside (-20, 20)), rounded to f32. */
export function sigmoidF32(x: number): number {
  if (x >= 20) return 1;
  if (x <= -20) return 0;
  return f(1 / (1 + Math.exp(-x)));
}

/**
 * Kernel `chung-critic-forward`, one invocation per (replica r, unit j) of one dense layer:
 *   pot = b_j + sum_q w_jq x_q  (f32, q ascending),  value = softplus(pot) (hidden) or pot (output).
 */
export function criticForwardLayerCpu(L: Layer, x: Float32Array, replicas: number, wasm: WasmTwins | null = null): void {
  const nIn = L.nIn,
    nOut = L.nOut,
    soft = L.kind === 'softplus';
  const w = L.w,
    b = L.b,
    pot = L.pot,
    values = L.values;
  // The critic's value is `values` (the reference critic and the twins read nothing else).
  const store = (i: number, s: number) => {
    pot[i] = s;
    values[i] = soft ? softplusF32(s) : s;
  };
  if (wasm && nOut % 4 === 0) {
    // The sums in WebAssembly (the same f32 operations in the same order), then the activations
    // (softplus by src/wasm/libm.ts's lane forms of Math's exp and log1p: the same bits).
    for (let r = 0; r < replicas; r++) {
      const io = r * nOut;
      wasm.criticDense(w.byteOffset + 4 * io * nIn, b.byteOffset + 4 * io, x.byteOffset + 4 * r * nIn, pot.byteOffset + 4 * io, nOut, nIn);
      if (soft) wasm.softplus(pot.byteOffset + 4 * io, values.byteOffset + 4 * io, 0, nOut);
      else for (let i = io; i < io + nOut; i++) store(i, pot[i]!);
    }
    return;
  }
  for (let r = 0; r < replicas; r++) {
    const xb = r * nIn;
    let j = 0;
    // Four units at a time: four independent sums, each in its own order (bias, then q ascending).
    for (; j + 4 <= nOut; j += 4) {
      const i = r * nOut + j;
      const w0 = i * nIn,
        w1 = w0 + nIn,
        w2 = w1 + nIn,
        w3 = w2 + nIn;
      let s0 = b[i]!,
        s1 = b[i + 1]!,
        s2 = b[i + 2]!,
        s3 = b[i + 3]!;
      for (let q = 0; q < nIn; q++) {
        const xq = x[xb + q]!;
        s0 = f(s0 + f(w[w0 + q]! * xq));
        s1 = f(s1 + f(w[w1 + q]! * xq));
        s2 = f(s2 + f(w[w2 + q]! * xq));
        s3 = f(s3 + f(w[w3 + q]! * xq));
      }
      store(i, s0);
      store(i + 1, s1);
      store(i + 2, s2);
      store(i + 3, s3);
    }
    for (; j < nOut; j++) {
      const i = r * nOut + j;
      const wb = i * nIn;
      let s = b[i]!;
      for (let q = 0; q < nIn; q++) s = f(s + f(w[wb + q]! * x[xb + q]!));
      store(i, s);
    }
  }
}

/**
 * Kernel `chung-critic-backward`, one invocation per (replica r, unit j) of one layer, dispatched
 * from the output layer down:
 *   c_j = 1 (output, the code's grad_mean), else (sum_k cAbove_k wAbove_kj) * sigmoid(pot_j)
 *   keep = mask[r] ? 0 : decay   (mask: the replica's previous step ended an episode)
 *   eB_j = keep eB_j + c_j,   eW_jq = keep eW_jq + x_q c_j
 * `above` is null for the output layer; its weights are the current (already updated) ones.
 * `wasm` (every array in one arena): the gathers when nOut % 4 == 0, the traces when nIn is even.
 */
export function criticBackwardLayerCpu(L: Layer, above: Layer | null, x: Float32Array, mask: ArrayLike<number> | null, decay: number, replicas: number, wasm: WasmTwins | null = null): void {
  const nIn = L.nIn,
    nOut = L.nOut;
  const d = f(decay);
  const eW = L.eW,
    eB = L.eB,
    charac = L.charac,
    pot = L.pot;
  const aC = above ? above.charac : null,
    aW = above ? above.w : null,
    K = above ? above.nOut : 0,
    F = above ? above.nIn : 0;
  for (let r = 0; r < replicas; r++) {
    const keep = mask && mask[r] ? 0 : d;
    const xb = r * nIn;
    const io = r * nOut;
    if (aC !== null && aW !== null && wasm && nOut % 4 === 0) {
      // The gathers and the slopes in WebAssembly (the same f32 operations in the same order; the
      // sigmoid by the lane form of Math.exp).
      wasm.criticGather(aC.byteOffset + 4 * r * K, aW.byteOffset + 4 * r * K * F, charac.byteOffset + 4 * io, K, F, nOut);
      wasm.mulSigmoid(pot.byteOffset + 4 * io, charac.byteOffset + 4 * io, 0, nOut);
    } else if (aC !== null && aW !== null) {
      // The gathers sum_k cAbove_k wAbove_kj (f32, k ascending), four units j at a time.
      const cb = r * K,
        wb = r * K * F;
      let j = 0;
      for (; j + 4 <= nOut; j += 4) {
        let g0 = 0,
          g1 = 0,
          g2 = 0,
          g3 = 0;
        for (let k = 0; k < K; k++) {
          const ck = aC[cb + k]!,
            o = wb + k * F + j;
          g0 = f(g0 + f(ck * aW[o]!));
          g1 = f(g1 + f(ck * aW[o + 1]!));
          g2 = f(g2 + f(ck * aW[o + 2]!));
          g3 = f(g3 + f(ck * aW[o + 3]!));
        }
        charac[io + j] = f(g0 * sigmoidF32(pot[io + j]!));
        charac[io + j + 1] = f(g1 * sigmoidF32(pot[io + j + 1]!));
        charac[io + j + 2] = f(g2 * sigmoidF32(pot[io + j + 2]!));
        charac[io + j + 3] = f(g3 * sigmoidF32(pot[io + j + 3]!));
      }
      for (; j < nOut; j++) {
        let g = 0;
        for (let k = 0; k < K; k++) g = f(g + f(aC[cb + k]! * aW[wb + k * F + j]!));
        charac[io + j] = f(g * sigmoidF32(pot[io + j]!));
      }
    } else charac.fill(1, io, io + nOut);
    if (wasm && nIn % 2 === 0) {
      for (let j = 0; j < nOut; j++) eB[io + j] = f(f(keep * eB[io + j]!) + charac[io + j]!);
      (nIn % 4 === 0 ? wasm.criticTrace : wasm.criticTrace2)(eW.byteOffset + 4 * io * nIn, x.byteOffset + 4 * xb, charac.byteOffset + 4 * io, nOut, nIn, keep);
      continue;
    }
    for (let j = 0; j < nOut; j++) {
      const i = io + j;
      const c = charac[i]!;
      eB[i] = f(f(keep * eB[i]!) + c);
      const eb = i * nIn;
      for (let q = 0; q < nIn; q++) eW[eb + q] = f(keep * eW[eb + q]!) + f(x[xb + q]! * c);
    }
  }
}

/** The f32 scalars of one Adam step, as the host writes them into the kernel's params. */
export interface CriticAdamScalars {
  lr: number;
  /** 1 / (1 - beta1^t) while t < biasCorrectionSteps, else 1. */
  c1: number;
  /** 1 / (1 - beta2^t) while t < biasCorrectionSteps, else 1. */
  c2: number;
  beta1: number;
  beta2: number;
  oneMinusBeta1: number;
  oneMinusBeta2: number;
  eps: number;
}

/** Host side of an Adam step: the bias corrections in f64, then every scalar rounded to f32. */
export function criticAdamScalars(lr: number, t: number, o: { beta1: number; beta2: number; eps: number; biasCorrectionSteps: number }): CriticAdamScalars {
  const corr = t < o.biasCorrectionSteps;
  return {
    lr: f(lr),
    c1: f(corr ? 1 / (1 - o.beta1 ** t) : 1),
    c2: f(corr ? 1 / (1 - o.beta2 ** t) : 1),
    beta1: f(o.beta1),
    beta2: f(o.beta2),
    oneMinusBeta1: f(1 - o.beta1),
    oneMinusBeta2: f(1 - o.beta2),
    eps: f(o.eps),
  };
}

/**
 * Kernel `chung-critic-adam`, one invocation per parameter i of one array (weights or biases of
 * one layer, all replicas; replica r = i / perReplica): TD(lambda) ascent with Adam,
 *   g = e_i delta_r;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g g;
 *   p += lr (m c1) / (sqrt(v c2) + eps).
 */
export function criticAdamCpu(p: Float32Array, e: Float32Array, m: Float32Array, v: Float32Array, delta: Float32Array, perReplica: number, s: CriticAdamScalars): void {
  const b1 = s.beta1,
    b2 = s.beta2,
    ob1 = s.oneMinusBeta1,
    ob2 = s.oneMinusBeta2,
    lr = s.lr,
    c1 = s.c1,
    c2 = s.c2,
    eps = s.eps;
  const n = p.length;
  // Replica r owns parameters [r * perReplica, (r + 1) * perReplica): delta is read once per replica.
  for (let r = 0, i = 0; i < n; r++) {
    const d = delta[r]!;
    const end = Math.min(n, i + perReplica);
    for (; i < end; i++) {
      const g = f(e[i]! * d);
      const mi = f(f(b1 * m[i]!) + f(ob1 * g));
      const vi = f(f(b2 * v[i]!) + f(f(ob2 * g) * g));
      m[i] = mi;
      v[i] = vi;
      // The f32 store rounds the sum.
      p[i] = p[i]! + f(f(lr * f(mi * c1)) / f(f(Math.sqrt(f(vi * c2))) + eps));
    }
  }
}

/**
 * criticAdamCpu over one array at the given scalars, compiled for its arrays: the WebAssembly loop
 * (f32x4, the same operations) where the arrays are in an arena and replicas own multiples of 4.
 */
export function criticAdamLoop(p: Float32Array, e: Float32Array, m: Float32Array, v: Float32Array, delta: Float32Array, perReplica: number): (s: CriticAdamScalars) => void {
  const w = perReplica % 4 === 0 ? wasmTwins(p, e, m, v) : null;
  if (!w) return (s) => criticAdamCpu(p, e, m, v, delta, perReplica, s);
  const n = p.length,
    bytes = 4 * perReplica;
  const pp = p.byteOffset,
    pe = e.byteOffset,
    pm = m.byteOffset,
    pv = v.byteOffset;
  return (s) => {
    for (let r = 0, o = 0; o < 4 * n; r++, o += bytes) w.criticAdam(pp + o, pe + o, pm + o, pv + o, perReplica, delta[r]!, s.lr, s.c1, s.c2, s.beta1, s.beta2, s.oneMinusBeta1, s.oneMinusBeta2, s.eps);
  };
}

/** Shape of one dense critic layer in a step program, batched over replicas. */
interface CriticTwinShape {
  replicas: number;
  nIn: number;
  nOut: number;
}

/** A critic layer as the CPU twins see it (the reference `Layer` fields they read). */
function criticLayer(s: CriticTwinShape & { softplus?: boolean }, a: Partial<Record<'w' | 'b' | 'eW' | 'eB' | 'pot' | 'values' | 'charac', Float32Array>>): Layer {
  const none = new Float32Array(0);
  return {
    kind: s.softplus === false ? 'linear' : 'softplus',
    nIn: s.nIn,
    nOut: s.nOut,
    nVals: s.nOut,
    fanIn: s.nIn,
    preIdx: null,
    outStart: null,
    outSyn: null,
    temp: 1,
    agentOffset: 0,
    w: a.w ?? none,
    b: a.b ?? none,
    eW: a.eW ?? none,
    eB: a.eB ?? none,
    uW: none,
    uB: none,
    mW: none,
    vW: none,
    mB: none,
    vB: none,
    pot: a.pot ?? none,
    mean: none,
    values: a.values ?? none,
    charac: a.charac ?? none,
    reward: none,
    explore: new Uint32Array(0),
  };
}

/** [w | b] of one layer packed in one array, cut to replicas [r0, r1) (all when no range). */
function splitPacked(s: CriticTwinShape, a: Float32Array, range?: ReplicaRange): [Float32Array, Float32Array] {
  const nW = s.replicas * s.nOut * s.nIn;
  const [r0, r1] = range ?? [0, s.replicas];
  return [a.subarray(r0 * s.nOut * s.nIn, r1 * s.nOut * s.nIn), range ? a.subarray(nW + r0 * s.nOut, nW + r1 * s.nOut) : a.subarray(nW)];
}

/** Rows [r0, r1) of a per-replica array of `per` values (all when no range). */
const rows = (a: Float32Array, per: number, range?: ReplicaRange): Float32Array => (range ? a.subarray(range[0] * per, range[1] * per) : a);

/**
 * CPU twin of chung-critic-forward (CHUNG_CRITIC_FORWARD): V(s) of one layer, the layer's packed
 * [w | b] bound as `w` (and `b`); with a range, replicas [r0, r1) only.
 */
export function criticForwardTwin(l: CriticTwinShape & { softplus: boolean }, a: Readonly<Record<string, HostArray>>, range?: ReplicaRange): () => void {
  const n = range ? range[1] - range[0] : l.replicas;
  const [w, b] = splitPacked(l, a.w as Float32Array, range);
  const L = criticLayer({ ...l, replicas: n }, { w, b, pot: rows(a.pot as Float32Array, l.nOut, range), values: rows(a.values as Float32Array, l.nOut, range) });
  const x = rows(a.x as Float32Array, l.nIn, range);
  const wasm = wasmTwins(w, b, x, L.pot, L.values);
  return () => criticForwardLayerCpu(L, x, n, wasm);
}

/**
 * CPU twin of chung-critic-backward (CHUNG_CRITIC_BACKWARD), packed: traces [eW | eB] bound as
 * `eW`, `aboveW` the layer above's packed [w | b]; traces of replicas whose previous step ended an
 * episode are cleared first (the kernel folds this into keep = mask ? 0 : decay). With a range,
 * replicas [r0, r1) only.
 */
export function criticBackwardTwin(l: CriticTwinShape & { aboveOut: number; isOutput: boolean; decay: number }, a: Readonly<Record<string, HostArray>>, range?: ReplicaRange): () => void {
  const n = range ? range[1] - range[0] : l.replicas;
  const [eW, eB] = splitPacked(l, a.eW as Float32Array, range);
  const L = criticLayer({ ...l, replicas: n }, { pot: rows(a.pot as Float32Array, l.nOut, range), charac: rows(a.charac as Float32Array, l.nOut, range), eW, eB });
  const above = l.isOutput
    ? null
    : criticLayer({ replicas: n, nIn: l.nOut, nOut: l.aboveOut }, { charac: rows(a.aboveCharac as Float32Array, l.aboveOut, range), w: rows(a.aboveW as Float32Array, l.aboveOut * l.nOut, range) });
  const x = rows(a.x as Float32Array, l.nIn, range);
  const mask = range ? (a.mask as Uint32Array).subarray(range[0]) : (a.mask as Uint32Array);
  const wasm = wasmTwins(eW, x, L.charac, L.pot, ...(above ? [above.charac, above.w] : []));
  return () => {
    clearTraces(L, mask, n);
    criticBackwardLayerCpu(L, above, x, null, l.decay, n, wasm);
  };
}
