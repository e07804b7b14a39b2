/**
 * Trainer for the Weight Maximization family: the paper's main.py loop (actor-critic with
 * per-unit learning rules) batched over R replicas, run by the core (src/rules/weight-max.ts
 * through trainExperiment: one step program, the CPU twins or WebGPU). CartPole, Acrobot and
 * LunarLander (planck on the CPU, bridged on WebGPU) run the actor-critic; the multiplexer (env
 * `multiplexer`, one-step episodes) the paper's multiplexer loop without a critic. The core's CPU
 * executor reproduces this file's former loops bit for bit (test/chung/metrics-hash.test.ts).
 */
import type { ChungConfig } from './config.ts';
import { validateChungConfig } from './config.ts';
import { trainExperiment, type BackendChoice } from '../experiment/train.ts';
import type { GpuContext } from '../gpu/context.ts';
import { CHUNG_TASK_ENVS, chungExperiment, type WeightMaxExperiment, type WeightMaxSummary } from '../rules/weight-max.ts';

/** Callbacks of trainChung while it runs. */
export interface ChungHooks {
  /** Called after every finished training episode of every replica. */
  onEpisode?(m: Record<string, number>, replica: number): void;
}

/** What trainChung returns: the weight-max run's Table 1 fields, and its wall time. */
export type ChungSummary = Pick<
  WeightMaxSummary,
  'task' | 'rule' | 'traces' | 'traceForm' | 'replicas' | 'episodes' | 'seed' | 'hidden' | 'fanIn' | 'meanReturn' | 'stdReturn' | 'perReplica' | 'finalMeanReturn' | 'steps' | 'episodesDone'
> & { wallSeconds: number };

/** Where trainChung runs (the core's backends). */
export interface ChungTrainOptions {
  /** Default 'cpu' (the CPU twins: the numbers test/chung/metrics-hash.test.ts pins). */
  backend?: 'cpu' | 'webgpu' | 'auto';
  ctx?: GpuContext;
  choice?: BackendChoice;
}

/** The core's summary in the trainer's shape. */
export function chungSummaryOf(s: WeightMaxSummary, wallSeconds: number): ChungSummary {
  return {
    task: s.task,
    rule: s.rule,
    traces: s.traces,
    traceForm: s.traceForm,
    replicas: s.replicas,
    episodes: s.episodes,
    seed: s.seed,
    hidden: [...s.hidden],
    fanIn: s.fanIn,
    meanReturn: s.meanReturn,
    stdReturn: s.stdReturn,
    perReplica: s.perReplica,
    finalMeanReturn: s.finalMeanReturn,
    steps: s.steps,
    episodesDone: s.episodesDone,
    wallSeconds,
  };
}

/** The experiment trainChung runs for a config (validated; the multiplexer's learning rates never anneal, as the code's loop). */
export function chungTrainExperiment(config: ChungConfig, backend: 'cpu' | 'webgpu' | 'auto'): WeightMaxExperiment {
  validateChungConfig(config);
  const c = config.task === 'multiplexer' ? { ...config, actorLrEnd: [...config.actorLrStart] } : config;
  return chungExperiment(c, CHUNG_TASK_ENVS[c.task], backend);
}

/**
 * Trains R replicas of one (task, rule, traces) configuration for `episodes` episodes each through
 * the core and returns Table 1's metric (mean return over all training episodes per replica; mean
 * and population std over replicas). The CPU twins by default.
 */
export async function trainChung(config: ChungConfig, hooks: ChungHooks = {}, o: ChungTrainOptions = {}): Promise<ChungSummary> {
  const x = chungTrainExperiment(config, o.backend ?? 'cpu');
  const r = await trainExperiment(x, {
    ctx: o.ctx,
    choice: o.choice,
    sink: {
      write: (m) => hooks.onEpisode?.({ episode: m.episode as number, return: m['charts/episodic_return'] as number, length: m.length as number, steps: m.steps as number }, m.replica as number),
      flush: () => 0,
    },
  });
  return chungSummaryOf(r.summary as WeightMaxSummary, r.wallSeconds);
}
