/**
 * Trainer for the Weight Maximization family: the paper's main.py loop (actor-critic with
 * per-unit learning rules) batched over R replicas.
 * - CartPole, Acrobot and LunarLander run on the core (src/rules/weight-max.ts through
 *   trainExperiment: one step program, the CPU twins or WebGPU; LunarLander's planck env is a host
 *   op that WebGPU bridges), which reproduces this file's former loop bit for bit on the CPU
 *   (test/chung/metrics-hash.test.ts).
 * - The CPU multiplexer keeps its loop here; the multiplexer's GPU path is src/learners/chung-multiplexer.
 */
import { MULTIPLEXER_OUTPUT_FAN_OUT } from './network.ts';
import { MultiplexerCpu } from '../envs/multiplexer.ts';
import { actorForward, actorLearn, actorRecord, createActor, type Actor } from './actor.ts';
import type { AdamOptions } from './adam.ts';
import { validateChungConfig, type ChungConfig } from './config.ts';
import { trainExperiment, type BackendChoice } from '../experiment/train.ts';
import type { GpuContext } from '../gpu/context.ts';
import { CHUNG_TASK_ENVS, chungExperiment, type WeightMaxSummary } from '../rules/weight-max.ts';

export interface ChungHooks {
  /** Called after every finished training episode of every replica. */
  onEpisode?(m: Record<string, number>, replica: number): void;
}

export interface ChungSummary {
  task: string;
  rule: string;
  traces: boolean;
  traceForm: string;
  replicas: number;
  episodes: number;
  seed: number;
  hidden: number[];
  fanIn: number;
  /** Mean over replicas of each replica's mean return over all its training episodes (Table 1's metric). */
  meanReturn: number;
  /** Population std over replicas of the same per-replica numbers. */
  stdReturn: number;
  /** Per-replica mean return over all training episodes. */
  perReplica: number[];
  /** Mean return over the last 10% of episodes, averaged over replicas. */
  finalMeanReturn: number;
  /** Environment steps taken (lockstep over replicas; for the multiplexer = episodes). */
  steps: number;
  /** Episodes completed per replica (less than `episodes` only if maxSteps stopped the run). */
  episodesDone: number[];
  wallSeconds: number;
}

function adamOf(c: ChungConfig): AdamOptions {
  return { beta1: c.adamBeta1, beta2: c.adamBeta2, eps: c.adamEps, biasCorrectionSteps: c.adamBiasCorrectionSteps };
}

/** The actor a config describes (exported for scripts and tests). */
export function actorFor(c: ChungConfig, obsDim: number, numActions: number): Actor {
  return createActor({
    replicas: c.replicas, obsDim, numActions, hidden: c.hidden, temp: c.temp, rule: c.rule, fanIn: c.fanIn,
    thomasExplorers: c.thomasExplorers, shiftedTraces: c.traces && c.traceForm === 'shifted', seed: c.seed,
    outputInitFanOut: c.task === 'multiplexer' ? MULTIPLEXER_OUTPUT_FAN_OUT : undefined,
  });
}

/** Yields to the event loop now and then so long runs keep a CLI responsive. */
const tick = () => new Promise<void>((res) => setImmediate(res));

/** Where trainChung runs CartPole, Acrobot and LunarLander (the core's backends); the multiplexer ignores it. */
export interface ChungTrainOptions {
  /** Default 'cpu' (the CPU twins: the numbers test/chung/metrics-hash.test.ts pins). */
  backend?: 'cpu' | 'webgpu' | 'auto';
  ctx?: GpuContext;
  choice?: BackendChoice;
}

/** The core's summary in the trainer's shape. */
export function chungSummaryOf(s: WeightMaxSummary, wallSeconds: number): ChungSummary {
  return {
    task: s.task, rule: s.rule, traces: s.traces, traceForm: s.traceForm, replicas: s.replicas, episodes: s.episodes, seed: s.seed,
    hidden: [...s.hidden], fanIn: s.fanIn, meanReturn: s.meanReturn, stdReturn: s.stdReturn, perReplica: s.perReplica,
    finalMeanReturn: s.finalMeanReturn, steps: s.steps, episodesDone: s.episodesDone, wallSeconds,
  };
}

/** CartPole / Acrobot / LunarLander: the experiment of this config through the core (src/rules/weight-max.ts). */
async function trainOnCore(c: ChungConfig & { task: keyof typeof CHUNG_TASK_ENVS }, hooks: ChungHooks, o: ChungTrainOptions): Promise<ChungSummary> {
  const x = chungExperiment(c, CHUNG_TASK_ENVS[c.task], o.backend ?? 'cpu');
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

/**
 * Trains R replicas of one (task, rule, traces) configuration for `episodes` episodes each and
 * returns Table 1's metric (mean return over all training episodes per replica; mean and
 * population std over replicas). CartPole, Acrobot and LunarLander run on the core (CPU twins by default).
 */
export async function trainChung(config: ChungConfig, hooks: ChungHooks = {}, options: ChungTrainOptions = {}): Promise<ChungSummary> {
  validateChungConfig(config);
  const c = config;
  if (c.task !== 'multiplexer') return trainOnCore({ ...c, task: c.task }, hooks, options);
  const t0 = performance.now();
  const R = c.replicas;
  const mp = new MultiplexerCpu(R, 4);
  const actor = actorFor(c, mp.obsDim, mp.numActions);
  const adam = adamOf(c);
  const returns: number[][] = Array.from({ length: R }, () => []);
  const learnOpts = { adam, weightMaxP: c.weightMaxP, weightDecay: c.weightDecay, weightDecayP: c.weightDecayP };
  let steps = 0;
  const obs = mp.reset(c.seed);
  const signal = new Float32Array(R);
  const lr = c.actorLrStart; // the code's multiplexer loop never anneals
  for (let ep = 0; ep < c.episodes; ep++) {
    actorForward(actor, obs, c.seed, ep);
    mp.stepBandit(actor.actions);
    mp.observations(obs);
    signal.set(mp.reward);
    actorRecord(actor, 0);
    actorLearn(actor, signal, { ...learnOpts, lr, t: ep + 1 });
    for (let r = 0; r < R; r++) {
      returns[r]!.push(signal[r]!);
      hooks.onEpisode?.({ episode: ep, return: signal[r]!, length: 1, steps: ep + 1 }, r);
    }
    steps++;
    if (ep % 2048 === 2047) await tick();
  }

  const perReplica = returns.map((x) => (x.length ? x.reduce((s, v) => s + v, 0) / x.length : NaN));
  const mean = perReplica.reduce((s, v) => s + v, 0) / R;
  const std = Math.sqrt(perReplica.reduce((s, v) => s + (v - mean) ** 2, 0) / R);
  const finals = returns.map((x) => {
    const k = Math.max(1, Math.floor(x.length / 10));
    const tail = x.slice(x.length - k);
    return tail.reduce((s, v) => s + v, 0) / tail.length;
  });
  return {
    task: c.task, rule: c.rule, traces: c.traces, traceForm: c.traceForm, replicas: R, episodes: c.episodes,
    seed: c.seed, hidden: [...c.hidden], fanIn: c.fanIn,
    meanReturn: mean, stdReturn: std, perReplica,
    finalMeanReturn: finals.reduce((s, v) => s + v, 0) / R,
    steps, episodesDone: returns.map((x) => x.length),
    wallSeconds: (performance.now() - t0) / 1000,
  };
}
