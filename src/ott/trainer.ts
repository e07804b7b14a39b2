/**
 * Trainer for the Ott network on CartPole-v1 (CPU twins or WebGPU kernels): R replicas step in
 * lock-step on one batched CartPole; each replica learns at the end of its own episode (one
 * REINFORCE + Adam update of every neuron), without waiting for the others, as main.py of the
 * original-paper code.
 */
import type { GpuContext } from '../gpu/context.ts';
import { ReadbackRing } from '../gpu/readback.ts';
import { replicaRewardMode, resolveOttConfig, type OttConfig } from './config.ts';
import { OttCpuRunner } from './cpu-runner.ts';
import { OttGpuRunner } from './gpu-runner.ts';
import { OttLogReader, type OttEpisodeRecord } from './network.ts';
import { OTT_TERMS } from './rewards.ts';

export interface OttHooks {
  /** Called after each finished episode of each replica with that episode's metrics. */
  onEpisode?(m: Record<string, number>, replica: number): void;
}

export interface OttReplicaSummary {
  replica: number;
  /** The protocol's number: index of the last episode run (stop rule met or cap reached). */
  trials: number;
  /** True when the stop rule (episode > minEpisodes and trailing mean > threshold) was met. */
  solved: boolean;
  /** First episode whose trailing-window mean return exceeded the threshold; null if none. */
  firstAboveThreshold: number | null;
  /** Trailing-window mean return at the last episode. */
  finalMean: number;
  /** Best trailing-window mean seen. */
  bestMean: number;
}

export interface OttTrainSummary {
  config: OttConfig;
  backend: 'webgpu' | 'cpu';
  replicas: OttReplicaSummary[];
  trialsMean: number;
  /** Sample standard deviation (n - 1) over replicas; 0 for one replica. */
  trialsStd: number;
  /** Mean / std of firstAboveThreshold over the replicas that crossed; null if none did. */
  firstAboveMean: number | null;
  firstAboveStd: number | null;
  /** Replicas whose trailing mean ever exceeded the threshold. */
  crossedCount: number;
  solvedCount: number;
  /** Agent-environment steps of the logged episodes (autoreset steps not counted). */
  envSteps: number;
  wallSeconds: number;
  envStepsPerSecond: number;
}

/** Mean and sample (n - 1) standard deviation; std 0 for one value, NaN for none. */
export function meanStd(xs: number[]): [number, number] {
  if (xs.length === 0) return [NaN, NaN];
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return [mean, 0];
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return [mean, Math.sqrt(v)];
}

export interface OttTrainOptions {
  /** 'cpu' runs the TypeScript twins; 'webgpu' the kernels (needs ctx). Default 'cpu'. */
  backend?: 'webgpu' | 'cpu';
  ctx?: GpuContext;
  /** Env steps recorded into one submit on the GPU (default 250). */
  stepsPerSubmit?: number;
  /** Abort: stops before the next submit/step; the summary covers what was logged. */
  signal?: AbortSignal;
  /** After each readback (GPU) or every 250 steps (CPU): episodes logged, replicas finished. */
  onProgress?(episodes: number, finished: number): void;
  /** GPU only: called after each readback with the runner (the demo reads its buffers). */
  onSubmit?(runner: OttGpuRunner): Promise<void> | void;
}

/**
 * Train R replicas of the Ott network on CartPole-v1 under the paper's protocol. Each replica
 * stops on its own (stop rule or cap, applied by the runner: OttCpuRunner or the GPU kernels);
 * the summary is built on the host from the episode log.
 */
export async function trainOttCartpole(config: Partial<OttConfig> = {}, hooks: OttHooks = {}, opts: OttTrainOptions = {}): Promise<OttTrainSummary> {
  const c = resolveOttConfig(config);
  const t0 = performance.now();
  const R = c.replicas;
  const NL = c.layers + 1;
  const backend = opts.backend ?? 'cpu';
  const summaries: OttReplicaSummary[] = Array.from({ length: R }, (_, r) => ({
    replica: r,
    trials: 0,
    solved: false,
    firstAboveThreshold: null,
    finalMean: 0,
    bestMean: -Infinity,
  }));
  let finished = 0;
  let episodes = 0;
  let envSteps = 0;
  const onRecord = (rec: OttEpisodeRecord) => {
    const r = rec.replica;
    const sum = summaries[r]!;
    if (sum.trials > 0) return; // the GPU may log past the end of a finished replica: never
    episodes++;
    envSteps += rec.steps;
    sum.finalMean = rec.mean;
    sum.bestMean = Math.max(sum.bestMean, rec.mean);
    if (sum.firstAboveThreshold === null && rec.mean > c.solveThreshold) sum.firstAboveThreshold = rec.episode;
    if (hooks.onEpisode) {
      const m: Record<string, number> = { episode: rec.episode, return: rec.return, steps: rec.steps, mean100: rec.mean };
      for (let l = 0; l < NL; l++) m[l === c.layers ? 'firing_rate_out' : `firing_rate_l${l + 1}`] = rec.firing[l]!;
      OTT_TERMS.forEach((name, k) => (m[`reward_${name}`] = rec.terms[k]!));
      const mode = replicaRewardMode(c, r);
      m.bio_only = mode === 'bio' || (mode === 'bio_then_all' && rec.episode <= c.bioEpisodes) ? 1 : 0;
      hooks.onEpisode(m, r);
    }
    if (rec.end !== 0) {
      sum.trials = rec.episode;
      sum.solved = rec.end === 1;
      finished++;
    }
  };

  if (backend === 'cpu') {
    const run = new OttCpuRunner(c);
    while (finished < R && !opts.signal?.aborted) {
      for (const rec of run.step()) onRecord(rec);
      if ((run.tick & 255) === 0) opts.onProgress?.(episodes, finished);
      if ((run.tick & 4095) === 0) await new Promise<void>((res) => setImmediate(res));
    }
  } else {
    const ctx = opts.ctx;
    if (!ctx) throw new Error("backend 'webgpu' needs a GpuContext (opts.ctx)");
    const run = new OttGpuRunner(ctx, c);
    const reader = new OttLogReader(run.net);
    const log = run.buffers.log!;
    const ring = new ReadbackRing(ctx, [{ buffer: log, byteLength: log.size }], 3, 'ott-log');
    const per = opts.stepsPerSubmit ?? 250;
    try {
      await ctx.checkAllocations();
      let first = true;
      while (finished < R && !opts.signal?.aborted) {
        await ring.waitForSlot();
        if (finished >= R || opts.signal?.aborted) break;
        const reset = first;
        first = false;
        ring.submitPass(
          'ott:steps',
          (pass) => {
            if (reset) run.encodeReset(pass);
            run.encodeSteps(pass, per);
          },
          ([bytes]) => {
            reader.ingest(new Uint32Array(bytes!), onRecord);
            opts.onProgress?.(episodes, finished);
          },
        );
        if (opts.onSubmit) {
          await ring.drain();
          await opts.onSubmit(run);
        }
      }
      await ring.drain();
      ctx.checkHealthy();
    } finally {
      ring.destroy();
      run.destroy();
    }
  }

  const wallSeconds = (performance.now() - t0) / 1000;
  const [trialsMean, trialsStd] = meanStd(summaries.map((s) => s.trials));
  const crossed = summaries.filter((s) => s.firstAboveThreshold !== null).map((s) => s.firstAboveThreshold!);
  const [fm, fs] = meanStd(crossed);
  return {
    config: c,
    backend,
    replicas: summaries,
    trialsMean,
    trialsStd,
    firstAboveMean: crossed.length ? fm : null,
    firstAboveStd: crossed.length ? fs : null,
    crossedCount: crossed.length,
    solvedCount: summaries.filter((s) => s.solved).length,
    envSteps,
    wallSeconds,
    envStepsPerSecond: envSteps / wallSeconds,
  };
}
