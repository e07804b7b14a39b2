/**
 * Forward kernels: one function per future WGSL kernel, looping over (replica, unit) the way the
 * kernel has one invocation per (replica, unit). Nonlinearities follow the paper's code (util.py):
 * sigmoid saturates to exactly 0 / 1 beyond |x| >= 20, softplus is linear beyond 30 and 0 below -30,
 * softmax subtracts the max and clips shifted logits at -30.
 */
import { rngPrefix, rngUniform, rngUniformFrom, Stream } from '../rng/counter-rng.ts';
import type { WasmTwins } from '../wasm/kernels.ts';
import type { Layer } from './network.ts';

const f = Math.fround;

/** The code's sigmoid: exact 0 / 1 outside (-20, 20). */
export function sigmoid(x: number): number {
  if (x >= 20) return 1;
  if (x <= -20) return 0;
  return 1 / (1 + Math.exp(-x));
}

/** The code's softplus: x beyond 30, 0 below -30, log1p(exp(x)) between. */
export function softplus(x: number): number {
  if (x > 30) return x;
  if (x < -30) return 0;
  return Math.log1p(Math.exp(x));
}

/** w . x + b for unit j of replica r (dense or sparse fan-in). */
export function unitDrive(L: Layer, x: Float32Array, r: number, j: number): number {
  const base = (r * L.nOut + j) * L.fanIn;
  const xb = r * L.nIn;
  let s = L.b[r * L.nOut + j]!;
  if (L.preIdx === null) {
    for (let q = 0; q < L.fanIn; q++) s += L.w[base + q]! * x[xb + q]!;
  } else {
    const pb = j * L.fanIn;
    for (let q = 0; q < L.fanIn; q++) s += L.w[base + q]! * x[xb + L.preIdx[pb + q]!]!;
  }
  return s;
}

/**
 * Kernel `hidden_forward`: one invocation per (replica r, unit j) of a hidden layer.
 * - bernoulli: pot = drive / temp, mean = sigmoid(pot), value = [u < mean] with
 *   u = rngUniform(seed, Stream.spike, agent, step). With exploreProb < 1 (Thomas 2011) the unit
 *   first draws e = [rngUniform(seed, Stream.exploration, agent, step) < exploreProb]; a unit that
 *   does not explore outputs its greedy value [mean > 0.5] and records explore = 0.
 * - relu / softplus / linear: deterministic value = act(drive).
 * agent = r * agentsPerReplica + L.agentOffset + j; `step` is the global step.
 */
export function hiddenForward(L: Layer, x: Float32Array, replicas: number, agentsPerReplica: number, seed: number, step: number, exploreProb = 1, wasm: WasmTwins | null = null): void {
  if (L.kind === 'bernoulli' && L.preIdx === null) {
    bernoulliDenseForward(L, x, replicas, agentsPerReplica, seed, step, exploreProb, wasm);
    return;
  }
  for (let r = 0; r < replicas; r++) {
    for (let j = 0; j < L.nOut; j++) {
      const i = r * L.nOut + j;
      const drive = unitDrive(L, x, r, j);
      if (L.kind === 'bernoulli') {
        const pot = (L.pot[i] = f(drive / L.temp));
        const mean = (L.mean[i] = f(sigmoid(pot)));
        const agent = r * agentsPerReplica + L.agentOffset + j;
        const explore = exploreProb >= 1 || rngUniform(seed, Stream.exploration, agent, step) < exploreProb;
        L.explore[i] = explore ? 1 : 0;
        L.values[i] = explore ? (rngUniform(seed, Stream.spike, agent, step) < mean ? 1 : 0) : mean > 0.5 ? 1 : 0;
      } else {
        L.pot[i] = drive;
        const p = L.pot[i]!;
        const v = L.kind === 'relu' ? Math.max(p, 0) : L.kind === 'softplus' ? softplus(p) : p;
        L.mean[i] = v;
        L.values[i] = v;
      }
    }
  }
}

/**
 * hiddenForward for a dense Bernoulli layer, the same arithmetic in the same order (the drive an
 * f64 sum from the bias over q ascending) with the loop-invariant parts hoisted: the RNG's
 * (seed, stream) prefix, the arrays, the replica's input offset.
 */
function bernoulliDenseForward(L: Layer, x: Float32Array, replicas: number, agentsPerReplica: number, seed: number, step: number, exploreProb: number, wasm: WasmTwins | null): void {
  const nOut = L.nOut,
    F = L.fanIn,
    nIn = L.nIn,
    temp = L.temp;
  const w = L.w,
    b = L.b,
    pot = L.pot,
    mean = L.mean,
    values = L.values,
    explore = L.explore;
  const spike = rngPrefix(seed, Stream.spike),
    expl = rngPrefix(seed, Stream.exploration);
  const always = exploreProb >= 1;
  const inWasm = wasm !== null && nOut % 4 === 0 && F === nIn;
  for (let r = 0; r < replicas; r++) {
    const xb = r * nIn;
    const o = r * nOut;
    // The potentials pot = f32(drive / temp), the drive an f64 sum from the bias over q ascending:
    // in WebAssembly (the same operations in the same order) or here, four units at a time.
    if (inWasm) {
      wasm.actorDrive(w.byteOffset + 4 * o * F, b.byteOffset + 4 * o, x.byteOffset + 4 * xb, pot.byteOffset + 4 * o, nOut, F, temp);
      wasm.sigmoid(pot.byteOffset + 4 * o, mean.byteOffset + 4 * o, 0, nOut); // the means, Math.exp's bits (src/wasm/libm.ts)
    } else {
      let j4 = 0;
      for (; j4 + 4 <= nOut; j4 += 4) {
        const i = o + j4;
        const w0 = i * F,
          w1 = w0 + F,
          w2 = w1 + F,
          w3 = w2 + F;
        let s0 = b[i]!,
          s1 = b[i + 1]!,
          s2 = b[i + 2]!,
          s3 = b[i + 3]!;
        for (let q = 0; q < F; q++) {
          const xq = x[xb + q]!;
          s0 += w[w0 + q]! * xq;
          s1 += w[w1 + q]! * xq;
          s2 += w[w2 + q]! * xq;
          s3 += w[w3 + q]! * xq;
        }
        pot[i] = f(s0 / temp);
        pot[i + 1] = f(s1 / temp);
        pot[i + 2] = f(s2 / temp);
        pot[i + 3] = f(s3 / temp);
      }
      for (; j4 < nOut; j4++) {
        const i = o + j4;
        const base = i * F;
        let s = b[i]!;
        for (let q = 0; q < F; q++) s += w[base + q]! * x[xb + q]!;
        pot[i] = f(s / temp);
      }
    }
    const agent0 = r * agentsPerReplica + L.agentOffset;
    if (inWasm && always) {
      // The draws in WebAssembly: the counter RNG on four lanes, the same uniforms and comparisons.
      wasm.bernoulliDraw(mean.byteOffset + 4 * o, values.byteOffset + 4 * o, nOut, spike, agent0, step);
      explore.fill(1, o, o + nOut);
      continue;
    }
    for (let j = 0; j < nOut; j++) {
      const i = o + j;
      const m = inWasm ? mean[i]! : (mean[i] = f(sigmoid(pot[i]!)));
      const agent = agent0 + j;
      const e = always || rngUniformFrom(expl, agent, step) < exploreProb;
      explore[i] = e ? 1 : 0;
      values[i] = e ? (rngUniformFrom(spike, agent, step) < m ? 1 : 0) : m > 0.5 ? 1 : 0;
    }
  }
}

/**
 * Kernel `softmax_output`: one invocation per replica r. Logits are pot_k = drive_k / temp for the
 * K - 1 learned units and 0 for the last action; probabilities by a max-shifted softmax (shifted
 * logits clipped at -30); the action is the first k with u < cumulative probability, u =
 * rngUniform(seed, Stream.spike, r * agentsPerReplica + L.agentOffset, step). Writes the one-hot
 * action into `values` and the action index into `actions[r]`.
 */
export function softmaxForward(L: Layer, x: Float32Array, replicas: number, agentsPerReplica: number, seed: number, step: number, actions: Uint32Array): void {
  const K = L.nVals;
  const z = new Float64Array(K);
  for (let r = 0; r < replicas; r++) {
    let zmax = 0; // the fixed logit
    for (let k = 0; k < K - 1; k++) {
      const pot = (L.pot[r * L.nOut + k] = f(unitDrive(L, x, r, k) / L.temp));
      z[k] = pot;
      if (pot > zmax) zmax = pot;
    }
    actions[r] = softmaxSample(z, zmax, rngUniform(seed, Stream.spike, r * agentsPerReplica + L.agentOffset, step), L.mean, L.values, r * K);
  }
}

/**
 * The softmax output's probabilities and draw (softmaxForward and the k-major twin): z[0 .. K-1)
 * hold the learned logits and zmax their max (at least the fixed logit 0, which this puts in
 * z[K-1]). Writes the max-shifted probabilities (shifted logits clipped at -30) into mean[o .. o+K)
 * and the one-hot action into values[o .. o+K); returns the action, the first k with u < the f32
 * cumulative probability (else K - 1). z is overwritten.
 */
export function softmaxSample(z: Float64Array, zmax: number, u: number, mean: Float32Array, values: Float32Array, o: number): number {
  const K = z.length;
  z[K - 1] = 0;
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const e = Math.exp(Math.max(z[k]! - zmax, -30));
    z[k] = e;
    sum += e;
  }
  for (let k = 0; k < K; k++) mean[o + k] = z[k]! / sum;
  let a = K - 1;
  let cum = 0;
  for (let k = 0; k < K - 1; k++) {
    cum = f(cum + mean[o + k]!);
    if (u < cum) {
      a = k;
      break;
    }
  }
  for (let k = 0; k < K; k++) values[o + k] = k === a ? 1 : 0;
  return a;
}
