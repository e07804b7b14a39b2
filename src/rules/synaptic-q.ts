/**
 * The 'synaptic-q' and 'gd' rules (Bhargava et al.): experiments that bring their own task (the 2D
 * decision boundary, or MNIST from the build's MnistSource) instead of an env. Each builds its step program
 * (synq-program.ts), its decoder (synq-decoders.ts) and a summary as the reference trainers gave.
 */
import { formatSynqRun } from './synq-format.ts';
import { ConfigError } from '../config/validate.ts';
import type { MnistSet, MnistSource } from '../data/mnist.ts';
import type { BuildInputs } from '../experiment/rules.ts';
import type { Experiment, RuleOf } from '../experiment/schema.ts';
import type { Model } from '../run/model.ts';
import { boundaryLayout, makeBoundaryData } from '../synq/boundary-task.ts';
import {
  BOUNDARY_PRESET,
  GD_MNIST_PRESET,
  gdCodeIterations,
  MNIST_0HU_PRESET,
  MNIST_32HU_PRESET,
  validateGdMnistConfig,
  validateSynqBoundaryConfig,
  validateSynqMnistConfig,
  type GdMnistConfig,
  type SynqBoundaryConfig,
  type SynqMnistConfig,
  type SynqPolicy,
} from '../synq/config.ts';
import { gdInitialWeights } from '../synq/gd-init.ts';
import { initMlpWeights, synapseStepScale } from '../synq/mlp.ts';
import { batchRng, drawBatch, mnistLayout, splitMnist, type MnistSplit } from '../synq/mnist-task.ts';
import { qTableFromJson, type QTableJson } from '../synq/q-table.ts';
import { resolvePolicyTable } from '../synq/synq-core.ts';
import { BoundaryLog, GdLog, SynqMnistLog, type GdMnistSummary, type SynqBoundarySummary, type SynqMnistSummary } from './synq-decoders.ts';
import { evaluationChunks, gdProgram, synqProgram, type EvalPoints, type SynqForms } from './synq-program.ts';

/** Where a config field lives in the experiment (for errors that name it). */
function fieldPath(field: string): string {
  if (field === 'replicas' || field === 'seed') return `run.${field}`;
  if (['hidden', 'points', 'inputRange', 'targetWeightRange', 'batchSize', 'batchInterval', 'validationFraction', 'maxSamples', 'failCheckIteration', 'failCheckAccuracy'].includes(field))
    return `rule.task.${field}`;
  return `rule.${field}`;
}

/** Run a config validator; its RangeError becomes a ConfigError naming the experiment field. */
function validated<C>(c: C, validate: (c: C) => void): C {
  try {
    validate(c);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const field = /^(\w+)/.exec(e.message)?.[1] ?? 'rule';
    const path = fieldPath(field);
    throw new ConfigError(path, `${path}${e.message.slice(field.length)}`);
  }
  return c;
}

/** The synaptic-Q config of an experiment: the task's preset, the experiment's fields over it. */
export type SynqExperimentConfig = { task: 'boundary'; c: SynqBoundaryConfig; trainPolicy: boolean } | { task: 'mnist'; c: SynqMnistConfig; trainPolicy: boolean };

function policyOf(p: RuleOf<'synaptic-q'>['policy']): SynqPolicy {
  if (p === 'golden' || p === 'train') return p;
  try {
    qTableFromJson(p, 'rule.policy');
  } catch (e) {
    throw new ConfigError('rule.policy', (e as Error).message);
  }
  return p as QTableJson;
}

/** Resolve the experiment into the reference trainer's config (the presets of src/synq/config.ts fill what it leaves out). */
export function synqConfig(x: Experiment & { rule: { name: 'synaptic-q' } }): SynqExperimentConfig {
  const q = x.rule;
  const common = {
    policy: policyOf(q.policy),
    trainPolicy: q.trainPolicy,
    replicas: x.run.replicas,
    seed: x.run.seed,
    alphaQ: q.alphaQ,
    gamma: q.gamma,
    biasStepScale: q.biasStepScale,
    initWeightRange: q.initWeightRange,
    tdRule: q.tdRule,
  };
  const pick = <K extends 'iterations' | 'evalEvery' | 'epsilon' | 'alphaS'>(k: K, preset: Record<K, number>) => q[k] ?? preset[k];
  const trainPolicy = q.trainPolicy ?? q.policy === 'train';
  if (q.task.kind === 'boundary') {
    if (q.alphaSSwitchIteration) throw new ConfigError('rule.alphaSSwitchIteration', 'rule.alphaSSwitchIteration applies to the mnist task only');
    const p = BOUNDARY_PRESET;
    const { kind: _k, ...task } = q.task;
    const c: SynqBoundaryConfig = { ...p, ...common, ...task, iterations: pick('iterations', p), evalEvery: pick('evalEvery', p), epsilon: pick('epsilon', p), alphaS: pick('alphaS', p) };
    return { task: 'boundary', c: validated(c, validateSynqBoundaryConfig), trainPolicy };
  }
  const p = q.task.hidden > 0 ? MNIST_32HU_PRESET : MNIST_0HU_PRESET;
  const { kind: _k, ...task } = q.task;
  const c: SynqMnistConfig = {
    ...p,
    ...common,
    ...task,
    iterations: pick('iterations', p),
    evalEvery: pick('evalEvery', p),
    epsilon: pick('epsilon', p),
    alphaS: pick('alphaS', p),
    alphaSSwitchIteration: q.alphaSSwitchIteration ?? p.alphaSSwitchIteration,
    alphaSSwitched: q.alphaSSwitched,
  };
  return { task: 'mnist', c: validated(c, validateSynqMnistConfig), trainPolicy };
}

/**
 * The images a run trains on, gathered into one pool (only the training samples any replica uses)
 * with its labels; `row[i]` is image i's row in the pool (-1: unused).
 */
export function trainingPool(data: MnistSet, splits: MnistSplit[]): { pool: Float32Array; labels: Uint32Array; row: Int32Array } {
  const row = new Int32Array(data.count).fill(-1);
  for (const s of splits) for (const i of s.train) row[i] = 0;
  let n = 0;
  for (let i = 0; i < data.count; i++) if (row[i] === 0) row[i] = n++;
  const pool = new Float32Array(n * data.dim);
  const labels = new Uint32Array(n);
  for (let i = 0; i < data.count; i++) {
    if (row[i]! < 0) continue;
    pool.set(data.x.subarray(i * data.dim, (i + 1) * data.dim), row[i]! * data.dim);
    labels[row[i]!] = data.labels[i]!;
  }
  return { pool, labels, row };
}

/**
 * Every minibatch of a run, in order: batch k (in use from iteration k * interval; batch 0 for
 * the evaluation before iteration 1) of replica r = drawBatch from r's training split with r's
 * batch RNG — the reference trainer's draws, made ahead — as pool rows, [batches][R][B].
 */
export function batchSchedule(seed: number, splits: MnistSplit[], batch: number, batches: number, row: Int32Array): Uint32Array {
  const R = splits.length;
  const out = new Uint32Array(batches * R * batch);
  splits.forEach((s, r) => {
    const rng = batchRng(seed, r);
    for (let k = 0; k < batches; k++) {
      const idx = drawBatch(s.train, batch, rng);
      for (let b = 0; b < batch; b++) out[(k * R + r) * batch + b] = row[idx[b]!]!;
    }
  });
  return out;
}

/** Kernel forms of the experiment's run (the parity suites and benches pin them; runs pick by the adapter). */
const AUTO: SynqForms = {};

/** The synaptic-Q model of an experiment; the MNIST task's images come from `mnist`. */
export function synqModel(x: Experiment & { rule: { name: 'synaptic-q' } }, mnist: MnistSource, forms = AUTO): Model<SynqBoundarySummary | SynqMnistSummary> {
  const cfg = synqConfig(x);
  const c = cfg.c;
  const R = c.replicas;
  const per = x.run.stepsPerChunk;
  const common = {
    replicas: R,
    table: resolvePolicyTable(c.policy),
    seed: c.seed,
    epsilon: c.epsilon,
    alphaS: c.alphaS,
    alphaQ: c.alphaQ,
    gamma: c.gamma,
    trainPolicy: cfg.trainPolicy,
    tdRule: c.tdRule,
    cap: per,
    forms,
  };
  if (cfg.task === 'boundary') {
    const b = cfg.c;
    const layout = boundaryLayout(b.hidden);
    const data = makeBoundaryData(R, b.hidden, b.points, b.inputRange, b.targetWeightRange, b.seed);
    const evals: EvalPoints = { every: b.evalEvery, last: b.iterations, extra: 0 };
    const { program, metrics } = synqProgram({
      ...common,
      layout,
      batch: b.points,
      weights: initMlpWeights(layout, R, b.initWeightRange, b.seed),
      stepScale: synapseStepScale(layout, b.biasStepScale),
      switchAt: 0,
      alphaS2: b.alphaS,
      data: { kind: 'regression', x: data.x, targets: data.y },
      evals,
      evaluate: 'outputs',
    });
    const decoder = new BoundaryLog(metrics, evals, { iterations: b.iterations, replicas: R, points: b.points, trainPolicy: cfg.trainPolicy }, data.y);
    return { kind: 'synaptic-q', program, decoder, stepsPerChunk: per, chunkAt: evaluationChunks(evals, per), portable: true, summarise: () => decoder.summary() };
  }
  const m = cfg.c;
  const data = mnist('train');
  const layout = mnistLayout(m.hidden);
  const splits = Array.from({ length: R }, (_, r) => splitMnist(m.seed, r, m.validationFraction, m.maxSamples, data.count));
  const B = Math.min(m.batchSize, ...splits.map((s) => s.train.length));
  const { pool, labels, row } = trainingPool(data, splits);
  const schedule = batchSchedule(m.seed, splits, B, Math.floor(m.iterations / m.batchInterval) + 1, row);
  const evals: EvalPoints = { every: m.evalEvery, last: m.iterations, extra: m.failCheckIteration };
  const { program, metrics } = synqProgram({
    ...common,
    layout,
    batch: B,
    weights: initMlpWeights(layout, R, m.initWeightRange, m.seed),
    stepScale: synapseStepScale(layout, m.biasStepScale),
    switchAt: m.alphaSSwitchIteration,
    alphaS2: m.alphaSSwitched,
    data: { kind: 'classification', pool, labels, schedule, interval: m.batchInterval },
    evals,
    evaluate: 'weights',
  });
  const decoder = new SynqMnistLog(metrics, evals, { ...m, trainPolicy: cfg.trainPolicy }, { data, splits, layout });
  return { kind: 'synaptic-q', program, decoder, stepsPerChunk: per, chunkAt: evaluationChunks(evals, per), portable: true, summarise: () => decoder.summary() };
}

/** Resolve a 'gd' experiment into the reference trainer's config. */
export function gdConfig(x: Experiment & { rule: { name: 'gd' } }): GdMnistConfig {
  const g = x.rule;
  const c: GdMnistConfig = {
    ...GD_MNIST_PRESET,
    hidden: g.task.hidden,
    iterations: g.iterations ?? gdCodeIterations(g.task.hidden),
    learningRate: g.learningRate,
    init: g.init,
    initWeightRange: g.initWeightRange,
    seed: x.run.seed,
    replicas: x.run.replicas,
    firstReplica: g.firstReplica,
    validationFraction: g.task.validationFraction,
    maxSamples: g.task.maxSamples,
    evalEvery: g.evalEvery,
  };
  return validated(c, validateGdMnistConfig);
}

/** The GD model of an experiment: replicas firstReplica .. + R - 1, each its own split and init; the images come from `mnist`. */
export function gdModel(x: Experiment & { rule: { name: 'gd' } }, mnist: MnistSource, forms = AUTO): Model<GdMnistSummary> {
  const c = gdConfig(x);
  const R = c.replicas,
    first = c.firstReplica ?? 0;
  const per = x.run.stepsPerChunk;
  const data = mnist('train');
  const layout = mnistLayout(c.hidden);
  const splits = Array.from({ length: R }, (_, r) => splitMnist(c.seed, first + r, c.validationFraction, c.maxSamples, data.count));
  const B = splits[0]!.train.length;
  if (splits.some((s) => s.train.length !== B)) throw new ConfigError('rule.task', 'every replica must have the same number of training samples');
  const { pool, labels, row } = trainingPool(data, splits);
  const idx = new Uint32Array(R * B);
  splits.forEach((s, r) => s.train.forEach((i, b) => (idx[r * B + b] = row[i]!)));
  const evals: EvalPoints = { every: c.evalEvery, last: c.iterations, extra: 0 };
  const { program, metrics } = gdProgram({ layout, replicas: R, weights: gdInitialWeights(layout, c, R, first), pool, labels, idx, learningRate: c.learningRate, evals, cap: per, forms });
  const decoder = new GdLog(metrics, evals, { iterations: c.iterations, replicas: R, hidden: c.hidden, firstReplica: first, init: c.init }, { data, splits, layout });
  return { kind: 'gd', program, decoder, stepsPerChunk: per, chunkAt: evaluationChunks(evals, per), portable: true, summarise: () => decoder.summary() };
}

/** 'synaptic-q' in the rule registry: brings its own task (needsEnv false). */
export const SYNAPTIC_Q_RULE = {
  needsEnv: false,
  reads: [],
  build: (x: Experiment & { rule: { name: 'synaptic-q' } }, _env: unknown, inputs: BuildInputs): Model => synqModel(x, inputs.mnist),
  format: formatSynqRun,
};

/** 'gd' in the rule registry: the GD baseline on MNIST. */
export const GD_RULE = {
  needsEnv: false,
  reads: [],
  build: (x: Experiment & { rule: { name: 'gd' } }, _env: unknown, inputs: BuildInputs): Model => gdModel(x, inputs.mnist),
  format: formatSynqRun,
};
