/**
 * `trainChungMultiplexer`: Weight Max (or REINFORCE) on the multiplexer with `backend: 'webgpu' |
 * 'cpu'`, returning trainChung's summary shape plus the learning curve and device memory.
 */
import type { ChungSummary } from '../../chung/trainer.ts';
import type { GpuContext } from '../../gpu/context.ts';
import { readU32 } from '../../gpu/readback.ts';
import { ReadbackRing } from '../../gpu/readback.ts';
import { validateChungMuxConfig, type ChungMuxConfig } from './config.ts';
import { ChungMuxCpuRunner } from './cpu-runner.ts';
import { ChungMuxGpuRunner } from './gpu-runner.ts';
import { buildHostNet, synapses } from './network.ts';

export interface ChungMuxSummary extends ChungSummary {
  backend: 'webgpu' | 'cpu';
  adapter: string;
  addressBits: number;
  fanInPerLayer: number[];
  optimizer: string[];
  /** Mean reward over replicas per block of `curveBlock` episodes. */
  curve: number[];
  curveBlock: number;
  /** Mean reward over the first 10% of episodes. */
  firstMeanReturn: number;
  /** Mean reward over the first / last min(100, episodes) episodes. */
  first100MeanReturn: number;
  last100MeanReturn: number;
  hiddenUnits: number;
  synapses: number;
  /** Device bytes of the runner's buffers (webgpu), measured with ctx.liveBufferBytes. */
  deviceBytes: number;
  bytesPerNeuron: number;
  bytesPerSynapse: number;
  episodesPerSecond: number;
  buildSeconds: number;
}

export interface ChungMuxHooks {
  /** After every chunk of steps whose rewards came back: done episodes and their per-step mean rewards. */
  onRewards?(firstEpisode: number, meanRewards: Float64Array): void;
  onProgress?(done: number, total: number, recentMean: number): void;
  /**
   * Watch a hidden layer's firing probabilities (`mean`, replica 0 first): on WebGPU they are copied
   * into the same readback ring as the reward log, once per submit (no extra sync); on the CPU
   * backend once per chunk. `episode` is the number of episodes done when they were taken.
   */
  watchLayer?: { layer: number; onMeans(episode: number, mean: Float32Array): void };
}

const tick = () => new Promise<void>((res) => setImmediate(res));

/** Trains `replicas` networks for `episodes` multiplexer episodes each. */
export async function trainChungMultiplexer(c: ChungMuxConfig, o: { ctx?: GpuContext; hooks?: ChungMuxHooks } = {}): Promise<ChungMuxSummary> {
  validateChungMuxConfig(c);
  const t0 = performance.now();
  const R = c.replicas;
  const stepMeans = new Float64Array(c.episodes);
  let perReplica: number[];
  let deviceBytes = 0;
  let adapter = 'cpu';
  let buildSeconds = 0;
  const obsDim = c.addressBits + (1 << c.addressBits);
  let layerSizes: { nOut: number; syn: number }[];
  let done = 0;
  const report = (first: number, means: Float64Array) => {
    stepMeans.set(means, first);
    done = first + means.length;
    o.hooks?.onRewards?.(first, means);
    const k = Math.min(done, 1000);
    let s = 0;
    for (let i = done - k; i < done; i++) s += stepMeans[i]!;
    o.hooks?.onProgress?.(done, c.episodes, s / Math.max(k, 1));
  };

  if (c.backend === 'webgpu') {
    const ctx = o.ctx;
    if (!ctx) throw new Error('trainChungMultiplexer: backend webgpu needs a GpuContext (ctx)');
    adapter = ctx.adapterName();
    const net = buildHostNet(c, obsDim);
    layerSizes = net.layers.map((L) => ({ nOut: L.nOut, syn: synapses(L) }));
    const before = ctx.liveBufferBytes;
    const runner = new ChungMuxGpuRunner(ctx, c, net);
    deviceBytes = ctx.liveBufferBytes - before;
    await ctx.checkAllocations();
    buildSeconds = (performance.now() - t0) / 1000;
    try {
      runner.reset();
      const S = c.stepsPerSubmit;
      const watch = o.hooks?.watchLayer;
      if (watch && !(watch.layer >= 0 && watch.layer < c.hidden.length)) throw new RangeError(`watchLayer.layer must be a hidden layer index in [0, ${c.hidden.length - 1}], got ${watch.layer}`);
      const regions = [{ buffer: runner.rewardLog, byteLength: S * 4 }];
      if (watch) regions.push({ buffer: runner.layers[watch.layer]!.mean, byteLength: R * c.hidden[watch.layer]! * 4 });
      const ring = new ReadbackRing(ctx, regions, 3, 'chung-mux-log');
      try {
        for (let first = 0; first < c.episodes; first += S) {
          const n = Math.min(S, c.episodes - first);
          await ring.waitForSlot();
          const enc = ctx.device.createCommandEncoder({ label: 'chung-mux:chunk' });
          runner.encodeSteps(enc, n);
          const token = ring.request(enc);
          ctx.device.queue.submit([enc.finish()]);
          ring.commit(token, ([bytes, meanBytes]) => {
            const log = new Int32Array(bytes!);
            const means = new Float64Array(n);
            for (let i = 0; i < n; i++) means[i] = log[i]! / R;
            report(first, means);
            if (watch && meanBytes) watch.onMeans(first + n, new Float32Array(meanBytes));
          });
        }
        await ring.drain();
      } finally {
        ring.destroy();
      }
      const sums = new Int32Array((await readU32(ctx, runner.sums)).buffer);
      perReplica = Array.from(sums.subarray(0, R), (s) => s / c.episodes);
    } finally {
      runner.destroy();
    }
  } else {
    const cpu = new ChungMuxCpuRunner(c);
    layerSizes = cpu.net.layers.map((L) => ({ nOut: L.nOut, syn: L.nOut * L.fanIn }));
    buildSeconds = (performance.now() - t0) / 1000;
    const sums = new Float64Array(R);
    const chunk = 256;
    for (let first = 0; first < c.episodes; first += chunk) {
      const n = Math.min(chunk, c.episodes - first);
      const means = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const sig = cpu.runStep();
        let s = 0;
        for (let r = 0; r < R; r++) {
          s += sig[r]!;
          sums[r] += sig[r]!;
        }
        means[i] = s / R;
      }
      report(first, means);
      const watch = o.hooks?.watchLayer;
      if (watch) watch.onMeans(first + n, cpu.net.layers[watch.layer]!.mean.slice());
      await tick();
    }
    perReplica = Array.from(sums, (s) => s / c.episodes);
  }

  const wallSeconds = (performance.now() - t0) / 1000;
  const mean = perReplica.reduce((s, v) => s + v, 0) / R;
  const std = Math.sqrt(perReplica.reduce((s, v) => s + (v - mean) ** 2, 0) / R);
  const k = Math.max(1, Math.floor(c.episodes / 10));
  const avg = (a: number, b: number) => {
    let s = 0;
    for (let i = a; i < b; i++) s += stepMeans[i]!;
    return s / (b - a);
  };
  const block = Math.max(1, Math.ceil(c.episodes / 50));
  const curve: number[] = [];
  for (let a = 0; a < c.episodes; a += block) curve.push(avg(a, Math.min(c.episodes, a + block)));
  const hiddenUnits = c.hidden.reduce((s, v) => s + v, 0);
  const syn = layerSizes.reduce((s, L) => s + L.syn, 0);
  return {
    task: 'multiplexer', rule: c.rule, traces: false, traceForm: 'code', replicas: R, episodes: c.episodes, seed: c.seed,
    hidden: [...c.hidden], fanIn: Math.max(0, ...c.fanIn),
    meanReturn: mean, stdReturn: std, perReplica,
    finalMeanReturn: avg(c.episodes - k, c.episodes), firstMeanReturn: avg(0, k),
    first100MeanReturn: avg(0, Math.min(100, c.episodes)), last100MeanReturn: avg(c.episodes - Math.min(100, c.episodes), c.episodes),
    steps: c.episodes, episodesDone: perReplica.map(() => c.episodes),
    wallSeconds,
    backend: c.backend, adapter, addressBits: c.addressBits, fanInPerLayer: [...c.fanIn], optimizer: [...c.optimizer],
    curve, curveBlock: block, hiddenUnits, synapses: syn * R,
    deviceBytes, bytesPerNeuron: deviceBytes / (hiddenUnits * R), bytesPerSynapse: deviceBytes / Math.max(1, syn * R),
    episodesPerSecond: c.episodes / Math.max(1e-9, wallSeconds - buildSeconds), buildSeconds,
  };
}
