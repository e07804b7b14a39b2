import type { GpuContext } from '../../gpu/context.ts';
import { ReadbackRing } from '../../gpu/readback.ts';
import { CARTPOLE_REINFORCE_DEFAULTS, validateCartpoleReinforceConfig, type CartpoleReinforceConfig } from './config.ts';
import { CartpoleReinforceCpuRunner } from './cpu-runner.ts';
import { EpisodeLog, mean, std } from './episode-log.ts';
import { CartpoleReinforceGpuRunner } from './gpu-runner.ts';
import { METRICS_CAP } from './network.ts';

export interface TrainHooks {
  /** Each finished episode of each replica, in order per replica. */
  onEpisode?(m: { replica: number; episode: number; return: number }): void;
  /** Progress after each readback: episodes logged over all replicas, and the target. */
  onProgress?(done: number, total: number): void;
}

export interface CartpoleReinforceSummary {
  learner: 'cartpole-reinforce';
  backend: 'webgpu' | 'cpu';
  adapter: string;
  seed: number;
  replicas: number;
  episodes: number;
  hidden: number;
  lr: number;
  gamma: number;
  wallSeconds: number;
  /** Env steps simulated per replica (the GPU may run a few submits past the last logged episode). */
  envStepsPerReplica: number;
  /** Mean return of each replica's last 100 episodes. */
  last100MeanReturn: number[];
  last100MeanOverReplicas: number;
  last100StdOverReplicas: number;
  /** Mean return of each replica's first 100 episodes (the untrained network). */
  first100MeanReturn: number[];
  /**
   * Set when `opts.signal` aborted the run before every replica finished: the means cover the
   * episodes logged until then (`episodes` stays the target).
   */
  stopped?: true;
}

/**
 * Train logistic neuron-agents on CartPole-v1 by per-neuron REINFORCE with the broadcast task
 * reward. On 'webgpu' the whole loop runs on the device; metrics come back through a readback ring
 * the loop never waits on (it only blocks when the GPU is three submits ahead). Aborting
 * `opts.signal` stops before the next submit; readbacks in flight still land, then the summary of
 * what was logged returns (marked `stopped`).
 */
export async function trainCartpoleReinforce(
  partial: Partial<CartpoleReinforceConfig>,
  opts: { ctx?: GpuContext; hooks?: TrainHooks; signal?: AbortSignal } = {},
): Promise<CartpoleReinforceSummary> {
  const c = validateCartpoleReinforceConfig({ ...CARTPOLE_REINFORCE_DEFAULTS, ...partial });
  const hooks = opts.hooks ?? {};
  const log = new EpisodeLog(c.replicas, METRICS_CAP, c.episodes, (replica, episode, ret) => hooks.onEpisode?.({ replica, episode, return: ret }));
  const total = c.replicas * c.episodes;
  const signal = opts.signal;
  const t0 = performance.now();
  let envSteps = 0;
  let adapter = 'cpu (TypeScript twins)';
  if (c.backend === 'cpu') {
    const run = new CartpoleReinforceCpuRunner(c);
    while (!log.done && !signal?.aborted) {
      run.steps(c.stepsPerSubmit);
      log.ingest(run.metrics);
      hooks.onProgress?.(log.total, total);
    }
    envSteps = run.clock;
  } else {
    if (!opts.ctx) throw new Error("backend 'webgpu' needs a GpuContext (opts.ctx)");
    const ctx = opts.ctx;
    adapter = ctx.adapterName();
    const run = new CartpoleReinforceGpuRunner(ctx, c);
    const ring = new ReadbackRing(ctx, [{ buffer: run.metrics, byteLength: run.metrics.size }], 3, 'episode-log');
    try {
      await ctx.checkAllocations();
      let first = true;
      while (!log.done && !signal?.aborted) {
        await ring.waitForSlot();
        if (log.done || signal?.aborted) break;
        const reset = first;
        first = false;
        ring.submitPass(
          'cartpole-reinforce:steps',
          (pass) => {
            if (reset) run.encodeReset(pass);
            run.encodeSteps(pass, c.stepsPerSubmit);
          },
          ([bytes]) => {
            log.ingest(new Uint32Array(bytes!));
            hooks.onProgress?.(log.total, total);
          },
        );
      }
      await ring.drain();
      ctx.checkHealthy();
    } finally {
      ring.destroy();
      run.destroy();
    }
    envSteps = run.stepCount;
  }
  const last = log.returns.map((r) => mean(r.slice(-100)));
  return {
    learner: 'cartpole-reinforce',
    backend: c.backend,
    adapter,
    seed: c.seed,
    replicas: c.replicas,
    episodes: c.episodes,
    hidden: c.hidden,
    lr: c.lr,
    gamma: c.gamma,
    wallSeconds: (performance.now() - t0) / 1000,
    envStepsPerReplica: envSteps,
    last100MeanReturn: last,
    last100MeanOverReplicas: mean(last),
    last100StdOverReplicas: std(last),
    first100MeanReturn: log.returns.map((r) => mean(r.slice(0, 100))),
    ...(signal?.aborted && !log.done ? { stopped: true as const } : {}),
  };
}
