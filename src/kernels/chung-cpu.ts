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
import { rngPrefix, rngUniform, rngUniformFrom, Stream } from '../rng/counter-rng.ts';
import type { CpuOp, HostArray } from '../run/kernel-def.ts';
import { scatterSums, scatterTerms, scatterTiles, tileUnits, type ScatterWalk } from './chung-scatter-cpu.ts';
import { ScatterTeam, teamFits } from './chung-scatter-team.ts';

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

/** Units per tile of the forward's f64 drives: they stay in cache while the k-major fan-in rows stream past. */
const FORWARD_TILE = 2048;

/**
 * Twin of chung-hidden-forward: hiddenForward (Bernoulli-logistic) + reinforceCharac. Each unit's
 * drive is the reference's f64 sum from the bias over q in order; the units of a tile are summed
 * side by side, row q of the k-major theta (and pre) after row q - 1, so the loops stream memory.
 */
export function muxHiddenForwardCpu(
  l: MuxForwardLayout,
  b: { theta: Float32Array; pre: Uint32Array; clock: Uint32Array; x: Float32Array; mean: Float32Array; values: Float32Array; charac: Float32Array },
): () => void {
  const { replicas: R, nOut: N, fanIn: F, nIn, sparse, temp, agentOffset } = l.shape;
  const { theta, pre, x, mean, values, charac } = b;
  const T = Math.min(N, FORWARD_TILE);
  const acc = new Float64Array(T);
  const prefix = rngPrefix(l.seed, Stream.spike);
  return () => {
    const step = b.clock[0]!;
    for (let r = 0; r < R; r++) {
      const base = r * (F + 1) * N,
        xb = r * nIn,
        agent0 = r * l.agentStride + agentOffset;
      for (let j0 = 0; j0 < N; j0 += T) {
        const n = Math.min(T, N - j0);
        const bias = base + F * N + j0;
        for (let t = 0; t < n; t++) acc[t] = theta[bias + t]!;
        // Four rows per pass (the same additions in the same order, a quarter of the loads and stores of acc).
        let q = 0;
        for (; q + 4 <= F; q += 4) {
          const r0 = base + q * N + j0,
            r1 = r0 + N,
            r2 = r1 + N,
            r3 = r2 + N;
          if (sparse) {
            const p0 = q * N + j0,
              p1 = p0 + N,
              p2 = p1 + N,
              p3 = p2 + N;
            for (let t = 0; t < n; t++)
              acc[t] = acc[t]! + theta[r0 + t]! * x[xb + pre[p0 + t]!]! + theta[r1 + t]! * x[xb + pre[p1 + t]!]! + theta[r2 + t]! * x[xb + pre[p2 + t]!]! + theta[r3 + t]! * x[xb + pre[p3 + t]!]!;
          } else {
            const x0 = x[xb + q]!,
              x1 = x[xb + q + 1]!,
              x2 = x[xb + q + 2]!,
              x3 = x[xb + q + 3]!;
            for (let t = 0; t < n; t++) acc[t] = acc[t]! + theta[r0 + t]! * x0 + theta[r1 + t]! * x1 + theta[r2 + t]! * x2 + theta[r3 + t]! * x3;
          }
        }
        for (; q < F; q++) {
          const row = base + q * N + j0;
          if (sparse) {
            const prow = q * N + j0;
            for (let t = 0; t < n; t++) acc[t] += theta[row + t]! * x[xb + pre[prow + t]!]!;
          } else {
            const xq = x[xb + q]!;
            for (let t = 0; t < n; t++) acc[t] += theta[row + t]! * xq;
          }
        }
        for (let t = 0; t < n; t++) {
          const j = j0 + t,
            i = r * N + j;
          const pot = f(acc[t]! / temp);
          const m = f(sigmoid(pot));
          const v = rngUniformFrom(prefix, agent0 + j, step) < m ? 1 : 0;
          mean[i] = m;
          values[i] = v;
          charac[i] = (v - m) / temp;
        }
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
  const { theta, x, partial } = b;
  // Every logit's drive and chunk sum side by side (f64, each in the reference's order over i).
  const sum = new Float64Array(U),
    part = new Float64Array(U);
  return () => {
    const drive = carry(partial, R * U);
    for (let r = 0; r < R; r++) {
      const wb = r * (F + 1) * U,
        xb = r * F;
      for (let k = 0; k < U; k++) sum[k] = theta[wb + F * U + k]!;
      for (let c = 0; c < chunks; c++) {
        part.fill(0);
        const i1 = Math.min(F, (c + 1) * chunk);
        for (let i = c * chunk; i < i1; i++) {
          const xi = x[xb + i]!,
            row = wb + i * U;
          for (let k = 0; k < U; k++) {
            const t = theta[row + k]! * xi;
            part[k] += t;
            sum[k] += t;
          }
        }
        for (let k = 0; k < U; k++) partial[(r * U + k) * chunks + c] = part[k]!;
      }
      for (let k = 0; k < U; k++) drive[r * U + k] = sum[k]!;
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

/** The arrays a Weight Max gather reads: the layer above's weights, charac and reward, and the layer below's values. */
interface GatherArrays {
  aboveTheta: Float32Array;
  aboveCharac: Float32Array;
  aboveReward: Float32Array;
  x: Float32Array;
}

/**
 * weightMaxReward over k-major arrays with the layer above sparse, in the above layer's storage
 * order (its `pre` names each synapse's below unit i): per (replica, below unit i), the f64 sum from
 * 0 of normGrad(w, p) * u, u = f((x_i c_k) rho_k) the raw update (lambda 0: e = x c), over i's
 * outgoing synapses in (above unit k, synapse q) order, which is the order of the reference's
 * outgoing (CSR) lists; into the carried total of `partial`. Each term is also added in f32 into
 * i's partial of block floor(k / chunk), `partial[(r C + block) N + i]` (the device's partials).
 * With `lr`, every weight (and bias) of the layer above first takes its SGD step (the multiplexer
 * runner's sgdStep: w += f32(lr) * u, in f32) and the gather reads the new weight: chung-sgd-scatter's
 * update in the same walk (a weight's step reads only that weight, so this equals a whole update
 * pass before the gather). The walk goes in tiles (chung-scatter-cpu.ts); with `threads` > 1 over
 * shared memory, a helper thread runs most tiles' first pass (chung-scatter-team.ts), bit for bit.
 */
function scatterGather(
  below: MuxLayerShape,
  above: MuxLayerShape,
  p: number,
  C: number,
  chunk: number,
  lr: number | null,
  b: GatherArrays & { pre: Uint32Array; partial: Float32Array },
  threads: number,
): CpuOp {
  const { aboveTheta: theta, aboveCharac: charac, aboveReward: reward, x, pre, partial } = b;
  const w: ScatterWalk = { replicas: below.replicas, N: below.nOut, Na: above.nOut, F: above.fanIn, p, lr, C, chunk, theta, charac, reward, x, pre };
  const team = threads > 1 && teamFits(w) ? new ScatterTeam(w) : null;
  const slot = tileUnits(w) * w.F;
  const terms = team ? null : new Float64Array(slot),
    units = team ? null : new Uint32Array(slot);
  const G = scatterTiles(w);
  const op: CpuOp = () => {
    const total = carry(partial, w.replicas * w.N);
    total.fill(0);
    partial.fill(0);
    if (team) return team.run(total, partial);
    for (let g = 0; g < G; g++) {
      scatterTerms(w, g, terms!, units!, 0);
      scatterSums(w, g, terms!, units!, 0, total, partial);
    }
  };
  if (team) op.destroy = () => team.destroy();
  return op;
}

/**
 * Twin of chung-unit-reward: broadcastReward, or weightMaxReward. In the two-pass modes `reward`
 * is the partials buffer: pieces of the CSR list (sparse) or blocks of above units (scatter,
 * whose `outSyn` binding holds the above layer's pre), and the whole f64 sum is carried.
 */
export function muxUnitRewardCpu(l: MuxUnitRewardLayout, b: GatherArrays & { outStart: Uint32Array; outSyn: Uint32Array; signal: Float32Array; reward: Float32Array }, threads = 1): CpuOp {
  const R = l.below.replicas,
    N = l.below.nOut;
  const { reward, signal } = b;
  if (l.mode === 'broadcast')
    return () => {
      for (let r = 0; r < R; r++) reward.fill(signal[r]!, r * N, (r + 1) * N);
    };
  const above = l.above!;
  const Na = above.nOut,
    F = above.fanIn,
    C = l.chunks,
    p = l.p,
    p2 = p === 2;
  const { aboveTheta: theta, aboveCharac: charac, aboveReward: rho, x } = b;
  // Dense: per below unit i, the above units k in order (i's weights are contiguous in the k-major layout).
  if (l.mode === 'weightmax-dense')
    return () => {
      for (let r = 0; r < R; r++) {
        const wb = r * (F + 1) * Na,
          ab = r * Na;
        for (let i = 0; i < N; i++) {
          const xi = x[r * N + i]!,
            row = wb + i * Na;
          let s = 0;
          for (let k = 0; k < Na; k++) {
            const w = theta[row + k]!;
            s += (p2 ? 2 * w : normGrad(w, p)) * f(f(xi * charac[ab + k]!) * rho[ab + k]!);
          }
          reward[r * N + i] = s;
        }
      }
    };
  if (l.mode === 'weightmax-scatter') return scatterGather(l.below, above, p, C, l.chunk, null, { ...b, pre: b.outSyn, partial: reward }, threads);
  // Sparse: per below unit i, its CSR list of above synapses (ids q * Na + k in (k, q) order), in
  // pieces of `chunk` synapses.
  const { outStart: start, outSyn: syn } = b;
  return () => {
    const total = carry(reward, R * N);
    reward.fill(0);
    for (let r = 0; r < R; r++) {
      const wb = r * (F + 1) * Na,
        ab = r * Na;
      for (let i = 0; i < N; i++) {
        const xi = x[r * N + i]!,
          q0 = start[i]!,
          q1 = start[i + 1]!,
          pieces = (r * N + i) * C;
        let s = 0;
        for (let q = q0; q < q1; q++) {
          const id = syn[q]!,
            k = id % Na;
          const w = theta[wb + id]!;
          const term = (p2 ? 2 * w : normGrad(w, p)) * f(f(xi * charac[ab + k]!) * rho[ab + k]!);
          s += term;
          const at = pieces + Math.floor((q - q0) / l.chunk);
          reward[at] = reward[at]! + term;
        }
        total[r * N + i] = s;
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

/**
 * Twin of chung-sgd-scatter: the above layer's layerUpdate + sgdStep (the multiplexer runner's: param
 * += f32(lr) * g, in f32; weights and biases), then weightMaxReward into the layer below from the
 * new weights (block partials, the f64 sum carried), in one walk over the above layer's synapses:
 * each weight's step only reads that weight, so the gather sees every new weight as after a whole pass.
 */
export function muxSgdScatterCpu(l: MuxSgdScatterLayout, b: GatherArrays & { pre: Uint32Array; reward: Float32Array }, threads = 1): CpuOp {
  return scatterGather(l.below, l.above, l.p, l.chunks, l.chunk, l.lr, { ...b, partial: b.reward }, threads);
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
 * Every parameter's step reads only its own words, so the loop walks theta in storage order (row q
 * of the k-major layout, then unit j).
 */
export function muxParamUpdateCpu(
  l: MuxParamUpdateLayout,
  b: { theta: Float32Array; mv: Float32Array; pre: Uint32Array; x: Float32Array; charac: Float32Array; reward: Float32Array; clock: Uint32Array },
): () => void {
  const { replicas: R, nOut: N, fanIn: F, nIn, sparse } = l.shape;
  const { beta1: b1, beta2: b2, eps } = l.adam;
  const { theta, mv, pre, x, charac, reward } = b;
  const adam = l.optimizer === 'adam',
    lr = l.lr,
    lr32 = f(lr);
  return () => {
    const t = b.clock[0]! + 1;
    const corr = t < l.adam.biasCorrectionSteps;
    const c1 = corr ? 1 / (1 - b1 ** t) : 1,
      c2 = corr ? 1 / (1 - b2 ** t) : 1;
    for (let r = 0; r < R; r++) {
      const xb = r * nIn,
        ub = r * N;
      for (let q = 0; q <= F; q++) {
        const row = (r * (F + 1) + q) * N,
          prow = q * N,
          xq = q < F && !sparse ? x[xb + q]! : 1;
        for (let j = 0; j < N; j++) {
          const p = row + j;
          const xj = sparse && q < F ? x[xb + pre[prow + j]!]! : xq;
          const g = f(f(xj * charac[ub + j]!) * reward[ub + j]!);
          if (!adam) {
            theta[p] = f(theta[p]! + f(lr32 * g));
            continue;
          }
          mv[2 * p] = b1 * mv[2 * p]! + (1 - b1) * g;
          mv[2 * p + 1] = b2 * mv[2 * p + 1]! + (1 - b2) * g * g;
          theta[p] = theta[p]! + (lr * (mv[2 * p]! * c1)) / (Math.sqrt(mv[2 * p + 1]! * c2) + eps);
        }
      }
    }
  };
}
