/**
 * Trainer for the Ott network on CartPole-v1 (CPU twins or WebGPU kernels): R replicas step in
 * lock-step on one batched CartPole; each replica learns at the end of its own episode (one
 * REINFORCE + Adam update of every neuron), without waiting for the others, as main.py of the
 * original-paper code. The config becomes an experiment (rule 'ott', src/rules/ott.ts) that runs
 * through the core: one step program, the CPU or WebGPU executor, the one loop.
 */
import { trainExperiment } from '../experiment/train.ts';
import type { GpuContext } from '../gpu/context.ts';
import { ottExperiment } from '../rules/ott.ts';
import type { Executor } from '../run/executor.ts';
import { resolveOttConfig, type OttConfig } from './config.ts';
import type { OttRunSummary } from './summary.ts';

export { meanStd, type OttReplicaSummary } from './summary.ts';

/** Callbacks of trainOttCartpole while it runs. */
export interface OttHooks {
  /** Called after each finished episode of each replica with that episode's metrics. */
  onEpisode?(m: Record<string, number>, replica: number): void;
}

/** What trainOttCartpole returns: the run summary, plus how it ran. */
export interface OttTrainSummary extends Omit<OttRunSummary, 'episodeSteps'> {
  backend: 'webgpu' | 'cpu';
  /** Agent-environment steps of the logged episodes (autoreset steps not counted). */
  envSteps: number;
  wallSeconds: number;
  envStepsPerSecond: number;
  /** Set when the signal stopped the run early (the summary covers what was logged). */
  stopped?: true;
}

/** Where and how trainOttCartpole runs (backend, device, stopping). */
export interface OttTrainOptions {
  /** 'cpu' runs the TypeScript twins; 'webgpu' the kernels (needs ctx). Default 'cpu'. */
  backend?: 'webgpu' | 'cpu';
  ctx?: GpuContext;
  /** Env steps per chunk: one submit on the GPU, one episode-log readback (default 250). */
  stepsPerSubmit?: number;
  /** Abort: stops after the chunk in flight; the summary covers what was logged. */
  signal?: AbortSignal;
  /** After each chunk's log arrives: episodes logged, replicas finished. */
  onProgress?(episodes: number, finished: number): void;
  /** Before each chunk, with the executor (the demo drains it and reads its buffers). */
  beforeChunk?(chunk: number, exec: Executor): Promise<void> | void;
}

/**
 * Train R replicas of the Ott network on CartPole-v1 under the paper's protocol. Each replica
 * stops on its own (stop rule or cap, applied on the device / by the twins); the summary is built
 * on the host from the episode log.
 */
export async function trainOttCartpole(config: Partial<OttConfig> = {}, hooks: OttHooks = {}, opts: OttTrainOptions = {}): Promise<OttTrainSummary> {
  const c = resolveOttConfig(config);
  const backend = opts.backend ?? 'cpu';
  if (backend === 'webgpu' && !opts.ctx) throw new Error("backend 'webgpu' needs a GpuContext (opts.ctx)");
  const x = ottExperiment(c, { backend, stepsPerChunk: opts.stepsPerSubmit ?? 250 });
  const t0 = performance.now();
  const onEpisode = hooks.onEpisode;
  const r = await trainExperiment(x, {
    ctx: opts.ctx,
    signal: opts.signal,
    sink: onEpisode && {
      write: ({ replica, ...m }) => onEpisode(m as Record<string, number>, replica as number),
      flush: () => 0,
    },
    onProgress: (finished, _total, label) => opts.onProgress?.(label?.episodes ?? 0, finished),
    beforeChunk: opts.beforeChunk,
  });
  const s = r.summary as OttRunSummary;
  const wallSeconds = (performance.now() - t0) / 1000;
  const { episodeSteps, ...rest } = s;
  return {
    ...rest,
    config: c,
    backend: r.backend,
    envSteps: episodeSteps,
    wallSeconds,
    envStepsPerSecond: episodeSteps / wallSeconds,
    ...(r.stopped ? { stopped: true as const } : {}),
  };
}
