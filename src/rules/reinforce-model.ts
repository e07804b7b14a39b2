import { ConfigError } from '../config/validate.ts';
import { outgoingIndex } from '../connectivity/fan-in.ts';
import { envOps, type EnvDef } from '../envs/registry.ts';
import type { Experiment } from '../experiment/schema.ts';
import { CLOCK_TICK } from '../kernels/clock.ts';
import { daleOps, logisticBuffers, logisticPopulation, logisticSpikeOps, type LayerWiring, type LogisticPopulation } from '../population/logistic.ts';
import type { Model, UnitMap } from '../run/model.ts';
import { REINFORCE_UPDATE, REINFORCE_WEIGHT_MAX } from '../kernels/reinforce.ts';
import { DALE_PROJECT } from '../kernels/dale-project.ts';
import type { BufferDecl, Op, StepProgram } from '../run/program.ts';
import { ROW_COPY, type RowCopyLayout } from '../kernels/row-copy.ts';
import { EpisodeLog, mean, reinforceBuffers, reinforceOps, std, type RecurrentWeightMax } from './reinforce.ts';
import { rewardTermOps } from './reward-terms.ts';

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

/** Summary of per-replica return lists. */
export function episodicSummary(returns: number[][]): EpisodicSummary {
  const last = returns.map((r) => mean(r.slice(-100)));
  return {
    first100MeanReturn: returns.map((r) => mean(r.slice(0, 100))),
    last100MeanReturn: last,
    last100MeanOverReplicas: mean(last),
    last100StdOverReplicas: std(last),
    episodesLogged: returns.map((r) => r.length),
  };
}

type ConnectomeWiring = Extract<NonNullable<Experiment['population']['wiring']>[number], { kind: 'connectome' }>;

/**
 * A connectome wiring as the population's one layer: its generated edge list over [observation
 * channels | the layer's previous spikes], checked against the env's observation and action slots.
 */
function connectomeWiring(w: ConnectomeWiring, i: number, env: EnvDef, hidden: number): LayerWiring {
  const at = `population.wiring.${i}`;
  if (hidden !== 0) throw new ConfigError('population.hidden', `population.hidden must be [] with a connectome wiring (the connectome is the whole population), got ${hidden} hidden layers`);
  if (w.edges === undefined || w.neurons === undefined)
    throw new ConfigError(`${at}.edges`, `${at}: the connectome must be read into 'edges' and 'neurons' before building (hedonist run does, from data/celegans/)`);
  if (w.inputs.length !== env.obsDim) throw new ConfigError(`${at}.inputs`, `${at}.inputs must name ${env.obsDim} neurons (the env's observation channels), got ${w.inputs.length}`);
  const slots = env.actionSlots ?? 1;
  if (w.outputs.length !== slots) throw new ConfigError(`${at}.outputs`, `${at}.outputs must name ${slots} neurons (the env's action slots), got ${w.outputs.length}`);
  return { kind: 'edge-list', edges: w.edges, ...(w.bias ? { bias: w.bias } : {}) };
}

/**
 * `rule.hiddenRule: weightmax`: the connectome layer's outgoing synapses per neuron (from its fan-in
 * index: input slot `slot` of neuron k reading column recCol + j is j's synapse slot * N + k), for
 * reinforce-weight-max; its first `actionSlots` neurons are the motor outputs.
 */
function recurrentWeightMax(x: Experiment & { rule: { name: 'reinforce' } }, pop: LogisticPopulation, env: EnvDef, recurrent: number): { op: RecurrentWeightMax; buffers: BufferDecl[] } {
  if (!recurrent)
    throw new ConfigError('rule.hiddenRule', "rule.hiddenRule weightmax needs a connectome wiring (population.wiring [{ kind: 'connectome' }]): Weight Max through time runs on one recurrent layer");
  if (!x.rule.terms) throw new ConfigError('rule.terms', "rule.hiddenRule weightmax needs rule.terms (at least task: the motor outputs' reward)");
  const N = pop.layers[0]!.neurons,
    recCol = env.obsDim,
    motors = env.actionSlots ?? 1;
  // Neuron j's synapses leave input column recCol + j; each is a slot id slot * N + k (neuron k reads j).
  const out = outgoingIndex(pop.layers[0]!.wiring!);
  const synapses = (j: number) => out.synapse.subarray(out.offset[recCol + j]!, out.offset[recCol + j + 1]!);
  // Depth: hops from the motor outputs against the synapses (a motor 0, a neuron feeding one 1, ...),
  // breadth first over the neurons each neuron feeds.
  const depth = new Array<number>(N).fill(Infinity);
  const feeds = Array.from({ length: N }, () => [] as number[]);
  for (let j = 0; j < recurrent; j++) for (const syn of synapses(j)) feeds[syn % N]!.push(j);
  const queue = Array.from({ length: motors }, (_, m) => m);
  for (const m of queue) depth[m] = 0;
  for (let q = 0; q < queue.length; q++) {
    const k = queue[q]!;
    for (const j of feeds[k]!)
      if (depth[j] === Infinity) {
        depth[j] = depth[k]! + 1;
        queue.push(j);
      }
  }
  // Each neuron is rewarded through its synapses onto the layer below it in depth (Chung's
  // output-down order), never through the loops of the wiring, so the reward's recursion back in
  // time is as deep as the wiring, not as long as the episode.
  const lists = Array.from({ length: N }, (_, j) => (j < motors || j >= recurrent ? [] : [...synapses(j)].filter((syn) => depth[j] === depth[syn % N]! + 1)));
  const outStart = new Uint32Array(N + 1);
  lists.forEach((v, j) => (outStart[j + 1] = outStart[j]! + v.length));
  const outSyn = Uint32Array.from(lists.flat());
  return {
    op: { motors, recCol, outStart: 'wm-out-start', outSyn: 'wm-out-syn' },
    buffers: [
      { name: 'wm-out-start', type: 'u32', length: N + 1, init: outStart, constant: true },
      { name: 'wm-out-syn', type: 'u32', length: Math.max(outSyn.length, 1), init: outSyn.length ? outSyn : new Uint32Array(1), constant: true },
    ],
  };
}

/**
 * Broadcast-reward REINFORCE on logistic neuron-agents. One step: spike layers -> env -> record ->
 * per-layer updates -> clock tick. The env reads the action spike from this step's activity row
 * and writes the next observation into the other row (ping-pong).
 */
export const REINFORCE_RULE = {
  needsEnv: true,
  reads: ['wiring', 'dale'] as const,
  build(x: Experiment & { rule: { name: 'reinforce' } }, env: EnvDef): Model<EpisodicSummary> {
    if (x.run.maxSteps !== 0) throw new ConfigError('run.maxSteps', `run.maxSteps must be 0 for rule reinforce (it runs whole episodes), got ${x.run.maxSteps}`);
    if (env.numActions !== 2) throw new ConfigError('env.name', `env.name '${x.env!.name}' has ${env.numActions} actions; logistic-neurons act with one spiking action neuron (2 actions)`);
    if (x.population.agents !== 'logistic-neurons') throw new ConfigError('population.agents', `population.agents '${x.population.agents}': the reinforce rule trains logistic-neurons`);
    const R = x.run.replicas,
      seed = x.run.seed;
    const wiring = x.population.wiring?.map((w, i): LayerWiring => {
      if (w.kind === 'connectome') return connectomeWiring(w, i, env, x.population.hidden.length);
      if (w.kind !== 'edge-list') return w;
      if (w.edges === undefined)
        throw new ConfigError(`population.wiring.${i}.file`, `population.wiring.${i}.file must be read into 'edges' before building (hedonist run does, relative to the experiment file)`);
      return { kind: 'edge-list', edges: w.edges, ...(w.fanIn !== undefined ? { fanIn: w.fanIn } : {}) };
    });
    const terms = x.rule.terms;
    // A connectome is one recurrent layer: its input block is [observation | its own spikes of the last step].
    const recurrent = wiring?.[0]?.kind === 'edge-list' && x.population.wiring?.[0]?.kind === 'connectome' ? x.population.wiring[0].neurons!.length : 0;
    const actions = recurrent || (env.actionSlots ?? 1);
    const pop = logisticPopulation({ replicas: R, obsDim: env.obsDim + recurrent, hidden: x.population.hidden, actions, seed, wiring, dale: x.population.dale });
    const wm = x.rule.hiddenRule === 'weightmax' ? recurrentWeightMax(x, pop, env, recurrent) : undefined;
    const t = terms ? rewardTermOps(pop, terms) : { buffers: [], ops: [] };
    const horizon = env.maxEpisodeSteps;
    const copy: Op[] = recurrent
      ? [
          {
            kernel: ROW_COPY,
            layout: { replicas: R, count: recurrent, srcStride: pop.S, srcOffset: pop.actionCol, dstStride: pop.S, dstOffset: env.obsDim } satisfies RowCopyLayout,
            bind: { src: ['act-a', 'act-b'], dst: ['act-b', 'act-a'] },
          },
        ]
      : [];
    const e = envOps(env, R, seed, {
      act: ['act-a', 'act-b'],
      actSlot: { stride: pop.S, offset: pop.actionCol },
      obs: ['act-b', 'act-a'],
      obsSlot: { stride: pop.S, offset: 0 },
      resetObs: 'act-a',
    });
    const { name: _rule, terms: _terms, hiddenRule: _hidden, ...settings } = x.rule;
    const program: StepProgram = {
      buffers: [...logisticBuffers(pop, seed), ...e.buffers, ...t.buffers, ...reinforceBuffers(pop, horizon, Boolean(terms)), ...(wm?.buffers ?? [])],
      reset: [e.reset],
      step: [
        ...logisticSpikeOps(pop),
        ...copy,
        e.step,
        ...t.ops,
        ...reinforceOps(pop, horizon, settings, Boolean(terms), wm?.op),
        ...daleOps(pop),
        { kernel: CLOCK_TICK, layout: {}, bind: { clock: 'clock' } },
      ],
      metrics: 'metrics',
    };
    const decoder = new EpisodeLog(R, x.run.episodes);
    const w0 = x.population.wiring?.[0];
    const names = recurrent && w0?.kind === 'connectome' ? w0.neurons : undefined;
    const units: UnitMap = {
      rows: ['act-a', 'act-b'],
      stride: pop.S,
      episodeSteps: env.maxEpisodeSteps,
      obs: { offset: 0, count: env.obsDim },
      units: pop.layers.flatMap((l, i) =>
        Array.from({ length: l.neurons }, (_, n) => ({ name: names ? names[n]! : `${i === pop.layers.length - 1 ? 'out' : `h${i}`}.${n}`, col: l.outOffset + n, layer: i })),
      ),
      spikeOps: pop.layers.map((_, i) => i),
      actions: [],
      learnOps: program.step.flatMap((op, i) => (op.kernel === REINFORCE_UPDATE || op.kernel === REINFORCE_WEIGHT_MAX || op.kernel === DALE_PROJECT ? [i] : [])),
      weights: pop.layers.map((_, i) => `theta-${i}`),
      prob: { buffer: 'prob', stride: pop.P, cols: pop.layers.flatMap((l) => Array.from({ length: l.neurons }, (_, n) => l.probOffset + n)) },
    };
    units.actions = units.units.flatMap((v, i) => (v.col >= pop.actionCol && v.col < pop.actionCol + (env.actionSlots ?? 1) ? [i] : []));
    return { kind: 'reinforce', program, decoder, stepsPerChunk: x.run.stepsPerChunk, summarise: () => episodicSummary(decoder.returns), units };
  },
};
