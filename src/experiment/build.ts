import { ENVS, type EnvDef } from '../envs/registry.ts';
import { CLOCK_TICK } from '../kernels/clock.ts';
import { logisticBuffers, logisticPopulation, logisticSpikeOps } from '../population/logistic.ts';
import { EpisodeLog, mean, reinforceBuffers, reinforceOps, std } from '../rules/reinforce.ts';
import type { Model } from '../run/model.ts';
import type { BufferDecl, Op, StepProgram } from '../run/program.ts';
import { ConfigError } from '../config/validate.ts';
import type { Experiment } from './schema.ts';

/** What a finished run of an episodic experiment reports. */
export interface EpisodicSummary {
  /** Mean return of each replica's first 100 episodes (the untrained network). */
  first100MeanReturn: number[];
  /** Mean return of each replica's last 100 episodes. */
  last100MeanReturn: number[];
  last100MeanOverReplicas: number;
  last100StdOverReplicas: number;
  /** Episodes logged per replica (equals run.episodes unless the run was stopped). */
  episodesLogged: number[];
}

/** The env's buffers and its step / reset ops, reading actions from and writing observations into the activity rows. */
function envPart(env: EnvDef, R: number, seed: number, stride: number, actionCol: number) {
  const buffers: BufferDecl[] = [
    { name: 'env.state', type: 'f32', length: env.stateFloats * R },
    { name: 'env.counters', type: 'u32', length: 5 * R },
    { name: 'env.reward', type: 'f32', length: R },
  ];
  const bind = (act: string | [string, string], obs: string | [string, string]) => ({ state: 'env.state', counters: 'env.counters', reward: 'env.reward', actIn: act, obsOut: obs });
  const act = { stride, offset: actionCol }, obs = { stride, offset: 0 };
  // This step's row holds the action; the next observation goes into the other row (ping-pong).
  const step: Op = { kernel: env.kernel, layout: env.layout(R, seed, 0, act, obs), bind: bind(['act-a', 'act-b'], ['act-b', 'act-a']) };
  // A fresh start writes the first observations where step 0 reads them: row A.
  const reset: Op = { kernel: env.kernel, layout: env.layout(R, seed, 1, act, obs), bind: bind('act-b', 'act-a') };
  return { buffers, step, reset };
}

/**
 * Compose an experiment into a model: population (agents + wiring), env, rule; one step program
 * for both backends. Order of one step: spike layers -> env -> rule (record, updates) -> clock.
 */
export function buildModel(x: Experiment): Model<EpisodicSummary> {
  const env: EnvDef = ENVS[x.env.name as keyof typeof ENVS];
  if (env.numActions !== 2) throw new ConfigError('env.name', `env.name '${x.env.name}' has ${env.numActions} actions; logistic-neurons act with one spiking action neuron (2 actions)`);
  const R = x.run.replicas, seed = x.run.seed;
  const pop = logisticPopulation({ replicas: R, obsDim: env.obsDim, hidden: x.population.hidden, actions: 1, seed });
  const horizon = env.maxEpisodeSteps;
  const e = envPart(env, R, seed, pop.S, pop.actionCol);
  const { name: _rule, ...settings } = x.rule;
  const program: StepProgram = {
    buffers: [...logisticBuffers(pop, seed), ...e.buffers, ...reinforceBuffers(pop, horizon)],
    reset: [e.reset],
    step: [...logisticSpikeOps(pop), e.step, ...reinforceOps(pop, horizon, settings), { kernel: CLOCK_TICK, layout: {}, bind: { clock: 'clock' } }],
    metrics: 'metrics',
  };
  // A chunk must not let a replica finish more episodes than the log ring holds.
  const decoder = new EpisodeLog(R, x.run.episodes);
  return {
    kind: 'episodic/reinforce',
    program,
    decoder,
    stepsPerChunk: x.run.stepsPerChunk,
    summarise: () => {
      const last = decoder.returns.map((r) => mean(r.slice(-100)));
      return {
        first100MeanReturn: decoder.returns.map((r) => mean(r.slice(0, 100))),
        last100MeanReturn: last,
        last100MeanOverReplicas: mean(last),
        last100StdOverReplicas: std(last),
        episodesLogged: decoder.returns.map((r) => r.length),
      };
    },
  };
}
