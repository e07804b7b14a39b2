/**
 * The million-agent network's preset (`train million`, demos/million.ts, the sparse variant of
 * `reproduce chung-scaling`); it runs as the weight-max-sparse rule (muxExperiment).
 */
import { chungMuxConfig, type ChungMuxConfig, type ChungMuxRule } from './config.ts';

export interface MillionOptions {
  /** Units of the big (second) hidden layer; 2^20 by default. */
  units?: number;
  /** Synapses per big-layer unit, drawn from the first hidden layer; 64 by default. */
  fanIn?: number;
  /** First hidden layer (dense over the inputs); 256 by default. */
  firstLayer?: number;
  episodes?: number;
  addressBits?: number;
  rule?: ChungMuxRule;
  seed?: number;
  backend?: 'webgpu' | 'cpu';
  stepsPerSubmit?: number;
  /** Adam lr of the first hidden layer. */
  lrFirst?: number;
  /** SGD lr of the big layer. */
  lrBig?: number;
  /** Output SGD lr times the number of big-layer units (the output reads every one of them). */
  lrOut?: number;
  /** Effective weight range of the first layer: its temperature is its Glorot limit / this. */
  scaleFirst?: number;
  /** Effective weight range of the big layer: its temperature is its Glorot limit / this. */
  scaleBig?: number;
  /** Initial bias of the big layer in units of its temperature (negative: sparse firing). */
  biasBig?: number;
}

/** The tuned defaults of the million preset (docs/million.md, "Tuning"). */
export const MILLION_DEFAULTS = {
  units: 1 << 20,
  fanIn: 64,
  firstLayer: 256,
  episodes: 100,
  addressBits: 1,
  lrFirst: 0.01,
  lrBig: 1e-4,
  lrOut: 100,
  scaleFirst: 3,
  scaleBig: 3,
  biasBig: -15,
  stepsPerSubmit: 4,
} as const;

/**
 * The million-agent network: multiplexer inputs -> 256 Bernoulli units dense (Adam) -> `units`
 * Bernoulli units, each with `fanIn` random distinct synapses from the 256 (plain SGD: Adam's two
 * moments would push 2^26 synapses past 1 GiB) -> softmax over 2 actions, dense over all `units`
 * (plain SGD, lr lrOut / units). Every hidden unit learns by Weight Max; the 256 units' gather walks
 * the big layer's synapses in storage order ('scatter', fused with the big layer's SGD step).
 *
 * Scaled for the population (docs/million.md): the init draws are createNet's Glorot ones, whose
 * limit shrinks like 1 / sqrt(units) in the big layer (its fan-out is units * fanIn / 256), so the
 * temperatures undo that (temp = Glorot limit / scale: effective weights U(-scale, scale) at any
 * size); the big layer starts with bias biasBig * temp, so ~3% of its units fire for a given input
 * (sparse random features of the first layer's code); and the output's step is lrOut / units per
 * weight, O(1) in logit space per episode whatever the size.
 */
export function millionConfig(o: MillionOptions = {}): ChungMuxConfig {
  const d = MILLION_DEFAULTS;
  const units = o.units ?? d.units;
  const F = o.fanIn ?? d.fanIn;
  const n1 = o.firstLayer ?? d.firstLayer;
  const addressBits = o.addressBits ?? d.addressBits;
  const obsDim = addressBits + (1 << addressBits);
  // createNet's Glorot limits: dense sqrt(6 / (nIn + nOut)); sparse sqrt(6 / (F + nOut * F / nIn)).
  const lim1 = Math.sqrt(6 / (obsDim + n1));
  const sparse = F < n1;
  const limBig = Math.sqrt(6 / (sparse ? F + (units * F) / n1 : n1 + units));
  const tempBig = limBig / (o.scaleBig ?? d.scaleBig);
  return chungMuxConfig({
    addressBits,
    hidden: [n1, units],
    fanIn: [0, F],
    rule: o.rule ?? 'weightmax',
    episodes: o.episodes ?? d.episodes,
    seed: o.seed ?? 1,
    optimizer: ['adam', 'sgd', 'sgd'],
    lr: [o.lrFirst ?? d.lrFirst, o.lrBig ?? d.lrBig, (o.lrOut ?? d.lrOut) / units],
    temp: [lim1 / (o.scaleFirst ?? d.scaleFirst), tempBig, 1],
    biasInit: [0, (o.biasBig ?? d.biasBig) * tempBig, 0],
    backend: o.backend ?? 'webgpu',
    stepsPerSubmit: o.stepsPerSubmit ?? d.stepsPerSubmit,
    gatherMode: 'scatter',
    gatherChunk: 8192,
  });
}
