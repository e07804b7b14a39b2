/**
 * CPU twins of the k-major kernels of Chung's actor on one-step envs (shaders/chung-hidden-forward,
 * -output-partial, -softmax-output, -unit-reward, -reward-sum, -sgd-scatter, -param-update; the
 * weight-max-sparse rule, src/rules/weight-max-sparse.ts). Each computes what the CPU reference
 * (src/chung: hiddenForward, softmaxForward, reinforceCharac, accumulateTrace with lambda 0,
 * layerUpdate, adamStep, weightMaxReward, broadcastReward; the multiplexer runner's sgdStep) computes,
 * in its order and precision (sums in f64 from the bias on, stored in f32), over the kernels'
 * k-major layout: theta[(r * (F + 1) + q) * N + j] with the bias at q = F, pre[q * N + j].
 *
 * Two-pass reductions: the GPU sums chunks into an f32 partials buffer that a second kernel adds in
 * order. The twin of the first pass writes the same partials (each piece summed in f64, stored in
 * f32) and also keeps the whole f64 sum, walked in the reference's order, in `carried` under the
 * partials array; the twin of the second pass takes it from there (or, when the first pass did not
 * run, adds the partials). So the twins stay the reference's single f64 walk, and the partials
 * buffer still holds what the device's does (to f32 rounding).
 */
import type { AdamOptions } from '../chung/adam.ts';
import { sigmoid, softmaxSample } from '../chung/forward.ts';
import { normGrad } from '../chung/learning.ts';
import type { LayerShape } from '../chung/network.ts';
import type { Slot } from '../envs/cartpole-gpu.ts';
import { rngUniform, Stream } from '../rng/counter-rng.ts';
import type { HostArray } from '../run/kernel-def.ts';

const f = Math.fround;

/** The f64 result of a two-pass reduction's first pass, by its partials array (see above). */
const carried = new WeakMap<HostArray, Float64Array>();

/** Where each unit's pieces go: one host array per partials buffer, `count` results. */
function carry(partials: HostArray, count: number): Float64Array {
  let c = carried.get(partials);
  if (!c || c.length !== count) carried.set(partials, (c = new Float64Array(count)));
  return c;
}

/** One layer of the k-major actor, batched over replicas (sparse: pre[q * N + j] names the presynaptic unit). */
export type MuxLayerShape = Omit<LayerShape, 'kind'> & { replicas: number };

/** Which kernel form the GPU runs: chosen by the adapter ('auto': hardware forms on a hardware GPU). */
export type KernelForms = 'auto' | 'plain' | 'hardware';

export interface MuxForwardLayout {
  shape: MuxLayerShape;
  /** RNG agents per replica. */
  agentStride: number;
  seed: number;
  forms: KernelForms;
}

/** Twin of chung-hidden-forward: hiddenForward (Bernoulli-logistic) + reinforceCharac. */
export function muxHiddenForwardCpu(
  l: MuxForwardLayout,
  b: { theta: Float32Array; pre: Uint32Array; clock: Uint32Array; x: Float32Array; mean: Float32Array; values: Float32Array; charac: Float32Array },
): () => void {
  const { replicas: R, nOut: N, fanIn: F, nIn, sparse, temp, agentOffset } = l.shape;
  return () => {
    const step = b.clock[0]!;
    for (let r = 0; r < R; r++) {
      const base = r * (F + 1) * N,
        xb = r * nIn;
      for (let j = 0; j < N; j++) {
        let s = b.theta[base + F * N + j]!;
        for (let q = 0; q < F; q++) s += b.theta[base + q * N + j]! * b.x[xb + (sparse ? b.pre[q * N + j]! : q)]!;
        const i = r * N + j;
        const pot = f(s / temp);
        const mean = f(sigmoid(pot));
        const v = rngUniform(l.seed, Stream.spike, r * l.agentStride + agentOffset + j, step) < mean ? 1 : 0;
        b.mean[i] = mean;
        b.values[i] = v;
        b.charac[i] = (v - mean) / temp;
      }
    }
  };
}

/** Inputs per output-drive chunk with the hardware forms (the layout's outputChunk caps it further). */
export const HARDWARE_OUTPUT_CHUNK = 32;

/**
 * The output drive's chunking: the plain form walks `outputChunk` inputs per invocation; the
 * hardware form short chunks (more invocations), at most 1024 of them (the softmax kernel adds a
 * replica's chunks in one invocation).
 */
export function outputChunking(fanIn: number, outputChunk: number, hardware: boolean): { chunk: number; chunks: number } {
  const chunk = Math.min(hardware ? Math.min(outputChunk, Math.max(HARDWARE_OUTPUT_CHUNK, Math.ceil(fanIn / 1024))) : outputChunk, fanIn);
  return { chunk, chunks: Math.ceil(fanIn / chunk) };
}

export interface MuxOutputLayout {
  /** The softmax output layer (dense). */
  shape: MuxLayerShape;
  outputChunk: number;
  forms: KernelForms;
  agentStride: number;
  seed: number;
  /** Where the action index goes (as f32) for the env. */
  act: Slot;
}

/** Twin of chung-output-partial: the chunks' partial drives (plain chunking), and each logit's whole f64 drive carried. */
export function muxOutputPartialCpu(l: MuxOutputLayout, b: { theta: Float32Array; x: Float32Array; partial: Float32Array }): () => void {
  const { replicas: R, nOut: U, fanIn: F } = l.shape;
  const { chunk, chunks } = outputChunking(F, l.outputChunk, false);
  return () => {
    const drive = carry(b.partial, R * U);
    for (let r = 0; r < R; r++) {
      const wb = r * (F + 1) * U,
        xb = r * F;
      for (let k = 0; k < U; k++) {
        let s = b.theta[wb + F * U + k]!;
        for (let c = 0; c < chunks; c++) {
          let p = 0;
          for (let i = c * chunk; i < Math.min(F, (c + 1) * chunk); i++) {
            const t = b.theta[wb + i * U + k]! * b.x[xb + i]!;
            p += t;
            s += t;
          }
          b.partial[(r * U + k) * chunks + c] = p;
        }
        drive[r * U + k] = s;
      }
    }
  };
}

/** Twin of chung-softmax-output: softmaxForward from the carried drives, the action into its slot, reinforceCharac. */
export function muxSoftmaxCpu(
  l: MuxOutputLayout,
  b: { theta: Float32Array; partial: Float32Array; clock: Uint32Array; mean: Float32Array; values: Float32Array; act: Float32Array; charac: Float32Array },
): () => void {
  const { replicas: R, nOut: U, nVals: K, fanIn: F, temp, agentOffset } = l.shape;
  const z = new Float64Array(K);
  return () => {
    const step = b.clock[0]!;
    const drive = carried.get(b.partial);
    const chunks = b.partial.length / (R * U);
    for (let r = 0; r < R; r++) {
      let zmax = 0;
      for (let k = 0; k < U; k++) {
        let d = drive?.[r * U + k];
        if (d === undefined) {
          d = b.theta[(r * (F + 1) + F) * U + k]!;
          for (let c = 0; c < chunks; c++) d += b.partial[(r * U + k) * chunks + c]!;
        }
        const pot = f(d / temp);
        z[k] = pot;
        if (pot > zmax) zmax = pot;
      }
      b.act[r * l.act.stride + l.act.offset] = softmaxSample(z, zmax, rngUniform(l.seed, Stream.spike, r * l.agentStride + agentOffset, step), b.mean, b.values, r * K);
      for (let k = 0; k < U; k++) b.charac[r * U + k] = (b.values[r * K + k]! - b.mean[r * K + k]!) / temp;
    }
  };
}

export type UnitRewardMode = 'broadcast' | 'weightmax-dense' | 'weightmax-sparse' | 'weightmax-scatter';
/** Largest layer the 'weightmax-scatter' mode serves (MAX_BELOW in the WGSL). */
export const SCATTER_MAX_UNITS = 256;

export interface MuxUnitRewardLayout {
  mode: UnitRewardMode;
  below: MuxLayerShape;
  /** The layer above (unused for broadcast). */
  above: MuxLayerShape | null;
  /** Pieces (sparse) or blocks (scatter) of the two-pass gather; 1 otherwise. */
  chunks: number;
  /** Synapses per piece (sparse) or above units per block (scatter). */
  chunk: number;
  /** Weight Max norm p. */
  p: number;
  forms: KernelForms;
}

/** The outgoing (CSR) view of a sparse layer from its k-major pre: per presynaptic unit, synapse ids q * N + j in (j, q) order (createNet's order). */
function csrOf(pre: Uint32Array, nIn: number, N: number, F: number): { start: Uint32Array; syn: Uint32Array } {
  const start = new Uint32Array(nIn + 1);
  for (let s = 0; s < N * F; s++) start[pre[s]! + 1] += 1;
  for (let i = 0; i < nIn; i++) start[i + 1] += start[i]!;
  const fill = start.slice(0, nIn);
  const syn = new Uint32Array(N * F);
  for (let j = 0; j < N; j++) for (let q = 0; q < F; q++) syn[fill[pre[q * N + j]!]!++] = q * N + j;
  return { start, syn };
}

const wmTerm = (w: number, p: number) => (p === 2 ? 2 * w : normGrad(w, p));

/**
 * weightMaxReward over k-major arrays: per (replica, below unit i), sum over i's outgoing synapses
 * (dense: the above units k in order; sparse: the CSR list) of normGrad(w, p) * u, u = f((x_i c_k) rho_k)
 * the raw update (lambda 0: e = x c), in f64 from 0.
 */
function weightMaxGather(
  below: MuxLayerShape,
  above: MuxLayerShape,
  p: number,
  csr: { start: Uint32Array; syn: Uint32Array } | null,
  b: { aboveTheta: Float32Array; aboveCharac: Float32Array; aboveReward: Float32Array; x: Float32Array },
  out: (r: number, i: number, s: number) => void,
): void {
  const R = below.replicas,
    N = below.nOut,
    Na = above.nOut,
    F = above.fanIn;
  for (let r = 0; r < R; r++) {
    const wb = r * (F + 1) * Na;
    for (let i = 0; i < N; i++) {
      const xi = b.x[r * N + i]!;
      let s = 0;
      if (!csr) {
        for (let k = 0; k < Na; k++) {
          const u = f(f(xi * b.aboveCharac[r * Na + k]!) * b.aboveReward[r * Na + k]!);
          s += wmTerm(b.aboveTheta[wb + i * Na + k]!, p) * u;
        }
      } else {
        for (let q = csr.start[i]!; q < csr.start[i + 1]!; q++) {
          const syn = csr.syn[q]!,
            k = syn % Na;
          const u = f(f(xi * b.aboveCharac[r * Na + k]!) * b.aboveReward[r * Na + k]!);
          s += wmTerm(b.aboveTheta[wb + syn]!, p) * u;
        }
      }
      out(r, i, s);
    }
  }
}

/**
 * Twin of chung-unit-reward: broadcastReward, or weightMaxReward. In the two-pass modes `reward`
 * is the partials buffer: pieces of the CSR list (sparse) or blocks of above units (scatter,
 * whose `outSyn` binding holds the above layer's pre), and the whole f64 sum is carried.
 */
export function muxUnitRewardCpu(
  l: MuxUnitRewardLayout,
  b: { aboveTheta: Float32Array; aboveCharac: Float32Array; aboveReward: Float32Array; x: Float32Array; outStart: Uint32Array; outSyn: Uint32Array; signal: Float32Array; reward: Float32Array },
): () => void {
  const R = l.below.replicas,
    N = l.below.nOut;
  if (l.mode === 'broadcast')
    return () => {
      for (let r = 0; r < R; r++) b.reward.fill(b.signal[r]!, r * N, (r + 1) * N);
    };
  const above = l.above!;
  const Na = above.nOut,
    F = above.fanIn,
    C = l.chunks;
  if (l.mode === 'weightmax-dense') return () => weightMaxGather(l.below, above, l.p, null, b, (r, i, s) => (b.reward[r * N + i] = s));
  let csr: { start: Uint32Array; syn: Uint32Array } | null = null;
  return () => {
    if (l.mode === 'weightmax-sparse') csr ??= { start: b.outStart, syn: b.outSyn };
    else csr ??= csrOf(b.outSyn, N, Na, F);
    const total = carry(b.reward, R * N);
    weightMaxGather(l.below, above, l.p, csr, b, (r, i, s) => (total[r * N + i] = s));
    b.reward.fill(0);
    // The device's partials, each piece summed on its own.
    for (let r = 0; r < R; r++) {
      const wb = r * (F + 1) * Na;
      for (let i = 0; i < N; i++) {
        const xi = b.x[r * N + i]!;
        for (let q = csr.start[i]!; q < csr.start[i + 1]!; q++) {
          const syn = csr.syn[q]!,
            k = syn % Na;
          const u = f(f(xi * b.aboveCharac[r * Na + k]!) * b.aboveReward[r * Na + k]!);
          const at = l.mode === 'weightmax-sparse' ? (r * N + i) * C + Math.floor((q - csr.start[i]!) / l.chunk) : (r * C + Math.floor(k / l.chunk)) * N + i;
          b.reward[at] = f(b.reward[at]! + wmTerm(b.aboveTheta[wb + syn]!, l.p) * u);
        }
      }
    }
  };
}

export interface MuxRewardSumLayout {
  /** Results (R * units). */
  count: number;
  chunks: number;
  units: number;
  /** 'pieces': partial[(r N + i) C + c] (chung-unit-reward sparse); 'blocks': partial[(r C + c) N + i] (scatter). */
  layout: 'pieces' | 'blocks';
}

/** Twin of chung-reward-sum: the carried f64 sums (else the partials added in order). */
export function muxRewardSumCpu(l: MuxRewardSumLayout, b: { partial: Float32Array; reward: Float32Array }): () => void {
  const C = l.chunks,
    N = l.units;
  return () => {
    const total = carried.get(b.partial);
    for (let t = 0; t < l.count; t++) {
      if (total) {
        b.reward[t] = total[t]!;
        continue;
      }
      let s = 0;
      const r = Math.floor(t / N),
        i = t - r * N;
      for (let c = 0; c < C; c++) s = f(s + b.partial[l.layout === 'pieces' ? t * C + c : (r * C + c) * N + i]!);
      b.reward[t] = s;
    }
  };
}

export interface MuxSgdScatterLayout {
  /** The layer whose reward is gathered (<= 256 units). */
  below: MuxLayerShape;
  /** The sparse SGD layer above, updated here. */
  above: MuxLayerShape;
  chunks: number;
  chunk: number;
  p: number;
  /** The above layer's SGD step. */
  lr: number;
}

/** The multiplexer runner's sgdStep: param += f32(lr) * g, in f32. */
const sgd = (param: number, lr: number, g: number) => f(param + f(f(lr) * g));

/**
 * Twin of chung-sgd-scatter: the above layer's layerUpdate + sgdStep (weights and biases), then
 * weightMaxReward into the layer below (block partials, the f64 sum carried).
 */
export function muxSgdScatterCpu(
  l: MuxSgdScatterLayout,
  b: { aboveTheta: Float32Array; aboveCharac: Float32Array; aboveReward: Float32Array; x: Float32Array; pre: Uint32Array; reward: Float32Array },
): () => void {
  const R = l.below.replicas,
    N = l.below.nOut,
    Na = l.above.nOut,
    F = l.above.fanIn,
    C = l.chunks;
  let csr: { start: Uint32Array; syn: Uint32Array } | null = null;
  return () => {
    for (let r = 0; r < R; r++) {
      const wb = r * (F + 1) * Na;
      for (let k = 0; k < Na; k++) {
        const c = b.aboveCharac[r * Na + k]!,
          rho = b.aboveReward[r * Na + k]!;
        for (let q = 0; q < F; q++) {
          const g = f(f(b.x[r * N + b.pre[q * Na + k]!]! * c) * rho);
          b.aboveTheta[wb + q * Na + k] = sgd(b.aboveTheta[wb + q * Na + k]!, l.lr, g);
        }
        b.aboveTheta[wb + F * Na + k] = sgd(b.aboveTheta[wb + F * Na + k]!, l.lr, f(f(c) * rho));
      }
    }
    csr ??= csrOf(b.pre, N, Na, F);
    const total = carry(b.reward, R * N);
    weightMaxGather(l.below, l.above, l.p, csr, b, (r, i, s) => (total[r * N + i] = s));
    b.reward.fill(0);
    for (let r = 0; r < R; r++) {
      const wb = r * (F + 1) * Na;
      for (let k = 0; k < Na; k++) {
        const c = b.aboveCharac[r * Na + k]!,
          rho = b.aboveReward[r * Na + k]!;
        for (let q = 0; q < F; q++) {
          const i = b.pre[q * Na + k]!;
          const g = f(f(b.x[r * N + i]! * c) * rho);
          const at = (r * C + Math.floor(k / l.chunk)) * N + i;
          b.reward[at] = f(b.reward[at]! + wmTerm(b.aboveTheta[wb + q * Na + k]!, l.p) * g);
        }
      }
    }
  };
}

export interface MuxParamUpdateLayout {
  shape: MuxLayerShape;
  optimizer: 'adam' | 'sgd';
  lr: number;
  adam: AdamOptions;
  forms: KernelForms;
}

/**
 * Twin of chung-param-update: accumulateTrace with lambda 0 (e = x c), layerUpdate (u = e rho), then
 * adamStep (Adam step clock + 1, bias corrections in f64; m and v interleaved in `mv`) or sgdStep.
 */
export function muxParamUpdateCpu(
  l: MuxParamUpdateLayout,
  b: { theta: Float32Array; mv: Float32Array; pre: Uint32Array; x: Float32Array; charac: Float32Array; reward: Float32Array; clock: Uint32Array },
): () => void {
  const { replicas: R, nOut: N, fanIn: F, nIn, sparse } = l.shape;
  const { beta1: b1, beta2: b2, eps } = l.adam;
  return () => {
    const t = b.clock[0]! + 1;
    const corr = t < l.adam.biasCorrectionSteps;
    const c1 = corr ? 1 / (1 - b1 ** t) : 1,
      c2 = corr ? 1 / (1 - b2 ** t) : 1;
    for (let r = 0; r < R; r++) {
      for (let j = 0; j < N; j++) {
        const cr = b.charac[r * N + j]!,
          rho = b.reward[r * N + j]!;
        for (let q = 0; q <= F; q++) {
          const p = (r * (F + 1) + q) * N + j;
          const x = q < F ? b.x[r * nIn + (sparse ? b.pre[q * N + j]! : q)]! : 1;
          const g = f(f(x * cr) * rho);
          if (l.optimizer === 'sgd') {
            b.theta[p] = sgd(b.theta[p]!, l.lr, g);
            continue;
          }
          b.mv[2 * p] = b1 * b.mv[2 * p]! + (1 - b1) * g;
          b.mv[2 * p + 1] = b2 * b.mv[2 * p + 1]! + (1 - b2) * g * g;
          b.theta[p] = b.theta[p]! + (l.lr * (b.mv[2 * p]! * c1)) / (Math.sqrt(b.mv[2 * p + 1]! * c2) + eps);
        }
      }
    }
  };
}
