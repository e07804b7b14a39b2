/**
 * Chung (2022), Weight Maximization at scale on a one-step env (the multiplexer), as a rule of the
 * core: the actor alone (no critic; the reward is the output's signal) in the k-major layout of
 * shaders/chung-*.wgsl (theta[(r * (F + 1) + q) * N + j], bias at q = F), with per-layer sparse
 * fan-in, Adam or plain SGD per layer and shifted initial biases, so that 2^20 neuron-agents x 64
 * synapses fit (the million-agent network, docs/million.md). The weight-max rule (src/rules/weight-max.ts)
 * runs the paper's multiplexer network with every hidden rule; this one serves the sizes its
 * layout cannot (theta and the wiring only per synapse; no traces, raw updates or moments for SGD
 * layers).
 *
 * One step of every replica (step t = clock, episode t):
 *  1. chung-hidden-forward per hidden layer (values, mean, charac)
 *  2. chung-output-partial + chung-softmax-output (the action as f32 into the env's action slot)
 *  3. the env step (multiplexer-step: reward, then the next input into the other observation row)
 *  4. from the output down: chung-unit-reward (output: broadcast of the reward; hidden: the Weight
 *     Max gather from the layer above, dense, CSR pieces or scatter blocks, or the broadcast for
 *     REINFORCE) [+ chung-reward-sum], then chung-param-update (raw update + Adam / SGD); a sparse
 *     SGD layer above a scatter-gathered one is updated inside that gather (chung-sgd-scatter)
 *  5. chung-ac-episode (one-step episodes: the episode log), clock-tick
 * The CPU twins (src/kernels/chung-cpu.ts) compute the multiplexer runner's reference arithmetic,
 * so the CPU executor gives its numbers bit for bit (test/chung/metrics-hash.test.ts).
 */
import type { AdamOptions } from '../chung/adam.ts';
import { stackShapes } from '../chung/network.ts';
import { ConfigError } from '../config/validate.ts';
import { envOps, type EnvDef } from '../envs/registry.ts';
import { multiplexerEnvName } from '../envs/multiplexer-gpu.ts';
import type { Experiment } from '../experiment/schema.ts';
import type { MuxLayerShape } from '../kernels/chung-cpu.ts';
import {
  CHUNG_HIDDEN_FORWARD,
  CHUNG_OUTPUT_PARTIAL,
  CHUNG_PARAM_UPDATE,
  CHUNG_REWARD_SUM,
  CHUNG_SGD_SCATTER,
  CHUNG_SOFTMAX_OUTPUT,
  CHUNG_UNIT_REWARD,
  outputChunking,
  SCATTER_MAX_UNITS,
  type UnitRewardMode,
} from '../kernels/chung.ts';
import { chungMuxConfig, validateChungMuxConfig, type ChungMuxConfig } from '../learners/chung-multiplexer/config.ts';
import { adamCorrectionTable, buildHostNet, muxLayerSpecs, type HostNet } from '../learners/chung-multiplexer/network.ts';
import type { Model } from '../run/model.ts';
import { programBytes, type Binding, type BufferDecl, type Op, type StepProgram } from '../run/program.ts';
import { EPISODE_LOG_CAP } from './reinforce.ts';
import { episodicSummary, type EpisodicSummary } from './reinforce-model.ts';
import { ChungEpisodeLog, episodeLog, isBandit } from './weight-max.ts';

export type WeightMaxSparseExperiment = Experiment & { rule: { name: 'weight-max-sparse' } };

/**
 * The config an experiment describes (ChungMuxConfig, src/learners/chung-multiplexer/config.ts:
 * the paper's multiplexer numbers where the experiment leaves them unset). Throws ConfigError
 * naming the experiment field.
 */
export function muxConfigOf(x: WeightMaxSparseExperiment): ChungMuxConfig {
  const env = x.env!.name;
  const k = /^multiplexer(?:-(\d+))?$/.exec(env);
  const addressBits = k ? (k[1] === undefined ? 4 : [1, 2, 3, 4, 5, 6].find((b) => b + (1 << b) === Number(k[1]))) : undefined;
  if (addressBits === undefined) throw new ConfigError('env.name', `rule weight-max-sparse runs on the multiplexer (env.name multiplexer or multiplexer-3|6|11|37|70), got '${env}'`);
  if (x.population.agents !== 'logistic-neurons') throw new ConfigError('population.agents', 'population.agents must be logistic-neurons for rule weight-max-sparse');
  const w = x.rule;
  const hidden = [...x.population.hidden];
  const L = hidden.length + 1;
  const perLayer = <T>(field: string, v: T[] | undefined, n: number, what: string) => {
    if (v && v.length !== n) throw new ConfigError(field, `${field} must list ${n} entries (one per ${what}), got ${v.length}`);
    return v ? [...v] : undefined;
  };
  const c = chungMuxConfig({
    addressBits,
    hidden,
    rule: w.hiddenRule,
    replicas: x.run.replicas,
    episodes: x.run.episodes,
    seed: x.run.seed,
    fanIn: perLayer('rule.fanIn', w.fanIn, hidden.length, 'hidden layer'),
    lr: perLayer('rule.lr', w.lr, L, 'layer'),
    optimizer: perLayer('rule.optimizer', w.optimizer, L, 'layer'),
    temp: perLayer('rule.temp', w.temp, L, 'layer'),
    biasInit: perLayer('rule.biasInit', w.biasInit, L, 'layer'),
    weightMaxP: w.weightMaxP,
    adamBeta1: w.adam.beta1,
    adamBeta2: w.adam.beta2,
    adamEps: w.adam.eps,
    adamBiasCorrectionSteps: w.adam.biasCorrectionSteps,
    backend: x.run.backend === 'cpu' ? 'cpu' : 'webgpu',
    stepsPerSubmit: x.run.stepsPerChunk,
    outputChunk: w.outputChunk,
    gatherChunk: w.gatherChunk,
    gatherMode: w.gatherMode,
    fuseSgdScatter: w.fuseSgdScatter,
  });
  try {
    validateChungMuxConfig(c);
  } catch (e) {
    throw new ConfigError('rule', `rule weight-max-sparse: ${(e as Error).message}`);
  }
  return c;
}

/** The experiment (rule weight-max-sparse) of a multiplexer config (the inverse of muxConfigOf). */
export function muxExperiment(c: ChungMuxConfig, backend: Experiment['run']['backend'] = c.backend, kernelForms: 'auto' | 'plain' | 'hardware' = 'auto'): WeightMaxSparseExperiment {
  return {
    name: 'weight-max-sparse',
    env: { name: multiplexerEnvName(c.addressBits) },
    population: { agents: 'logistic-neurons', hidden: [...c.hidden], fanIn: 0, mlpHidden: 32, leakySlope: 0.3 },
    rule: {
      name: 'weight-max-sparse',
      hiddenRule: c.rule,
      fanIn: [...c.fanIn],
      lr: [...c.lr],
      optimizer: [...c.optimizer],
      temp: [...c.temp],
      biasInit: [...c.biasInit],
      weightMaxP: c.weightMaxP,
      adam: { beta1: c.adamBeta1, beta2: c.adamBeta2, eps: c.adamEps, biasCorrectionSteps: c.adamBiasCorrectionSteps },
      outputChunk: c.outputChunk,
      gatherChunk: c.gatherChunk,
      gatherMode: c.gatherMode,
      fuseSgdScatter: c.fuseSgdScatter,
      kernelForms,
    },
    // One thread: the scatter walk's helper thread (run.workers > 1) was slower on the 2-core host it was measured on (docs/million.md).
    run: { seed: c.seed, replicas: c.replicas, episodes: c.episodes, backend, stepsPerChunk: c.stepsPerSubmit, maxSteps: 0, workers: 1 },
  };
}

const layerBuf = (l: number, k: string) => `layer.${l}.${k}`;

/** The layers' shapes of buildHostNet's network, without drawing it. */
export function hostNetShapes(c: ChungMuxConfig, obsDim: number, numActions = 2): { shapes: MuxLayerShape[]; agentsPerReplica: number } {
  const { shapes, agentsPerReplica } = stackShapes(muxLayerSpecs(c, numActions), obsDim);
  return { shapes: shapes.map((s) => ({ ...s, replicas: c.replicas })), agentsPerReplica };
}

/**
 * The step program of a config on a multiplexer env; the network starts from createNet's draws
 * (buildHostNet), as the CPU reference does, drawn only when an executor asks for the buffers'
 * contents (after it checked that they fit). `forms` picks the kernels' forms on WebGPU.
 */
export function weightMaxSparseProgram(c: ChungMuxConfig, env: EnvDef, forms: 'auto' | 'plain' | 'hardware' = 'auto', given?: HostNet): StepProgram {
  const R = c.replicas;
  let drawn = given;
  const net = () => (drawn ??= buildHostNet(c, env.obsDim, env.numActions));
  const { shapes, agentsPerReplica } = hostNetShapes(c, env.obsDim, env.numActions);
  const out = shapes.length - 1;
  const wm = c.rule === 'weightmax';
  const adam: AdamOptions = { beta1: c.adamBeta1, beta2: c.adamBeta2, eps: c.adamEps, biasCorrectionSteps: c.adamBiasCorrectionSteps };
  const obs: Binding = ['obs-a', 'obs-b'];
  const input = (l: number): Binding => (l === 0 ? obs : layerBuf(l - 1, 'values'));
  const e = envOps(env, R, c.seed, { act: 'action', actSlot: { stride: 1, offset: 0 }, obs: ['obs-b', 'obs-a'], obsSlot: { stride: env.obsDim, offset: 0 }, resetObs: 'obs-a' });
  const log = { replicas: R, cap: EPISODE_LOG_CAP, bandit: true };
  // The output's partials, sized for the longer of the two forms' chunkings.
  const outL = shapes[out]!;
  const outChunks = Math.max(outputChunking(outL.fanIn, c.outputChunk, false).chunks, outputChunking(outL.fanIn, c.outputChunk, true).chunks);
  // The CSR view is only stored where a Weight Max gather walks it (not for 'scatter' gathers).
  const scatter = (l: number) => wm && c.gatherMode === 'scatter' && shapes[l]!.sparse && shapes[l - 1]!.nOut <= SCATTER_MAX_UNITS;
  const needCsr = (l: number) => l > 0 && wm && shapes[l]!.sparse && !scatter(l);
  const fused = (l: number) => c.fuseSgdScatter && l > 0 && l < out && c.optimizer[l] === 'sgd' && scatter(l);

  const buffers: BufferDecl[] = [
    { name: 'obs-a', type: 'f32', length: R * env.obsDim },
    { name: 'obs-b', type: 'f32', length: R * env.obsDim },
    { name: 'action', type: 'f32', length: R },
    { name: 'clock', type: 'u32', length: 4 },
    { name: 'adam-corr', type: 'f32', length: 2 * Math.max(1, c.adamBiasCorrectionSteps - 1), init: adamCorrectionTable(c.adamBeta1, c.adamBeta2, c.adamBiasCorrectionSteps), constant: true },
    { name: 'none-u32', type: 'u32', length: 4, scratch: true },
    { name: 'none-f32', type: 'f32', length: 4, scratch: true },
    // Bound where a kernel's writable binding is not used (an SGD layer's moments).
    { name: 'sink-f32', type: 'f32', length: 4, scratch: true },
    { name: 'output-partial', type: 'f32', length: R * outL.nOut * outChunks, scratch: true },
    { name: 'flags', type: 'u32', length: 3 * R },
    ...episodeLog(log).buffers,
    ...e.buffers,
  ];
  shapes.forEach((L, l) => {
    const P = R * (L.fanIn + 1) * L.nOut;
    const layer = () => net().layers[l]!;
    buffers.push({ name: layerBuf(l, 'theta'), type: 'f32', length: P, init: () => layer().theta });
    if (c.optimizer[l] === 'adam') buffers.push({ name: layerBuf(l, 'mv'), type: 'f32', length: 2 * P });
    if (L.sparse) buffers.push({ name: layerBuf(l, 'pre'), type: 'u32', length: L.fanIn * L.nOut, init: () => layer().pre!, constant: true });
    if (needCsr(l)) {
      buffers.push(
        { name: layerBuf(l, 'out-start'), type: 'u32', length: L.nIn + 1, init: () => layer().outStart!, constant: true },
        { name: layerBuf(l, 'out-syn'), type: 'u32', length: L.fanIn * L.nOut, init: () => layer().outSyn!, constant: true },
      );
    }
    for (const k of ['mean', 'values']) buffers.push({ name: layerBuf(l, k), type: 'f32', length: R * L.nVals, scratch: true });
    for (const k of ['charac', 'reward']) buffers.push({ name: layerBuf(l, k), type: 'f32', length: R * L.nOut, scratch: true });
  });

  const pre = (l: number) => (shapes[l]!.sparse ? layerBuf(l, 'pre') : 'none-u32');
  const step: Op[] = [];
  // 1. hidden forward
  for (let l = 0; l < out; l++) {
    step.push({
      kernel: CHUNG_HIDDEN_FORWARD,
      layout: { shape: shapes[l]!, agentStride: agentsPerReplica, seed: c.seed, forms },
      bind: { theta: layerBuf(l, 'theta'), pre: pre(l), clock: 'clock', x: input(l), mean: layerBuf(l, 'mean'), values: layerBuf(l, 'values'), charac: layerBuf(l, 'charac') },
    });
  }
  // 2. output
  const outLayout = { shape: shapes[out]!, outputChunk: c.outputChunk, forms, agentStride: agentsPerReplica, seed: c.seed, act: { stride: 1, offset: 0 } };
  step.push(
    { kernel: CHUNG_OUTPUT_PARTIAL, layout: outLayout, bind: { theta: layerBuf(out, 'theta'), x: input(out), partial: 'output-partial' } },
    {
      kernel: CHUNG_SOFTMAX_OUTPUT,
      layout: outLayout,
      bind: { theta: layerBuf(out, 'theta'), partial: 'output-partial', clock: 'clock', mean: layerBuf(out, 'mean'), values: layerBuf(out, 'values'), act: 'action', charac: layerBuf(out, 'charac') },
    },
  );
  // 3. env: reward, next input into the other row
  step.push(e.step);
  // 4. learning, from the output down
  for (let l = out; l >= 0; l--) {
    const L = shapes[l]!;
    const above = l < out ? shapes[l + 1]! : null;
    let mode: UnitRewardMode = l === out || !wm ? 'broadcast' : above!.sparse ? 'weightmax-sparse' : 'weightmax-dense';
    if (mode === 'weightmax-sparse' && scatter(l + 1)) mode = 'weightmax-scatter';
    // Sparse above: the CSR gather in pieces of gatherChunk synapses, or (below <= 256 units, and
    // gatherMode 'scatter') blocks of above units walked in storage order.
    let chunks = 1,
      chunk = c.gatherChunk;
    if (mode === 'weightmax-sparse') {
      // Enough pieces for the longest outgoing list, bounded without drawing the wiring: a unit
      // has at most one synapse from each unit below, so a list holds at most the above layer's units.
      chunks = Math.max(1, Math.ceil(above!.nOut / chunk));
    } else if (mode === 'weightmax-scatter') {
      chunk = Math.max(1, Math.ceil(c.gatherChunk / above!.fanIn));
      chunks = Math.ceil(above!.nOut / chunk);
    }
    const twoPass = mode === 'weightmax-sparse' || mode === 'weightmax-scatter';
    const target = twoPass ? layerBuf(l, 'gather-partial') : layerBuf(l, 'reward');
    if (twoPass) buffers.push({ name: target, type: 'f32', length: R * L.nOut * chunks, scratch: true });
    const ab = (k: string) => (above ? layerBuf(l + 1, k) : 'none-f32');
    if (mode === 'weightmax-scatter' && fused(l + 1)) {
      step.push({
        kernel: CHUNG_SGD_SCATTER,
        layout: { below: shapes[l]!, above: shapes[l + 1]!, chunks, chunk, p: c.weightMaxP, lr: c.lr[l + 1]! },
        bind: { aboveTheta: ab('theta'), aboveCharac: ab('charac'), aboveReward: ab('reward'), x: layerBuf(l, 'values'), pre: pre(l + 1), reward: target },
      });
    } else {
      step.push({
        kernel: CHUNG_UNIT_REWARD,
        layout: { mode, below: shapes[l]!, above: above ? shapes[l + 1]! : null, chunks, chunk, p: c.weightMaxP, forms },
        bind: {
          aboveTheta: mode === 'broadcast' ? 'none-f32' : ab('theta'),
          aboveCharac: mode === 'broadcast' ? 'none-f32' : ab('charac'),
          aboveReward: mode === 'broadcast' ? 'none-f32' : ab('reward'),
          x: mode === 'broadcast' ? 'none-f32' : layerBuf(l, 'values'),
          outStart: mode === 'weightmax-sparse' ? layerBuf(l + 1, 'out-start') : 'none-u32',
          outSyn: mode === 'weightmax-sparse' ? layerBuf(l + 1, 'out-syn') : mode === 'weightmax-scatter' ? pre(l + 1) : 'none-u32',
          signal: 'env.reward',
          reward: target,
        },
      });
    }
    if (twoPass) {
      step.push({
        kernel: CHUNG_REWARD_SUM,
        layout: { count: R * L.nOut, chunks, units: L.nOut, layout: mode === 'weightmax-sparse' ? 'pieces' : 'blocks' },
        bind: { partial: target, reward: layerBuf(l, 'reward') },
      });
    }
    if (!fused(l)) {
      step.push({
        kernel: CHUNG_PARAM_UPDATE,
        layout: { shape: shapes[l]!, optimizer: c.optimizer[l]!, lr: c.lr[l]!, adam, forms },
        bind: {
          theta: layerBuf(l, 'theta'),
          mv: c.optimizer[l] === 'adam' ? layerBuf(l, 'mv') : 'sink-f32',
          pre: pre(l),
          x: input(l),
          charac: layerBuf(l, 'charac'),
          reward: layerBuf(l, 'reward'),
          corr: 'adam-corr',
          clock: 'clock',
        },
      });
    }
  }
  // 5. the episode log, clock
  step.push(...episodeLog(log).ops);
  return { buffers, reset: [e.reset], step, metrics: 'metrics' };
}

/** What a weight-max-sparse run reports: the multiplexer learner's summary (Table 1's metric, the curve, memory) and the episodic summary. */
export interface WeightMaxSparseSummary extends EpisodicSummary {
  task: 'multiplexer';
  env: string;
  rule: string;
  replicas: number;
  episodes: number;
  seed: number;
  hidden: number[];
  /** The largest fan-in of a hidden layer (0: all dense). */
  fanIn: number;
  addressBits: number;
  fanInPerLayer: number[];
  optimizer: string[];
  /** Mean over replicas of each replica's mean reward over all episodes. */
  meanReturn: number;
  stdReturn: number;
  perReplica: number[];
  /** Mean reward over the first / last 10% of episodes (over replicas; per replica: first100MeanReturn / last100MeanReturn). */
  firstMeanReturn: number;
  finalMeanReturn: number;
  /** Mean reward over replicas per block of `curveBlock` episodes. */
  curve: number[];
  curveBlock: number;
  steps: number;
  episodesDone: number[];
  hiddenUnits: number;
  synapses: number;
  /** Bytes of the step program's buffers (what the device holds, one buffer each). */
  deviceBytes: number;
  bytesPerNeuron: number;
  bytesPerSynapse: number;
}

/** The summary of a decoded log. */
export function weightMaxSparseSummary(c: ChungMuxConfig, envName: string, synapsesPerReplica: number, deviceBytes: number, log: ChungEpisodeLog): WeightMaxSparseSummary {
  const returns = log.returns;
  const R = c.replicas;
  const n = Math.min(...returns.map((x) => x.length));
  const stepMean = Array.from({ length: n }, (_, t) => returns.reduce((s, x) => s + x[t]!, 0) / R);
  const perReplica = returns.map((x) => (x.length ? x.reduce((s, v) => s + v, 0) / x.length : NaN));
  const mean = perReplica.reduce((s, v) => s + v, 0) / R;
  const std = Math.sqrt(perReplica.reduce((s, v) => s + (v - mean) ** 2, 0) / R);
  const avg = (a: number, b: number) => (b > a ? stepMean.slice(a, b).reduce((s, v) => s + v, 0) / (b - a) : NaN);
  const k = Math.max(1, Math.floor(n / 10));
  const block = Math.max(1, Math.ceil(n / 50));
  const curve: number[] = [];
  for (let a = 0; a < n; a += block) curve.push(avg(a, Math.min(n, a + block)));
  const hiddenUnits = c.hidden.reduce((s, v) => s + v, 0);
  const synapses = synapsesPerReplica * R;
  return {
    task: 'multiplexer',
    env: envName,
    rule: c.rule,
    replicas: R,
    episodes: c.episodes,
    seed: c.seed,
    hidden: [...c.hidden],
    fanIn: Math.max(0, ...c.fanIn),
    addressBits: c.addressBits,
    fanInPerLayer: [...c.fanIn],
    optimizer: [...c.optimizer],
    meanReturn: mean,
    stdReturn: std,
    perReplica,
    firstMeanReturn: avg(0, k),
    finalMeanReturn: avg(n - k, n),
    curve,
    curveBlock: block,
    steps: log.steps,
    episodesDone: returns.map((x) => x.length),
    hiddenUnits,
    synapses,
    deviceBytes,
    bytesPerNeuron: deviceBytes / (hiddenUnits * R),
    bytesPerSynapse: deviceBytes / Math.max(1, synapses),
    ...episodicSummary(returns),
  };
}

/** The weight-max-sparse rule: the builder registered in RULES (src/experiment/rules.ts). */
export const WEIGHT_MAX_SPARSE_RULE = {
  needsEnv: true,
  reads: [],
  build(x: WeightMaxSparseExperiment, env: EnvDef): Model<WeightMaxSparseSummary> {
    if (!isBandit(env)) throw new ConfigError('env.name', `rule weight-max-sparse needs an env of one-step episodes (the multiplexer), got '${x.env!.name}'`);
    const c = muxConfigOf(x);
    if (x.run.stepsPerChunk > EPISODE_LOG_CAP)
      throw new ConfigError(
        'run.stepsPerChunk',
        `run.stepsPerChunk must be at most ${EPISODE_LOG_CAP} (one episode per step, ${EPISODE_LOG_CAP} logged per replica between readbacks), got ${x.run.stepsPerChunk}`,
      );
    const synapses = hostNetShapes(c, env.obsDim, env.numActions).shapes.reduce((s, L) => s + L.nOut * L.fanIn, 0);
    const program = weightMaxSparseProgram(c, env, x.rule.kernelForms);
    const decoder = new ChungEpisodeLog(c.replicas, c.episodes);
    const bytes = programBytes(program);
    return {
      kind: 'weight-max-sparse',
      program,
      decoder,
      stepsPerChunk: x.run.stepsPerChunk,
      stepLimit: c.episodes,
      summarise: () => weightMaxSparseSummary(c, x.env!.name, synapses, bytes, decoder),
    };
  },
};
