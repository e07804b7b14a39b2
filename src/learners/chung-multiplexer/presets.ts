/**
 * Presets: the million-agent network and the scaling experiment (paper Fig. 3/4) on the GPU path.
 */
import { chungMuxConfig, type ChungMuxConfig, type ChungMuxRule } from './config.ts';
import { trainChungMultiplexer, type ChungMuxHooks, type ChungMuxSummary } from './train.ts';
import type { GpuContext } from '../../gpu/context.ts';

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
  /** Output Adam lr = lrOutScale / units (the output reads every big-layer unit). */
  lrOutScale?: number;
  /** SGD lr of the big layer. */
  lrBig?: number;
}

/**
 * The million-agent network: inputs (11 for the 11-bit multiplexer) -> 256 Bernoulli units dense
 * (Adam) -> `units` Bernoulli units, each with `fanIn` random distinct synapses from the 256
 * (plain SGD: Adam's two moments would push 2^26 synapses past 1 GiB) -> softmax over 2 actions,
 * dense over all `units` (Adam, lr scaled by 1 / units so one step moves the logit as much as in
 * a small net). Every unit learns by Weight Max; the 256 units' gather walks the big layer's
 * synapses in storage order ('scatter').
 */
export function millionConfig(o: MillionOptions = {}): ChungMuxConfig {
  const units = o.units ?? 1 << 20;
  return chungMuxConfig({
    addressBits: o.addressBits ?? 3,
    hidden: [o.firstLayer ?? 256, units],
    fanIn: [0, o.fanIn ?? 64],
    rule: o.rule ?? 'weightmax',
    episodes: o.episodes ?? 200,
    seed: o.seed ?? 1,
    optimizer: ['adam', 'sgd', 'adam'],
    lr: [0.01, o.lrBig ?? 4, (o.lrOutScale ?? 1) / units],
    backend: o.backend ?? 'webgpu',
    stepsPerSubmit: o.stepsPerSubmit ?? 16,
    gatherMode: 'scatter',
  });
}

export interface GpuScalingRow {
  M: number;
  rule: ChungMuxRule;
  hidden: number[];
  fanIn: number;
  mean: number;
  std: number;
  finalMean: number;
  episodes: number;
  replicas: number;
  wallSeconds: number;
  msPerEpisode: number;
}

export interface GpuScalingOptions {
  M: number[];
  rules: ChungMuxRule[];
  episodes: number;
  replicas: number;
  seed?: number;
  backend: 'webgpu' | 'cpu';
  ctx?: GpuContext;
  /** Also run the sparse million network (this many big-layer units) per rule; 0 = skip. */
  sparseUnits?: number;
  sparseEpisodes?: number;
  onRow?(row: GpuScalingRow): void;
  hooks?: ChungMuxHooks;
}

/** The paper's scaling experiment: 64M-32M dense hidden units for each M and rule (M = 0 rows are the sparse variant). */
export async function runChungScalingGpu(o: GpuScalingOptions): Promise<GpuScalingRow[]> {
  const rows: GpuScalingRow[] = [];
  const add = (M: number, rule: ChungMuxRule, c: ChungMuxConfig, s: ChungMuxSummary) => {
    const row: GpuScalingRow = {
      M, rule, hidden: c.hidden, fanIn: Math.max(0, ...c.fanIn), mean: s.meanReturn, std: s.stdReturn, finalMean: s.finalMeanReturn,
      episodes: c.episodes, replicas: c.replicas, wallSeconds: s.wallSeconds, msPerEpisode: (s.wallSeconds * 1000) / c.episodes,
    };
    o.onRow?.(row);
    rows.push(row);
  };
  for (const M of o.M) {
    const hidden = [Math.max(1, Math.round(64 * M)), Math.max(1, Math.round(32 * M))];
    for (const rule of o.rules) {
      const c = chungMuxConfig({ hidden, rule, episodes: o.episodes, replicas: o.replicas, seed: o.seed ?? 1, backend: o.backend, stepsPerSubmit: 256 });
      add(M, rule, c, await trainChungMultiplexer(c, { ctx: o.ctx, hooks: o.hooks }));
    }
  }
  if (o.sparseUnits) {
    for (const rule of o.rules) {
      const c = millionConfig({ units: o.sparseUnits, rule, episodes: o.sparseEpisodes ?? o.episodes, seed: o.seed ?? 1, backend: o.backend, addressBits: 4 });
      add(0, rule, c, await trainChungMultiplexer(c, { ctx: o.ctx, hooks: o.hooks }));
    }
  }
  return rows;
}
