/**
 * The GPU layout of Chung's actor, built on the host without a CPU `Net` (the million-agent
 * preset has 2^26 synapses): k-major weights with the bias as the last row
 * `theta[(r * (F + 1) + q) * N + j]`, sparse fan-in as k-major `pre[q * N + j]`, and the outgoing
 * (CSR) view as k-major synapse ids `q * N + j` grouped by presynaptic unit. Weights and wiring are
 * the very draws of `createNet` (src/chung/network.ts), so a GPU run starts from the same network
 * as the CPU reference; `test/chung/gpu-layout.test.ts` checks that.
 */
import { initLimit, type LayerShape, type LayerSpec, MULTIPLEXER_OUTPUT_FAN_OUT, stackShapes } from '../../chung/network.ts';
import { CounterRng, Stream } from '../../rng/counter-rng.ts';
import type { ChungMuxConfig } from './config.ts';

/** A layer of the k-major actor as built on the host. */
export interface HostLayer extends LayerShape {
  kind: 'bernoulli' | 'softmax';
  /** [R, F + 1, nOut] k-major weights, bias row last. */
  theta: Float32Array;
  /** [F, nOut] presynaptic index (sparse), else null. */
  pre: Uint32Array | null;
  /** [nIn + 1] CSR offsets and k-major synapse ids per presynaptic unit (sparse), else null. */
  outStart: Uint32Array | null;
  outSyn: Uint32Array | null;
}

export interface HostNet {
  replicas: number;
  inDim: number;
  numActions: number;
  agentsPerReplica: number;
  layers: HostLayer[];
}

/** Synapse count of a layer per replica (weights, not biases). */
export const synapses = (L: HostLayer): number => L.nOut * L.fanIn;

/** The layer specs of a config: its Bernoulli hidden layers and the softmax output (createNet's). */
export function muxLayerSpecs(c: ChungMuxConfig, numActions = 2): (LayerSpec & { kind: 'bernoulli' | 'softmax' })[] {
  return [
    ...c.hidden.map((size, l) => ({ kind: 'bernoulli' as const, size, fanIn: c.fanIn[l]!, temp: c.temp[l]! })),
    { kind: 'softmax' as const, size: numActions, fanIn: 0, temp: c.temp[c.hidden.length]!, initFanOut: MULTIPLEXER_OUTPUT_FAN_OUT },
  ];
}

/** Builds the net of a config with createNet's init draws, directly in the GPU layout. */
export function buildHostNet(c: ChungMuxConfig, obsDim: number, numActions = 2): HostNet {
  const R = c.replicas;
  const specs = muxLayerSpecs(c, numActions);
  const { shapes, agentsPerReplica } = stackShapes(specs, obsDim);
  const layers = shapes.map((shape, l): HostLayer => {
    const { nIn, nOut, fanIn: F, sparse } = shape;
    let pre: Uint32Array | null = null,
      outStart: Uint32Array | null = null,
      outSyn: Uint32Array | null = null;
    if (sparse) {
      // createNet's sparseWiring: per unit, F distinct draws by rejection; a stamp array makes the
      // duplicate check O(1) (same draws, same result).
      const rng = new CounterRng(c.seed, Stream.init, 0x7fff00 + l);
      pre = new Uint32Array(F * nOut);
      const mark = new Uint32Array(nIn);
      for (let j = 0; j < nOut; j++) {
        const stamp = j + 1;
        for (let q = 0; q < F; q++) {
          let p: number;
          do p = rng.int(nIn);
          while (mark[p] === stamp);
          mark[p] = stamp;
          pre[q * nOut + j] = p;
        }
      }
      outStart = new Uint32Array(nIn + 1);
      for (let s = 0; s < pre.length; s++) outStart[pre[s]! + 1] += 1;
      for (let i = 0; i < nIn; i++) outStart[i + 1] += outStart[i]!;
      const fill = outStart.slice(0, nIn);
      outSyn = new Uint32Array(pre.length);
      for (let j = 0; j < nOut; j++) {
        for (let q = 0; q < F; q++) {
          const p = pre[q * nOut + j]!;
          outSyn[fill[p]!] = q * nOut + j;
          fill[p] += 1;
        }
      }
    }
    const theta = new Float32Array(R * (F + 1) * nOut);
    const lim = initLimit(shape, specs[l]!.initFanOut);
    for (let r = 0; r < R; r++) {
      const rw = new CounterRng(c.seed, Stream.init, r * 256 + 2 * l);
      const rb = new CounterRng(c.seed, Stream.init, r * 256 + 2 * l + 1);
      const base = r * (F + 1) * nOut;
      for (let j = 0; j < nOut; j++) for (let q = 0; q < F; q++) theta[base + q * nOut + j] = rw.range(-lim, lim);
      const shift = c.biasInit?.[l] ?? 0;
      for (let j = 0; j < nOut; j++) theta[base + F * nOut + j] = shift === 0 ? rb.range(-1e-3, 1e-3) : Math.fround(Math.fround(rb.range(-1e-3, 1e-3)) + shift);
    }
    return { ...shape, kind: specs[l]!.kind, theta, pre, outStart, outSyn };
  });
  return { replicas: R, inDim: obsDim, numActions, agentsPerReplica, layers };
}

/** k-major theta [R, F+1, N] -> the CPU reference's incoming-major w [R, N, F] and b [R, N]. */
export function thetaToIncoming(theta: Float32Array, R: number, F: number, N: number): { w: Float32Array; b: Float32Array } {
  const w = new Float32Array(R * N * F),
    b = new Float32Array(R * N);
  for (let r = 0; r < R; r++) {
    const base = r * (F + 1) * N;
    for (let j = 0; j < N; j++) {
      for (let q = 0; q < F; q++) w[(r * N + j) * F + q] = theta[base + q * N + j]!;
      b[r * N + j] = theta[base + F * N + j]!;
    }
  }
  return { w, b };
}

/** The inverse of thetaToIncoming. */
export function incomingToTheta(w: Float32Array, b: Float32Array, R: number, F: number, N: number): Float32Array {
  const theta = new Float32Array(R * (F + 1) * N);
  for (let r = 0; r < R; r++) {
    const base = r * (F + 1) * N;
    for (let j = 0; j < N; j++) {
      for (let q = 0; q < F; q++) theta[base + q * N + j] = w[(r * N + j) * F + q]!;
      theta[base + F * N + j] = b[r * N + j]!;
    }
  }
  return theta;
}

/** Adam's bias-correction factors (1 / (1 - b1^t), 1 / (1 - b2^t)) for t = 1 .. steps - 1, in f64 rounded to f32. */
export function adamCorrectionTable(beta1: number, beta2: number, steps: number): Float32Array {
  const n = Math.max(1, steps - 1);
  const out = new Float32Array(2 * n);
  for (let t = 1; t <= n; t++) {
    out[2 * (t - 1)] = 1 / (1 - beta1 ** t);
    out[2 * (t - 1) + 1] = 1 / (1 - beta2 ** t);
  }
  return out;
}
