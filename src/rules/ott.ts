/**
 * The Ott (2020) rule on the core: every neuron its own REINFORCE agent (a private MLP or logistic
 * policy and its own Adam) learning from a weighted sum of the env's reward and biological reward
 * terms; each replica learns at the end of its own episode and stops on the paper's protocol.
 * The builder composes the population (wiring, policy parameters), any registered 2-action env
 * (envOps) and the Ott kernels (src/kernels/ott.ts) into one step program.
 */
import { ConfigError } from '../config/validate.ts';
import { envOps, type EnvDef } from '../envs/registry.ts';
import { parseExperiment } from '../experiment/load.ts';
import type { Experiment } from '../experiment/schema.ts';
import { CLOCK_TICK } from '../kernels/clock.ts';
import { ottFusedApplies, ottFusedProgram } from '../kernels/ott-fused.ts';
import {
  OTT_ADAM_STEP,
  OTT_EPISODE_END,
  OTT_LAYER_FRACTION,
  OTT_LOGISTIC_FORWARD,
  OTT_LOGISTIC_GRAD,
  OTT_MLP_FORWARD,
  OTT_MLP_GRAD,
  OTT_RECORD,
  OTT_REPLICA_STEP,
  OTT_RETURNS,
  OTT_REWARDS,
  OTT_STEP_BEGIN,
} from '../kernels/ott.ts';
import { OTT_CARTPOLE_DEFAULTS, type OttConfig, type OttWiringKind } from '../ott/config.ts';
import { initOttParams, initOttReplicaState, OTT_LOG_CAP, OttLogReader, ottNetwork, ottParamValues, RS_FIELDS, type OttNetwork } from '../ott/network.ts';
import { OTT_TERM_COUNT } from '../ott/rewards.ts';
import { ottEpisodeMetrics, OttProtocol, type OttRunSummary } from '../ott/summary.ts';
import type { MetricsDecoder, MetricsRecord, Model } from '../run/model.ts';
import type { BufferDecl, Op, StepProgram } from '../run/program.ts';
import { ottUnits } from './ott-units.ts';

export type OttExperiment = Experiment & { rule: { name: 'ott' } };

/** Ott 2020's local wiring as per-layer entries: dense into the first hidden layer and the action neuron, ott-local between hidden layers. */
export function ottLocalWiring(layers: number): Experiment['population']['wiring'] {
  return [{ kind: 'dense' }, ...new Array(Math.max(layers - 1, 0)).fill(0).map(() => ({ kind: 'ott-local' as const })), { kind: 'dense' }];
}

/**
 * The Ott network's wiring kind from `population.wiring`: absent or all dense -> 'dense';
 * dense into the first hidden layer and the action neuron with ott-local between hidden layers -> 'local'.
 */
function ottWiringOf(x: OttExperiment): OttWiringKind {
  const w = x.population.wiring;
  // Without hidden-to-hidden synapses the two wirings are one network: name it as the paper does.
  if (x.population.hidden.length <= 1 && (!w || w.every((l) => l.kind === 'dense'))) return 'local';
  if (!w || w.every((l) => l.kind === 'dense')) return 'dense';
  const inner = w.slice(1, -1);
  if (w[0]!.kind === 'dense' && w[w.length - 1]!.kind === 'dense' && inner.length > 0 && inner.every((l) => l.kind === 'ott-local')) return 'local';
  throw new ConfigError('population.wiring', 'population.wiring: the ott rule wires all layers dense, or ott-local between hidden layers (dense into the first hidden layer and the action neuron)');
}

/** The Ott config an experiment describes (the form the family's helpers and summaries use). */
export function ottConfigOf(x: OttExperiment): OttConfig {
  const { population: p, rule: u, run } = x;
  if (p.hidden.some((n) => n !== p.hidden[0])) throw new ConfigError('population.hidden', `population.hidden: the ott rule needs hidden layers of one width, got [${p.hidden.join(', ')}]`);
  if (u.replicaModes && u.replicaModes.length !== run.replicas) {
    throw new ConfigError('rule.replicaModes', `rule.replicaModes must list one mode per replica (${run.replicas}), got ${u.replicaModes.length}`);
  }
  return {
    seed: run.seed,
    replicas: run.replicas,
    layers: p.hidden.length,
    neuronsPerLayer: p.hidden[0] ?? OTT_CARTPOLE_DEFAULTS.neuronsPerLayer,
    wiring: ottWiringOf(x),
    policy: p.agents === 'mlp-neurons' ? 'mlp' : 'logistic',
    hiddenUnits: p.mlpHidden,
    leakySlope: p.leakySlope,
    learningRate: u.lr,
    adamBeta1: u.beta1,
    adamBeta2: u.beta2,
    adamEps: u.eps,
    gamma: u.gamma,
    rewardMode: u.mode,
    ...(u.replicaModes ? { replicaRewardModes: [...u.replicaModes] } : {}),
    rewardWeights: { ...u.weights },
    sparsityTarget: u.sparsityTarget,
    bioEpisodes: u.bioEpisodes,
    maxEpisodes: run.episodes,
    minEpisodes: u.solve.minEpisodes,
    solveThreshold: u.solve.threshold,
    solveWindow: u.solve.window,
    stopWhenSolved: u.solve.stop,
  };
}

/** The experiment of an Ott config on `env` (CartPole by default): the inverse of ottConfigOf. */
export function ottExperiment(c: OttConfig, o: { name?: string; env?: string; backend?: Experiment['run']['backend']; stepsPerChunk?: number } = {}): OttExperiment {
  return parseExperiment({
    name: o.name ?? 'ott-cartpole',
    env: { name: o.env ?? 'cartpole' },
    population: {
      agents: c.policy === 'mlp' ? 'mlp-neurons' : 'logistic-neurons',
      hidden: new Array<number>(c.layers).fill(c.neuronsPerLayer),
      ...(c.wiring === 'local' && c.layers > 1 ? { wiring: ottLocalWiring(c.layers) } : {}),
      mlpHidden: c.hiddenUnits,
      leakySlope: c.leakySlope,
    },
    rule: {
      name: 'ott',
      lr: c.learningRate,
      gamma: c.gamma,
      beta1: c.adamBeta1,
      beta2: c.adamBeta2,
      eps: c.adamEps,
      mode: c.rewardMode,
      ...(c.replicaRewardModes ? { replicaModes: [...c.replicaRewardModes] } : {}),
      weights: { ...c.rewardWeights },
      sparsityTarget: c.sparsityTarget,
      bioEpisodes: c.bioEpisodes,
      solve: { window: c.solveWindow, threshold: c.solveThreshold, minEpisodes: c.minEpisodes, stop: c.stopWhenSolved },
    },
    run: { seed: c.seed, replicas: c.replicas, episodes: c.maxEpisodes, backend: o.backend ?? 'auto', stepsPerChunk: o.stepsPerChunk ?? 250 },
  }) as OttExperiment;
}

/**
 * Decodes the Ott episode log as readbacks arrive (OttLogReader): one record per finished episode,
 * `{ replica, episode, return, steps, mean100, firing_rate_*, reward_*, bio_only }`, per replica in
 * episode order; done when every replica has met its stop rule or its episode cap.
 */
export class OttDecoder implements MetricsDecoder {
  readonly protocol: OttProtocol;
  private readonly reader: OttLogReader;
  constructor(readonly net: OttNetwork) {
    this.protocol = new OttProtocol(net.c);
    this.reader = new OttLogReader(net);
  }

  ingest(words: Uint32Array, emit: (r: MetricsRecord) => void): void {
    this.reader.ingest(words, (rec) => {
      if (this.protocol.add(rec)) emit({ replica: rec.replica, ...ottEpisodeMetrics(this.net.c, rec) });
    });
  }

  get done(): boolean {
    return this.protocol.finished >= this.net.R;
  }

  progress() {
    const s = this.protocol.replicas;
    return {
      done: this.protocol.finished,
      total: this.net.R,
      label: { episodes: this.protocol.episodes, 'mean100 (avg over replicas)': s.reduce((a, x) => a + x.finalMean, 0) / s.length },
      unit: 'replicas done',
    };
  }

  save(): unknown {
    return { seen: [...this.reader.seen], protocol: this.protocol.save() };
  }

  load(state: unknown): void {
    const st = state as { seen: number[]; protocol: unknown };
    this.reader.seen = [...st.seen];
    this.protocol.load(st.protocol);
  }
}

/**
 * The Ott step program for R replicas of `net` on `env`, in the order of the paper's step:
 * step-begin -> forward (one op per layer) -> record -> env -> layer fractions -> rewards ->
 * replica-step -> returns -> gradients -> Adam -> episode-end -> clock tick. The update ops run
 * every step and act only for replicas whose episode just ended.
 */
export function ottProgram(net: OttNetwork, env: EnvDef): StepProgram {
  const { c, R, N, S, NL, Tmax } = net;
  const D = env.obsDim;
  const theta = initOttParams(net);
  const e = envOps(env, R, c.seed, {
    act: 'signals',
    actSlot: { stride: S, offset: S - 1 },
    obs: 'obs',
    obsSlot: { stride: D, offset: 0 },
    resetObs: 'obs',
  });
  const buffers: BufferDecl[] = [
    ...e.buffers,
    { name: 'obs', type: 'f32', length: R * D },
    { name: 'wiring', type: 'u32', length: net.wiring.length, init: net.wiring },
    { name: 'rs', type: 'u32', length: R * RS_FIELDS, init: initOttReplicaState(net) },
    { name: 'rf', type: 'f32', length: R * net.rfFields },
    { name: 'signals', type: 'f32', length: R * S },
    { name: 'probs', type: 'f32', length: R * N, scratch: true },
    { name: 'hist', type: 'f32', length: R * Tmax * S },
    { name: 'rewardHist', type: 'f32', length: R * Tmax * N },
    { name: 'fractions', type: 'f32', length: R * NL, scratch: true },
    // five reward terms, then each neuron's spike count of the episode (the trace's state)
    { name: 'terms', type: 'f32', length: (OTT_TERM_COUNT + 1) * R * N },
    { name: 'theta', type: 'f32', length: theta.length, init: theta },
    { name: 'grads', type: 'f32', length: theta.length, scratch: true },
    { name: 'm', type: 'f32', length: theta.length },
    { name: 'v', type: 'f32', length: theta.length },
    { name: 'returnWindow', type: 'f32', length: R * c.solveWindow },
    { name: 'episodeLog', type: 'u32', length: R + R * OTT_LOG_CAP * net.recWidth },
    { name: 'clock', type: 'u32', length: 4 },
  ];
  const p = ottParamValues(net);
  const mlp = c.policy === 'mlp';
  const forward = Array.from(
    { length: NL },
    (_, l): Op => ({
      kernel: mlp ? OTT_MLP_FORWARD : OTT_LOGISTIC_FORWARD,
      layout: ottParamValues(net, net.w.layerStart[l]!, net.w.layerStart[l + 1]!),
      bind: { wiring: 'wiring', rs: 'rs', clock: 'clock', theta: 'theta', signals: 'signals', probs: 'probs' },
    }),
  );
  const step: Op[] = [
    { kernel: OTT_STEP_BEGIN, layout: p, bind: { counters: 'env.counters', obs: 'obs', rs: 'rs', signals: 'signals' } },
    ...forward,
    { kernel: OTT_RECORD, layout: p, bind: { rs: 'rs', signals: 'signals', hist: 'hist' } },
    e.step,
    { kernel: OTT_LAYER_FRACTION, layout: p, bind: { wiring: 'wiring', rs: 'rs', signals: 'signals', fractions: 'fractions' } },
    { kernel: OTT_REWARDS, layout: p, bind: { wiring: 'wiring', rs: 'rs', signals: 'signals', fractions: 'fractions', envReward: 'env.reward', terms: 'terms', rewardHist: 'rewardHist' } },
    { kernel: OTT_REPLICA_STEP, layout: p, bind: { counters: 'env.counters', envReward: 'env.reward', fractions: 'fractions', terms: 'terms', rs: 'rs', rf: 'rf' } },
    { kernel: OTT_RETURNS, layout: p, bind: { rs: 'rs', rewardHist: 'rewardHist' } },
    { kernel: mlp ? OTT_MLP_GRAD : OTT_LOGISTIC_GRAD, layout: p, bind: { wiring: 'wiring', rs: 'rs', theta: 'theta', hist: 'hist', returns: 'rewardHist', grads: 'grads' } },
    { kernel: OTT_ADAM_STEP, layout: p, bind: { rs: 'rs', grads: 'grads', theta: 'theta', m: 'm', v: 'v' } },
    { kernel: OTT_EPISODE_END, layout: p, bind: { rs: 'rs', rf: 'rf', returnWindow: 'returnWindow', episodeLog: 'episodeLog' } },
    { kernel: CLOCK_TICK, layout: {}, bind: { clock: 'clock' } },
  ];
  return { buffers, reset: [e.reset], step, metrics: 'episodeLog' };
}

/**
 * The step program of an Ott experiment in the form `run.stepForm` asks for. The rule: 'ops' (one
 * dispatch per kernel) unless the form is forced to 'fused' or 'split'; 'auto' picks 'ops' because
 * the fused forms (src/kernels/ott-fused.ts: one invocation per replica runs the whole step, or
 * the step and the episode end with the update per neuron in between) measured slower on
 * every adapter tried (SwiftShader at 10, 30 and 1000 replicas, docs/ott.md "Step forms": a
 * replica's step runs serially in one invocation, where the op list spreads its neurons over
 * invocations). The fused forms need the MLP policy on CartPole and say so otherwise.
 */
export function ottStepProgram(x: OttExperiment, net: OttNetwork, env: EnvDef): StepProgram {
  const ops = ottProgram(net, env);
  const form = x.run.stepForm;
  if (form !== 'fused' && form !== 'split') return ops;
  if (!ottFusedApplies(ops))
    throw new ConfigError('run.stepForm', `run.stepForm '${form}' needs population.agents 'mlp-neurons' on env 'cartpole' (rule ott), got ${x.population.agents} on ${x.env!.name}`);
  return ottFusedProgram(ops, { form }).program;
}

/** The network an Ott experiment trains on `env`. */
export function ottNetworkOf(x: OttExperiment, env: EnvDef): OttNetwork {
  if (env.numActions !== 2) throw new ConfigError('env.name', `env.name '${x.env!.name}' has ${env.numActions} actions; the ott rule acts with one spiking output neuron (2 actions)`);
  return ottNetwork(ottConfigOf(x), env.obsDim, env.maxEpisodeSteps);
}

export const OTT_RULE = {
  needsEnv: true,
  reads: ['wiring', 'mlpHidden', 'leakySlope'] as const,
  build(x: OttExperiment, env: EnvDef): Model<OttRunSummary> {
    const net = ottNetworkOf(x, env);
    const decoder = new OttDecoder(net);
    const program = ottStepProgram(x, net, env);
    const units = ottUnits(net, env, program);
    return { kind: 'ott', program, decoder, stepsPerChunk: x.run.stepsPerChunk, summarise: () => decoder.protocol.summary(), ...(units ? { units } : {}) };
  },
  /** Lines of the human-readable run summary. */
  summaryLines(s: OttRunSummary): string[] {
    const fmt = (v: number | null, d = 0) => (v === null || !Number.isFinite(v) ? '-' : v.toFixed(d));
    const c = s.config;
    return [
      `trials per replica: ${s.replicas.map((x) => x.trials).join(' ')}`,
      `trials: ${fmt(s.trialsMean, 1)} +- ${fmt(s.trialsStd, 1)}; solved ${s.solvedCount}/${c.replicas}`,
      `first episode with ${c.solveWindow}-episode mean > ${c.solveThreshold}: ${fmt(s.firstAboveMean, 1)} +- ${fmt(s.firstAboveStd, 1)} (${s.crossedCount}/${c.replicas} crossed)`,
    ];
  },
};
