/**
 * Chung's Weight Maximization on the Boolean multiplexer, on the GPU (or its CPU twin): the
 * actor only (single-step episodes, no critic), Bernoulli-logistic hidden layers with dense or
 * sparse fan-in and a softmax output, hidden units learning by Weight Max or REINFORCE.
 */
import { CHUNG_PRESETS } from '../../chung/config.ts';

export type ChungMuxRule = 'weightmax' | 'reinforce';
export type ChungMuxOptimizer = 'adam' | 'sgd';

export interface ChungMuxConfig {
  /** Address bits k: 4 = the paper's 20-bit multiplexer, 3 = 11-bit, 2 = 6-bit. */
  addressBits: number;
  /** Hidden layer widths (the paper: [64, 32]). */
  hidden: number[];
  /** Presynaptic units per unit of each hidden layer; 0 = dense (the output is always dense). */
  fanIn: number[];
  /** How hidden units learn; the output is REINFORCE on the reward. */
  rule: ChungMuxRule;
  /** Independent networks (and envs) trained at once. */
  replicas: number;
  /** Episodes (= steps) per replica. */
  episodes: number;
  seed: number;
  /** Learning rate per layer (hidden..., output); the code never anneals on the multiplexer. */
  lr: number[];
  /** Optimiser per layer: Adam (the paper) or plain SGD (no per-parameter state). */
  optimizer: ChungMuxOptimizer[];
  /** Temperature per layer (hidden..., output). */
  temp: number[];
  /**
   * Added to every initial bias of each layer (hidden..., output), after createNet's draw: a
   * negative shift makes a layer fire sparsely at the start (the million preset's big layer).
   */
  biasInit: number[];
  /** Weight Max norm p (2 in every config of the paper). */
  weightMaxP: number;
  adamBeta1: number;
  adamBeta2: number;
  adamEps: number;
  /** Adam bias correction while t < this (the code: 1000). */
  adamBiasCorrectionSteps: number;
  backend: 'webgpu' | 'cpu';
  /** Steps recorded into one GPU submit. */
  stepsPerSubmit: number;
  /** Inputs per chunk of the output's two-pass drive reduction. */
  outputChunk: number;
  /** Outgoing synapses per thread of the sparse Weight Max gather (two-pass, summed in order). */
  gatherChunk: number;
  /**
   * How a hidden layer below a sparse layer gathers its Weight Max reward: 'csr' walks its
   * outgoing (CSR) list; 'scatter' (layers of <= 256 units) walks the layer above's synapses in
   * storage order into per-thread partials. Both are fixed-order two-pass sums, no atomics.
   */
  gatherMode: 'csr' | 'scatter';
  /**
   * With the 'scatter' gather below a sparse SGD layer, run that layer's update inside the gather
   * (shaders/chung-sgd-scatter.wgsl: one walk over its synapses instead of two; same arithmetic).
   */
  fuseSgdScatter: boolean;
}

const P = CHUNG_PRESETS.multiplexer;

/** The paper's multiplexer config (20-bit, 64-32 dense, Adam, lr [.01, .001, 1e-4]). */
export const CHUNG_MUX_DEFAULTS: Readonly<ChungMuxConfig> = {
  addressBits: 4,
  hidden: [...P.hidden],
  fanIn: P.hidden.map(() => 0),
  rule: 'weightmax',
  replicas: 1,
  episodes: 20_000,
  seed: 1,
  lr: [...P.actorLrStart],
  optimizer: ['adam', 'adam', 'adam'],
  temp: [...P.temp],
  biasInit: [0, 0, 0],
  weightMaxP: P.weightMaxP,
  adamBeta1: P.adamBeta1,
  adamBeta2: P.adamBeta2,
  adamEps: P.adamEps,
  adamBiasCorrectionSteps: P.adamBiasCorrectionSteps,
  backend: 'webgpu',
  stepsPerSubmit: 256,
  outputChunk: 1024,
  gatherChunk: 2048,
  gatherMode: 'scatter',
  fuseSgdScatter: true,
};

export function chungMuxConfig(o: Partial<ChungMuxConfig> = {}): ChungMuxConfig {
  const d = CHUNG_MUX_DEFAULTS;
  const hidden = o.hidden ?? [...d.hidden];
  const L = hidden.length + 1;
  const fit = <T>(a: T[] | undefined, dflt: readonly T[]): T[] => a ?? Array.from({ length: L }, (_, i) => dflt[Math.min(i, dflt.length - 1)]!);
  return {
    ...d,
    ...o,
    hidden,
    fanIn: o.fanIn ?? hidden.map(() => 0),
    lr: fit(o.lr, d.lr),
    optimizer: fit(o.optimizer, d.optimizer),
    temp: fit(o.temp, d.temp),
    biasInit: o.biasInit ?? Array.from({ length: L }, () => 0),
  };
}

function int(name: string, v: unknown, lo: number, hi: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${name} must be an integer in [${lo}, ${hi}], got ${String(v)}`);
}
function num(name: string, v: unknown, lo: number, hi: number, loOpen = false): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || (loOpen ? v <= lo : v < lo) || v > hi) {
    throw new RangeError(`${name} must be a number in ${loOpen ? '(' : '['}${lo}, ${hi}], got ${String(v)}`);
  }
}
function arr(name: string, v: unknown, len: number): asserts v is unknown[] {
  if (!Array.isArray(v) || v.length !== len) throw new RangeError(`${name} must be an array of length ${len}, got ${Array.isArray(v) ? `length ${v.length}` : String(v)}`);
}

/** Throws a RangeError naming the first invalid field. */
export function validateChungMuxConfig(c: ChungMuxConfig): void {
  int('addressBits', c.addressBits, 1, 6);
  if (!Array.isArray(c.hidden) || c.hidden.length < 1 || c.hidden.length > 6) throw new RangeError(`hidden must be an array of 1 to 6 layer widths, got ${JSON.stringify(c.hidden)}`);
  c.hidden.forEach((n, i) => int(`hidden[${i}]`, n, 1, 1 << 24));
  const L = c.hidden.length + 1;
  arr('fanIn', c.fanIn, c.hidden.length);
  c.fanIn.forEach((k, i) => int(`fanIn[${i}]`, k, 0, 1 << 16));
  if (c.rule !== 'weightmax' && c.rule !== 'reinforce') throw new RangeError(`rule must be one of weightmax, reinforce, got ${String(c.rule)}`);
  int('replicas', c.replicas, 1, 1 << 16);
  int('episodes', c.episodes, 1, 1e9);
  int('seed', c.seed, 0, 2 ** 32 - 1);
  arr('lr', c.lr, L);
  c.lr.forEach((x, i) => num(`lr[${i}]`, x, 0, 1e4));
  arr('optimizer', c.optimizer, L);
  c.optimizer.forEach((x, i) => {
    if (x !== 'adam' && x !== 'sgd') throw new RangeError(`optimizer[${i}] must be one of adam, sgd, got ${String(x)}`);
  });
  arr('temp', c.temp, L);
  c.temp.forEach((x, i) => num(`temp[${i}]`, x, 0, 1e6, true));
  arr('biasInit', c.biasInit, L);
  c.biasInit.forEach((x, i) => num(`biasInit[${i}]`, x, -1e6, 1e6));
  num('weightMaxP', c.weightMaxP, 1, 8);
  num('adamBeta1', c.adamBeta1, 0, 1 - 1e-9);
  num('adamBeta2', c.adamBeta2, 0, 1 - 1e-12);
  num('adamEps', c.adamEps, 0, 1, true);
  int('adamBiasCorrectionSteps', c.adamBiasCorrectionSteps, 0, 1e6);
  if (c.backend !== 'webgpu' && c.backend !== 'cpu') throw new RangeError(`backend must be one of webgpu, cpu, got ${String(c.backend)}`);
  int('stepsPerSubmit', c.stepsPerSubmit, 1, 1 << 16);
  int('outputChunk', c.outputChunk, 1, 1 << 24);
  int('gatherChunk', c.gatherChunk, 1, 1 << 24);
  if (typeof c.fuseSgdScatter !== 'boolean') throw new RangeError(`fuseSgdScatter must be a boolean, got ${String(c.fuseSgdScatter)}`);
  if (c.gatherMode !== 'csr' && c.gatherMode !== 'scatter') throw new RangeError(`gatherMode must be one of csr, scatter, got ${String(c.gatherMode)}`);
}
