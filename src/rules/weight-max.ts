/**
 * Chung (2022), Weight Maximization, as a rule of the core: the paper code's actor-critic loop
 * (src/chung: actor, critic, per-unit rules, traces) as one step program that both executors run.
 * CartPole, Acrobot and LunarLander (planck on the CPU on both backends: a host op that the WebGPU
 * executor bridges), or any registered env with at most 16 actions, train through it; the
 * multiplexer (src/learners/chung-multiplexer) keeps its own path.
 *
 * One step of every replica, in the CPU trainer's order (step t = clock):
 *  1. actor forward: hidden layers (chung-ac-hidden), softmax output -> action slot (chung-ac-softmax)
 *  2. critic forward (chung-critic-forward per layer) -> V(s_t)
 *  3. TD error (chung-ac-td): delta = r + gamma V(s_t) (1 - end) - V(s_{t-1}), 0 at t = 0, on the
 *     autoreset step and on time-limit cuts
 *  4. critic learn: Adam on u = e * delta per array (chung-ac-adam, nothing at t = 0)
 *  5. actor learn, from the output down: the unit signal (chung-ac-gather: the TD error broadcast, or
 *     the Weight Max reward from the already-updated layer above), then Adam on u = e * signal
 *     (chung-ac-adam, which stores u for the Weight Max gather below). Shifted traces: the output's
 *     broadcast, every layer's update from the signals left by the previous step, then every Weight
 *     Max reward for the next step.
 *  6. critic backward (chung-critic-backward, top down): traces of grad V, restarted where the
 *     previous step ended an episode
 *  7. actor traces, from the output down: the STE / backprop characteristic (chung-ac-gather), then
 *     e = lambda gamma e + x c (chung-ac-trace; restarted likewise); shifted: from the delay line,
 *     which then takes this step's pair (chung-ac-delay)
 *  8. env step (the registered env's kernel: action from the action slot, observation into `obs`)
 *  9. episode bookkeeping and log (chung-ac-episode), clock tick
 */
import { termOps, type TermSettings } from './reward-terms.ts';
import { ConfigError } from '../config/validate.ts';
import { createActor, type Actor } from '../chung/actor.ts';
import { CHUNG_PRESETS, CHUNG_RULES, validateChungConfig, type ChungConfig, type ChungTask } from '../chung/config.ts';
import { createCritic, type Critic } from '../chung/critic.ts';
import { MULTIPLEXER_OUTPUT_FAN_OUT, type Layer } from '../chung/network.ts';
import { ENVS, envOps, type EnvDef } from '../envs/registry.ts';
import type { Experiment } from '../experiment/schema.ts';
import { AC_RECORD_WORDS, acMetricsLength, type AcEpisodeLayout, type AcLayerShape } from '../kernels/chung-ac-cpu.ts';
import { AC_MAX_ACTIONS, CHUNG_AC_ADAM, CHUNG_AC_DELAY, CHUNG_AC_EPISODE, CHUNG_AC_GATHER, CHUNG_AC_HIDDEN, CHUNG_AC_SOFTMAX, CHUNG_AC_TD, CHUNG_AC_TRACE } from '../kernels/chung-ac.ts';
import { CHUNG_CRITIC_BACKWARD, CHUNG_CRITIC_FORWARD } from '../kernels/chung-critic.ts';
import { CLOCK_TICK } from '../kernels/clock.ts';
import { adamCorrectionTable } from '../learners/chung-multiplexer/network.ts';
import type { MetricsDecoder, MetricsRecord, Model } from '../run/model.ts';
import type { Binding, BufferDecl, Op, StepProgram } from '../run/program.ts';
import { EPISODE_LOG_CAP, mean } from './reinforce.ts';
import { episodicSummary, type EpisodicSummary } from './reinforce-model.ts';
import { weightMaxUnits } from './weight-max-units.ts';

export type WeightMaxExperiment = Experiment & { rule: { name: 'weight-max' } };

/** The registered env of each of the paper's tasks. */
export const CHUNG_TASK_ENVS = { multiplexer: 'multiplexer', cartpole: 'cartpole', acrobot: 'acrobot', lunarlander: 'lunar-lander' } as const satisfies Record<ChungTask, string>;

/** The paper's task an env is (undefined for an env the paper did not run). */
export function chungTaskOfEnv(envName: string): ChungTask | undefined {
  return (Object.keys(CHUNG_TASK_ENVS) as ChungTask[]).find((t) => CHUNG_TASK_ENVS[t] === envName);
}

/** The paper's config a weight-max experiment falls back to: its env's (the multiplexer's for every multiplexer size), or CartPole's. */
export function chungTaskOf(envName: string): ChungTask {
  const env = ENVS[envName as keyof typeof ENVS];
  return chungTaskOfEnv(envName) ?? (env && isBandit(env) ? 'multiplexer' : 'cartpole');
}

/**
 * The CPU trainer's config that an experiment describes (the paper's per-env numbers where the
 * experiment leaves them unset). Throws ConfigError naming the experiment field.
 */
export function chungConfigOf(x: WeightMaxExperiment): ChungConfig {
  const task = chungTaskOf(x.env!.name);
  const P = CHUNG_PRESETS[task];
  const w = x.rule;
  const hidden = [...x.population.hidden];
  const L = hidden.length + 1;
  const criticHidden = w.criticHidden ? [...w.criticHidden] : [...P.criticHidden];
  const LC = criticHidden.length + 1;
  const perLayer = (field: string, given: number[] | undefined, preset: readonly number[], n: number, what: string): number[] => {
    const v = given ?? (preset.length === n ? [...preset] : undefined);
    if (!v) {
      const why = what === 'actor' ? `population.hidden ${JSON.stringify(hidden)} gives ${n} actor layers` : `rule.criticHidden ${JSON.stringify(criticHidden)} gives ${n} critic layers`;
      throw new ConfigError(field, `${field} must be given: the ${task} preset has ${preset.length} (for 64-32 hidden layers and the output), ${why}`);
    }
    if (v.length !== n) throw new ConfigError(field, `${field} must list ${n} numbers (one per ${what} layer), got ${v.length}`);
    return v;
  };
  if (x.population.agents !== 'logistic-neurons') throw new ConfigError('population.agents', `population.agents must be logistic-neurons for rule weight-max`);
  const c: ChungConfig = {
    task,
    rule: w.hiddenRule,
    traces: w.traces,
    traceForm: w.traceForm,
    replicas: x.run.replicas,
    episodes: x.run.episodes,
    seed: x.run.seed,
    hidden,
    fanIn: x.population.fanIn,
    temp: perLayer('rule.temp', w.temp, new Array(L).fill(1), L, 'actor'),
    gamma: w.gamma ?? P.gamma,
    actorLambda: w.actorLambda ?? P.actorLambda,
    criticLambda: w.criticLambda ?? P.criticLambda,
    criticHidden,
    actorLrStart: perLayer('rule.actorLr.start', w.actorLr?.start, P.actorLrStart, L, 'actor'),
    actorLrEnd: perLayer('rule.actorLr.end', w.actorLr?.end, P.actorLrEnd, L, 'actor'),
    criticLrStart: perLayer('rule.criticLr.start', w.criticLr?.start, P.criticLrStart, LC, 'critic'),
    criticLrEnd: perLayer('rule.criticLr.end', w.criticLr?.end, P.criticLrEnd, LC, 'critic'),
    lrEndStep: w.lrEndStep ?? P.lrEndStep,
    weightMaxP: w.weightMaxP,
    weightDecay: w.weightDecay,
    weightDecayP: w.weightDecayP,
    adamBeta1: w.adam.beta1,
    adamBeta2: w.adam.beta2,
    adamEps: w.adam.eps,
    adamBiasCorrectionSteps: w.adam.biasCorrectionSteps,
    thomasExplorers: w.thomasExplorers,
    maxSteps: x.run.maxSteps,
  };
  if (c.traces && c.traceForm === 'shifted' && c.rule !== 'weightmax') throw new ConfigError('rule.traceForm', `rule.traceForm 'shifted' requires rule.hiddenRule weightmax, got ${c.rule}`);
  try {
    validateChungConfig(c);
  } catch (e) {
    throw new ConfigError('rule', `rule weight-max: ${(e as Error).message}`);
  }
  return c;
}

/** The experiment (rule weight-max) that runs a CPU trainer config on `env` (the inverse of chungConfigOf). */
export function chungExperiment(c: ChungConfig, env: string, backend: Experiment['run']['backend'] = 'cpu', stepsPerChunk = 250): WeightMaxExperiment {
  if (!CHUNG_RULES.includes(c.rule)) throw new ConfigError('rule', `rule must be one of ${CHUNG_RULES.join(', ')}`);
  return {
    name: `chung-${chungTaskOfEnv(env) ?? env}`,
    env: { name: env },
    population: { agents: 'logistic-neurons', hidden: [...c.hidden], fanIn: c.fanIn, mlpHidden: 32, leakySlope: 0.3 },
    rule: {
      name: 'weight-max',
      hiddenRule: c.rule,
      traces: c.traces,
      traceForm: c.traceForm,
      gamma: c.gamma,
      actorLambda: c.actorLambda,
      criticLambda: c.criticLambda,
      criticHidden: [...c.criticHidden],
      temp: [...c.temp],
      actorLr: { start: [...c.actorLrStart], end: [...c.actorLrEnd] },
      criticLr: { start: [...c.criticLrStart], end: [...c.criticLrEnd] },
      lrEndStep: c.lrEndStep,
      weightMaxP: c.weightMaxP,
      weightDecay: c.weightDecay,
      weightDecayP: c.weightDecayP,
      adam: { beta1: c.adamBeta1, beta2: c.adamBeta2, eps: c.adamEps, biasCorrectionSteps: c.adamBiasCorrectionSteps },
      thomasExplorers: c.thomasExplorers,
    },
    run: { seed: c.seed, replicas: c.replicas, episodes: c.episodes, backend, stepsPerChunk, maxSteps: c.maxSteps, workers: 0 },
  };
}

/** A reference layer's shape for the kernels. */
function shapeOf(L: Layer, R: number): AcLayerShape {
  return { kind: L.kind, replicas: R, nIn: L.nIn, nOut: L.nOut, nVals: L.nVals, fanIn: L.fanIn, sparse: L.preIdx !== null, temp: L.temp, agentOffset: L.agentOffset };
}

const concat = (a: Float32Array, b: Float32Array) => {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

/** Buffer names of the actor's layer l and the critic's layer l. */
export const actorBuf = (l: number, k: string) => `actor.${l}.${k}`;
export const criticBuf = (l: number, k: string) => `critic.${l}.${k}`;

/**
 * One-step episodes (a contextual bandit such as the multiplexer): the trainer's multiplexer loop,
 * with no critic and the reward itself as the output's signal.
 */
export const isBandit = (env: Pick<EnvDef, 'maxEpisodeSteps'>): boolean => env.maxEpisodeSteps === 1;

/**
 * The step program of one configuration on one env: the actor and critic start from the CPU
 * reference's init draws (createActor / createCritic), so both backends start where the CPU
 * trainer did. On an env of one-step episodes (`isBandit`) the program is the trainer's multiplexer
 * loop instead: no critic; forward, env step (the next input into the other observation row),
 * traces of this step (lambda 0), then learning from the output down with the reward as the
 * signal and Adam step clock + 1 (the code learns from the first episode).
 */
export function weightMaxProgram(c: ChungConfig, env: EnvDef, actor: Actor = createActor(actorOptions(c, env)), critic?: Critic, terms?: TermSettings): StepProgram {
  const R = c.replicas;
  const bandit = isBandit(env);
  critic ??= bandit ? undefined : createCritic(c.replicas, env.obsDim, c.criticHidden, c.seed);
  const AL = actor.net.layers,
    CL = critic?.net.layers ?? [];
  const out = AL.length - 1,
    cout = CL.length - 1;
  const wm = c.rule === 'weightmax';
  const backprop = c.rule === 'ste' || c.rule === 'backprop';
  const shifted = c.traces && c.traceForm === 'shifted';
  const shapes = AL.map((L) => shapeOf(L, R));
  const delayOf = (l: number) => (shifted ? out - l : 0);
  // A bandit's env writes the next input while this step's input is still to be learned from: two
  // observation rows, alternating with the step's parity.
  const obs: Binding = bandit ? ['obs-a', 'obs-b'] : 'obs';
  const input = (l: number): Binding => (l === 0 ? obs : actorBuf(l - 1, 'values'));
  const criticInput = (l: number): Binding => (l === 0 ? obs : criticBuf(l - 1, 'values'));
  const adam = { beta1: c.adamBeta1, beta2: c.adamBeta2, eps: c.adamEps, biasCorrectionSteps: c.adamBiasCorrectionSteps };
  const tOffset = bandit ? 1 : 0;
  const e = envOps(env, R, c.seed, {
    act: 'action',
    actSlot: { stride: 1, offset: 0 },
    obs: bandit ? ['obs-b', 'obs-a'] : 'obs',
    obsSlot: { stride: env.obsDim, offset: 0 },
    resetObs: bandit ? 'obs-a' : 'obs',
  });
  const log = { replicas: R, cap: EPISODE_LOG_CAP, bandit };

  const buffers: BufferDecl[] = [
    ...(bandit ? ['obs-a', 'obs-b'] : ['obs']).map((name): BufferDecl => ({ name, type: 'f32', length: R * env.obsDim })),
    { name: 'action', type: 'f32', length: R },
    { name: 'clock', type: 'u32', length: 4 },
    { name: 'adam-corr', type: 'f32', length: 2 * Math.max(1, c.adamBiasCorrectionSteps - 1), init: adamCorrectionTable(c.adamBeta1, c.adamBeta2, c.adamBiasCorrectionSteps) },
    { name: 'none-u32', type: 'u32', length: 4, scratch: true },
    { name: 'none-f32', type: 'f32', length: 4, scratch: true },
    // Bound where a kernel's writable binding is not written (never also bound read-only in the same op).
    { name: 'sink-f32', type: 'f32', length: 4, scratch: true },
    { name: 'flags', type: 'u32', length: 3 * R },
    ...(bandit ? [] : [{ name: 'value-old', type: 'f32', length: R } as BufferDecl, { name: 'delta', type: 'f32', length: R, scratch: true } as BufferDecl]),
    ...episodeLog(log).buffers,
    ...e.buffers,
  ];
  AL.forEach((L, l) => {
    const P = L.w.length + L.b.length;
    buffers.push(
      { name: actorBuf(l, 'theta'), type: 'f32', length: P, init: concat(L.w, L.b) },
      { name: actorBuf(l, 'e'), type: 'f32', length: P },
      { name: actorBuf(l, 'm'), type: 'f32', length: P },
      { name: actorBuf(l, 'v'), type: 'f32', length: P },
      { name: actorBuf(l, 'u'), type: 'f32', length: P, scratch: true },
      { name: actorBuf(l, 'pot'), type: 'f32', length: R * L.nOut, scratch: true },
      { name: actorBuf(l, 'mean'), type: 'f32', length: R * L.nVals, scratch: true },
      { name: actorBuf(l, 'values'), type: 'f32', length: R * L.nVals, scratch: true },
      { name: actorBuf(l, 'charac'), type: 'f32', length: R * L.nOut, scratch: true },
      // Shifted: a hidden layer's reward is left by the previous step's Weight Max gather.
      { name: actorBuf(l, 'reward'), type: 'f32', length: R * L.nOut, scratch: !shifted },
    );
    if (L.preIdx) {
      buffers.push(
        { name: actorBuf(l, 'pre'), type: 'u32', length: L.preIdx.length, init: L.preIdx },
        { name: actorBuf(l, 'out-start'), type: 'u32', length: L.outStart!.length, init: L.outStart! },
        { name: actorBuf(l, 'out-syn'), type: 'u32', length: L.outSyn!.length, init: L.outSyn! },
      );
    }
    if (delayOf(l) > 0) buffers.push({ name: actorBuf(l, 'line'), type: 'f32', length: delayOf(l) * R * (L.nIn + L.nOut) });
  });
  CL.forEach((L, l) => {
    const P = L.w.length + L.b.length;
    buffers.push(
      { name: criticBuf(l, 'theta'), type: 'f32', length: P, init: concat(L.w, L.b) },
      ...(['e', 'm', 'v'] as const).map((k): BufferDecl => ({ name: criticBuf(l, k), type: 'f32', length: P })),
      { name: criticBuf(l, 'pot'), type: 'f32', length: R * L.nOut, scratch: true },
      { name: criticBuf(l, 'values'), type: 'f32', length: R * L.nOut, scratch: true },
      { name: criticBuf(l, 'charac'), type: 'f32', length: R * L.nOut, scratch: true },
    );
  });

  const pre = (l: number) => (AL[l]!.preIdx ? actorBuf(l, 'pre') : 'none-u32');
  const wiring = (l: number) => (AL[l]!.preIdx ? { outStart: actorBuf(l, 'out-start'), outSyn: actorBuf(l, 'out-syn') } : { outStart: 'none-u32', outSyn: 'none-u32' });
  const step: Op[] = [];
  // 1. actor forward
  for (let l = 0; l < out; l++) {
    step.push({
      kernel: CHUNG_AC_HIDDEN,
      layout: { shape: shapes[l]!, agentStride: actor.net.agentsPerReplica, seed: c.seed, exploreProb: actor.exploreProb[l]! },
      bind: { theta: actorBuf(l, 'theta'), pre: pre(l), clock: 'clock', x: input(l), pot: actorBuf(l, 'pot'), mean: actorBuf(l, 'mean'), values: actorBuf(l, 'values'), charac: actorBuf(l, 'charac') },
    });
  }
  step.push({
    kernel: CHUNG_AC_SOFTMAX,
    layout: { shape: shapes[out]!, agentStride: actor.net.agentsPerReplica, seed: c.seed, act: { stride: 1, offset: 0 } },
    bind: {
      theta: actorBuf(out, 'theta'),
      clock: 'clock',
      x: input(out),
      pot: actorBuf(out, 'pot'),
      mean: actorBuf(out, 'mean'),
      values: actorBuf(out, 'values'),
      act: 'action',
      charac: actorBuf(out, 'charac'),
    },
  });
  // Bandit: the env steps now (the reward is this step's signal), and the traces of this step are
  // recorded before learning (the multiplexer loop's stepBandit, actorRecord, actorLearn).
  if (bandit) {
    step.push(e.step);
    traces();
  }
  // 2. critic forward
  CL.forEach((L, l) => {
    step.push({
      kernel: CHUNG_CRITIC_FORWARD,
      layout: { replicas: R, nIn: L.nIn, nOut: L.nOut, softplus: L.kind === 'softplus' },
      bind: { x: criticInput(l), w: criticBuf(l, 'theta'), b: criticBuf(l, 'theta'), pot: criticBuf(l, 'pot'), values: criticBuf(l, 'values') },
    });
  });
  // 3. TD error
  if (!bandit) {
    step.push({
      kernel: CHUNG_AC_TD,
      layout: { replicas: R, gamma: c.gamma },
      bind: { reward: 'env.reward', value: criticBuf(cout, 'values'), flags: 'flags', clock: 'clock', valueOld: 'value-old', delta: 'delta' },
    });
  }
  const signalBuf = bandit ? 'env.reward' : 'delta';
  // 4. critic learn
  CL.forEach((L, l) => {
    const nW = R * L.nOut * L.fanIn;
    step.push({
      kernel: CHUNG_AC_ADAM,
      layout: {
        form: 'critic',
        count: nW + R * L.nOut,
        nW,
        divW: L.nOut * L.fanIn,
        divB: L.nOut,
        lrStart: c.criticLrStart[l]!,
        lrEnd: c.criticLrEnd[l]!,
        endT: c.lrEndStep,
        adam,
        decayC: 0,
        decayP: 2,
        tOffset,
      },
      bind: { theta: criticBuf(l, 'theta'), e: criticBuf(l, 'e'), m: criticBuf(l, 'm'), v: criticBuf(l, 'v'), u: 'sink-f32', sig: 'delta', corr: 'adam-corr', clock: 'clock' },
    });
  });
  // 5. actor learn
  const signal = (l: number): Op => {
    const weightMax = l < out && wm;
    return {
      kernel: CHUNG_AC_GATHER,
      layout: { mode: weightMax ? 'weightmax' : 'broadcast', below: shapes[l]!, above: shapes[Math.min(l + 1, out)]!, p: c.weightMaxP },
      bind: {
        aboveTheta: weightMax ? actorBuf(l + 1, 'theta') : 'none-f32',
        aboveU: weightMax ? actorBuf(l + 1, 'u') : 'none-f32',
        aboveCharac: 'none-f32',
        ...(weightMax ? wiring(l + 1) : { outStart: 'none-u32', outSyn: 'none-u32' }),
        pot: 'none-f32',
        signal: signalBuf,
        out: actorBuf(l, 'reward'),
      },
    };
  };
  const update = (l: number): Op => {
    const L = AL[l]!;
    const nW = R * L.nOut * L.fanIn;
    return {
      kernel: CHUNG_AC_ADAM,
      layout: {
        form: 'actor',
        count: nW + R * L.nOut,
        nW,
        divW: L.fanIn,
        divB: 1,
        shape: shapes[l]!,
        lrStart: c.actorLrStart[l]!,
        lrEnd: c.actorLrEnd[l]!,
        endT: c.lrEndStep,
        adam,
        decayC: c.weightDecay,
        decayP: c.weightDecayP,
        tOffset,
      },
      bind: { theta: actorBuf(l, 'theta'), e: actorBuf(l, 'e'), m: actorBuf(l, 'm'), v: actorBuf(l, 'v'), u: actorBuf(l, 'u'), sig: actorBuf(l, 'reward'), corr: 'adam-corr', clock: 'clock' },
    };
  };
  // Reward terms (Ott's activity and sparsity, the metabolic cost) add to a hidden layer's learning
  // signal after its Weight Max gather (or broadcast), before its update.
  const layerTerms = (l: number): Op[] => {
    if (!terms || l >= out) return [];
    const L = AL[l]!;
    return termOps(
      { replicas: R, actStride: L.nVals, neurons: L.nOut, layerCount: 2, rewardCol: 0, rewardStride: L.nOut },
      terms,
      { envReward: 'env.reward', layers: actorBuf(l, 'term-layers'), spikes: actorBuf(l, 'values'), rewardOut: actorBuf(l, 'reward') },
      false,
    );
  };
  if (terms) {
    // The layer table: this layer (spike column 0, neurons 0.., count, hidden) and the one above (its size, for the metabolic cost).
    for (let l = 0; l < out; l++)
      buffers.push({ name: actorBuf(l, 'term-layers'), type: 'u32', length: 8, init: Uint32Array.of(0, 0, AL[l]!.nOut, 1, 0, AL[l]!.nOut, AL[l + 1]!.nOut, 0), constant: true });
  }
  if (shifted) {
    step.push(signal(out));
    for (let l = out; l >= 0; l--) step.push(update(l));
    for (let l = out - 1; l >= 0; l--) step.push(signal(l));
  } else {
    for (let l = out; l >= 0; l--) step.push(signal(l), ...layerTerms(l), update(l));
  }
  // 6. critic backward
  for (let l = cout; l >= 0; l--) {
    const L = CL[l]!;
    const isOutput = l === cout;
    step.push({
      kernel: CHUNG_CRITIC_BACKWARD,
      layout: { replicas: R, nIn: L.nIn, nOut: L.nOut, aboveOut: isOutput ? 0 : CL[l + 1]!.nOut, isOutput, decay: c.criticLambda * c.gamma },
      bind: {
        x: criticInput(l),
        pot: criticBuf(l, 'pot'),
        aboveCharac: isOutput ? 'none-f32' : criticBuf(l + 1, 'charac'),
        aboveW: isOutput ? 'none-f32' : criticBuf(l + 1, 'theta'),
        mask: 'flags',
        charac: criticBuf(l, 'charac'),
        eW: criticBuf(l, 'e'),
        eB: 'sink-f32',
      },
    });
  }
  // 7. actor traces
  function traces(): void {
    const decay = (c.traces ? c.actorLambda : 0) * c.gamma;
    const scale = shifted ? 1 - c.actorLambda : 1;
    for (let l = out; l >= 0; l--) {
      if (l < out && backprop) {
        step.push({
          kernel: CHUNG_AC_GATHER,
          layout: { mode: 'backprop', below: shapes[l]!, above: shapes[l + 1]!, p: c.weightMaxP },
          bind: {
            aboveTheta: actorBuf(l + 1, 'theta'),
            aboveU: 'none-f32',
            aboveCharac: actorBuf(l + 1, 'charac'),
            ...wiring(l + 1),
            pot: actorBuf(l, 'pot'),
            signal: 'none-f32',
            out: actorBuf(l, 'charac'),
          },
        });
      }
      const delay = delayOf(l);
      step.push({
        kernel: CHUNG_AC_TRACE,
        layout: { shape: shapes[l]!, decay, scale, delay },
        bind: { x: delay > 0 ? actorBuf(l, 'line') : input(l), mask: 'flags', pre: pre(l), charac: actorBuf(l, 'charac'), clock: 'clock', e: actorBuf(l, 'e') },
      });
      if (delay > 0) {
        step.push({
          kernel: CHUNG_AC_DELAY,
          layout: { shape: shapes[l]!, delay },
          bind: { x: input(l), charac: actorBuf(l, 'charac'), mask: 'flags', clock: 'clock', line: actorBuf(l, 'line') },
        });
      }
    }
  }
  if (!bandit) traces();
  // 8. env, 9. bookkeeping, clock
  if (!bandit) step.push(e.step);
  step.push(...episodeLog(log).ops);
  return { buffers, reset: [e.reset], step, metrics: 'metrics' };
}

/**
 * The episode log of both weight-max programs (this file's and weight-max-sparse.ts'): its buffers,
 * and the step's last ops, chung-ac-episode (returns, lengths, the metrics ring) then the clock tick.
 */
export function episodeLog(log: AcEpisodeLayout): { buffers: BufferDecl[]; ops: Op[] } {
  const R = log.replicas;
  return {
    buffers: [
      // Each replica's return so far as f64 (lo, hi words): chung-ac-episode adds in f64 on both backends.
      { name: 'ep-return', type: 'u32', length: 2 * R },
      { name: 'ep-length', type: 'u32', length: R },
      { name: 'metrics', type: 'u32', length: acMetricsLength(log) },
    ],
    ops: [
      {
        kernel: CHUNG_AC_EPISODE,
        layout: log,
        bind: { counters: 'env.counters', reward: 'env.reward', clock: 'clock', flags: 'flags', epReturn: 'ep-return', epLength: 'ep-length', metrics: 'metrics' },
      },
      { kernel: CLOCK_TICK, layout: {}, bind: { clock: 'clock' } },
    ],
  };
}

/** The actor a config builds on an env (the CPU trainer's actorFor). */
export function actorOptions(c: ChungConfig, env: Pick<EnvDef, 'obsDim' | 'numActions'>) {
  return {
    replicas: c.replicas,
    obsDim: env.obsDim,
    numActions: env.numActions,
    hidden: c.hidden,
    temp: c.temp,
    rule: c.rule,
    fanIn: c.fanIn,
    thomasExplorers: c.thomasExplorers,
    shiftedTraces: c.traces && c.traceForm === 'shifted',
    seed: c.seed,
    outputInitFanOut: c.task === 'multiplexer' ? MULTIPLEXER_OUTPUT_FAN_OUT : undefined,
  };
}

/** One finished episode of one replica, as the CPU trainer reported it. */
export interface ChungEpisode {
  ret: number;
  length: number;
  /** Env steps taken when it ended (the step index + 1). */
  steps: number;
}

/**
 * Decodes the episode log ([steps | count x R | (return as f64 words, length, steps) x cap x R]) as readbacks
 * arrive: per replica, the first `episodes` episodes that ended within `maxSteps` (0: no cap). Done
 * when every replica has them, or the step cap is reached.
 */
export class ChungEpisodeLog implements MetricsDecoder {
  episodesOf: ChungEpisode[][];
  private seen: number[];
  stepsDone = 0;
  constructor(
    readonly replicas: number,
    readonly episodes: number,
    readonly maxSteps = 0,
    readonly cap = EPISODE_LOG_CAP,
  ) {
    this.episodesOf = Array.from({ length: replicas }, () => []);
    this.seen = new Array(replicas).fill(0);
  }

  ingest(words: Uint32Array, emit: (r: MetricsRecord) => void): void {
    const R = this.replicas;
    const bits = new Uint32Array(2),
      asF64 = new Float64Array(bits.buffer);
    this.stepsDone = words[0]!;
    for (let r = 0; r < R; r++) {
      const count = words[1 + r]!;
      if (count - this.seen[r]! > this.cap) {
        throw new Error(`episode log overflow: replica ${r} finished ${count - this.seen[r]!} episodes between readbacks (cap ${this.cap}); lower run.stepsPerChunk`);
      }
      const mine = this.episodesOf[r]!;
      for (let e = this.seen[r]!; e < count; e++) {
        const at = 1 + R + AC_RECORD_WORDS * (r * this.cap + (e % this.cap));
        bits[0] = words[at]!;
        bits[1] = words[at + 1]!;
        const ep = { ret: asF64[0]!, length: words[at + 2]!, steps: words[at + 3]! };
        if (mine.length >= this.episodes || (this.maxSteps > 0 && ep.steps > this.maxSteps)) break;
        mine.push(ep);
        emit({ 'charts/episodic_return': ep.ret, replica: r, episode: e, length: ep.length, steps: ep.steps });
      }
      this.seen[r] = count;
    }
  }

  get returns(): number[][] {
    return this.episodesOf.map((x) => x.map((e) => e.ret));
  }

  get allEpisodes(): boolean {
    return this.episodesOf.every((x) => x.length >= this.episodes);
  }

  get done(): boolean {
    return this.allEpisodes || (this.maxSteps > 0 && this.stepsDone >= this.maxSteps);
  }

  /** Env steps the CPU trainer would have taken: until the last replica's last episode, or the cap. */
  get steps(): number {
    if (this.allEpisodes) return Math.max(0, ...this.episodesOf.map((x) => x[this.episodes - 1]!.steps));
    return this.maxSteps > 0 ? Math.min(this.stepsDone, this.maxSteps) : this.stepsDone;
  }

  progress() {
    const done = this.episodesOf.reduce((s, x) => s + x.length, 0);
    const recent = this.episodesOf.flatMap((x) => x.slice(-Math.max(1, Math.floor(100 / this.replicas))).map((e) => e.ret));
    return { done, total: this.replicas * this.episodes, label: { 'return(recent)': mean(recent) }, unit: 'episodes' };
  }

  save(): unknown {
    return { episodes: this.episodesOf, seen: this.seen, stepsDone: this.stepsDone };
  }

  load(s: unknown): void {
    const st = s as { episodes: ChungEpisode[][]; seen: number[]; stepsDone: number };
    this.episodesOf = st.episodes.map((x) => x.map((e) => ({ ...e })));
    this.seen = [...st.seen];
    this.stepsDone = st.stepsDone;
  }
}

/** What a weight-max run reports: Table 1's metric beside the episodic summary every rule gives. */
export interface WeightMaxSummary extends EpisodicSummary {
  task: string;
  env: string;
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
  /** Env steps per replica until every replica had its episodes (or the step cap). */
  steps: number;
  /** Episodes completed per replica (fewer than `episodes` only if run.maxSteps stopped the run). */
  episodesDone: number[];
}

/** The summary of a decoded log, computed as the CPU trainer did. */
export function weightMaxSummary(c: ChungConfig, envName: string, log: ChungEpisodeLog): WeightMaxSummary {
  const returns = log.returns;
  const R = c.replicas;
  const perReplica = returns.map((x) => (x.length ? x.reduce((s, v) => s + v, 0) / x.length : NaN));
  const m = perReplica.reduce((s, v) => s + v, 0) / R;
  const sd = Math.sqrt(perReplica.reduce((s, v) => s + (v - m) ** 2, 0) / R);
  const finals = returns.map((x) => {
    const k = Math.max(1, Math.floor(x.length / 10));
    const tail = x.slice(x.length - k);
    return tail.reduce((s, v) => s + v, 0) / tail.length;
  });
  return {
    task: chungTaskOfEnv(envName) ?? envName,
    env: envName,
    rule: c.rule,
    traces: c.traces,
    traceForm: c.traceForm,
    replicas: R,
    episodes: c.episodes,
    seed: c.seed,
    hidden: [...c.hidden],
    fanIn: c.fanIn,
    meanReturn: m,
    stdReturn: sd,
    perReplica,
    finalMeanReturn: finals.reduce((s, v) => s + v, 0) / R,
    steps: log.steps,
    episodesDone: returns.map((x) => x.length),
    ...episodicSummary(returns),
  };
}

/** The weight-max rule: the builder registered in RULES (src/experiment/rules.ts). */
export const WEIGHT_MAX_RULE = {
  needsEnv: true,
  reads: ['fanIn'] as const,
  build(x: WeightMaxExperiment, env: EnvDef): Model<WeightMaxSummary> {
    if (env.numActions < 2 || env.numActions > AC_MAX_ACTIONS)
      throw new ConfigError('env.name', `env.name '${x.env!.name}' has ${env.numActions} actions; the softmax output serves 2 to ${AC_MAX_ACTIONS}`);
    // One-step episodes: every step logs an episode, and the log holds EPISODE_LOG_CAP per replica between readbacks.
    if (isBandit(env) && x.run.stepsPerChunk > EPISODE_LOG_CAP)
      throw new ConfigError(
        'run.stepsPerChunk',
        `run.stepsPerChunk must be at most ${EPISODE_LOG_CAP} on env '${x.env!.name}' (one episode per step, ${EPISODE_LOG_CAP} logged per replica between readbacks), got ${x.run.stepsPerChunk}`,
      );
    const c = chungConfigOf(x);
    const terms = x.rule.terms;
    if (terms) {
      if (terms.task)
        throw new ConfigError(
          'rule.terms.task',
          "rule.terms.task: the weight-max rule's hidden units learn from the Weight Max reward (or the broadcast TD error); give only activity, sparsity or metabolic",
        );
      if (!['weightmax', 'reinforce', 'thomas'].includes(c.rule))
        throw new ConfigError('rule.terms', `rule.terms need Bernoulli hidden units rewarded per unit (hiddenRule weightmax, reinforce or thomas), got ${c.rule}`);
      if (c.traces && c.traceForm === 'shifted') throw new ConfigError('rule.terms', "rule.terms cannot be combined with traceForm 'shifted' (its rewards arrive a step late)");
    }
    const actor = createActor(actorOptions(c, env));
    const program = weightMaxProgram(c, env, actor, undefined, terms);
    const units = weightMaxUnits(actor, env, program);
    const decoder = new ChungEpisodeLog(c.replicas, c.episodes, c.maxSteps);
    return {
      kind: 'weight-max',
      program,
      decoder,
      stepsPerChunk: x.run.stepsPerChunk,
      summarise: () => weightMaxSummary(c, x.env!.name, decoder),
      ...(c.maxSteps > 0 ? { stepLimit: c.maxSteps } : {}),
      ...(units ? { units } : {}),
    };
  },
};
