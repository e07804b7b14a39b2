/**
 * The synaptic-Q and GD commands (Bhargava et al.): thin aliases of `hedonist run` on the presets
 * experiments/synq-boundary.json, synq-mnist.json and gd-mnist.json with flags for their main
 * fields, and `reproduce bhargava-table1`, which runs the Table 1 rows as experiments through the
 * same loop.
 */
import { readFileSync } from 'node:fs';
import { checkOutputPath, writeFileAtomic } from '../run-dir.ts';
import { parseExperiment } from '../../experiment/load.ts';
import type { Experiment } from '../../experiment/schema.ts';
import { RUN_CHECKPOINT } from '../../run/loop.ts';
import { BOUNDARY_PRESET, GD_INITS, GD_MNIST_PRESET, MNIST_0HU_PRESET, type GdInit } from '../../synq/config.ts';
import { parseQTable, qTableFromJson, qTableToJson, serializeQTable } from '../../synq/q-table.ts';
import { bhargavaTable1Markdown, reproduceBhargavaTable1, type Table1Options, type Table1Row } from '../../synq/table1.ts';
import { bhargavaTable1Sweep } from '../../synq/table1-sweep.ts';
import { paperBars } from '../../plot/paper-bars.ts';
import { givenFlags, readNamedFile, UsageError, type Flags, type Parsed } from '../args.ts';
import { readCheckpointFile } from '../checkpoint-files.ts';
import { writeTable1, type CliCommand } from '../command.ts';
import { gpuFor, runExperimentCli, type RunCliOptions, type RunSummary } from '../experiment-run.ts';
import { backendFlag, COMMON_TRAIN_FLAGS, RUN_FLAGS, seedFlag, stepsFlag, type Backend, replicasFlag } from '../flags.ts';
import { formatGdMnist, formatSynqBoundary, formatSynqMnist } from '../../rules/synq-format.ts';
import { reproduceFormat, refuseSweepFlags, reproduceAsSweep, REPRODUCE_SWEEP_FLAGS } from './sweep.ts';

const preset = (file: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../../../experiments/${file}`, import.meta.url), 'utf8'));

/** Set `value` at a dotted path of a plain object (creating objects on the way); undefined leaves it alone. */
function put(obj: Record<string, unknown>, path: string, value: unknown): void {
  if (value === undefined) return;
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys[keys.length - 1]!] = value;
}

/** The preset with the flags' values at their experiment paths. */
function experimentOf(file: string, f: Parsed, paths: Record<string, string>, extra: Record<string, unknown> = {}): Experiment {
  const x = preset(file);
  for (const [flag, path] of Object.entries(paths)) put(x, path, f[flag]);
  for (const [path, v] of Object.entries(extra)) put(x, path, v);
  return parseExperiment(x);
}

const RL_FLAGS: Flags = {
  seed: seedFlag(),
  policy: { type: 'string', default: 'golden', help: "Q-table: 'golden' (the authors' frozen table), 'train' (zero table learned by TD), or a saved table FILE (frozen unless --train-policy)" },
  'train-policy': { type: 'bool', help: 'update the table by TD learning (implied by --policy train; with golden: the golden table is the initial table)' },
  'save-table': { type: 'string', help: "write replica 0's final table to this JSON file (golden layout)" },
  replicas: replicasFlag({ default: 1, max: 64 }),
  backend: backendFlag({ default: 'webgpu' }),
  'td-rule': {
    type: 'choice',
    choices: ['count', 'mean', 'sequential'],
    default: 'count',
    help: "how all synapses' TD updates combine per iteration ('sequential': the reference loop, one invocation per replica on WebGPU)",
  },
  'eval-every': { type: 'int', min: 1, max: 1e9, help: 'evaluate accuracy every this many steps (and at the last)' },
  ...RUN_FLAGS,
};

/** The table of --policy: 'golden', 'train', or a table file read and checked here (exit 2 naming the problem). */
function policyOf(f: Parsed): unknown {
  const p = f.policy as string;
  if (p === 'golden' || p === 'train') return p;
  const text = readNamedFile(p, (why) => new UsageError(`--policy: cannot read table file '${p}' (${why})`));
  try {
    return qTableToJson(parseQTable(text, p));
  } catch (e) {
    throw new UsageError(`--policy: ${(e as Error).message}`);
  }
}

/** Experiment paths of the flags every synaptic-Q alias shares. */
const RL_PATHS: Record<string, string> = {
  seed: 'run.seed',
  replicas: 'run.replicas',
  backend: 'run.backend',
  'td-rule': 'rule.tdRule',
  'eval-every': 'rule.evalEvery',
  steps: 'rule.iterations',
  epsilon: 'rule.epsilon',
  'alpha-s': 'rule.alphaS',
  hidden: 'rule.task.hidden',
};

const rlExtra = (f: Parsed) => ({ 'rule.policy': policyOf(f), 'rule.trainPolicy': f['train-policy'] ? true : undefined });

/** --save-table: replica 0's final table. */
function saveTable(f: Parsed, s: RunSummary): string | undefined {
  const file = f['save-table'] as string | undefined;
  if (!file || !s.table) return undefined;
  writeFileAtomic(file, serializeQTable(qTableFromJson(s.table)) + '\n', '--save-table: cannot write');
  return file;
}

/** Flags that may stand beside --resume of synq-mnist (the rest of the run's settings come from the checkpoint). */
const RESUME_FLAGS = ['resume', 'steps', 'eval-every', 'checkpoint-every', 'backend', 'json', 'save-table'];

export const synqBoundaryCommand: CliCommand = {
  path: ['train', 'synq-boundary'],
  summary: 'synapse-agents sharing one Q-table match a random 2D decision boundary (Bhargava et al. Fig. 1; experiments/synq-boundary.json)',
  flags: {
    ...RL_FLAGS,
    // One step: one action per synapse and one loss.
    steps: stepsFlag({ default: BOUNDARY_PRESET.iterations }),
    hidden: { type: 'int', min: 1, max: 4096, default: BOUNDARY_PRESET.hidden, help: 'hidden tanh units of the 2-H-1 networks' },
    points: { type: 'int', min: 1, max: 1e6, default: BOUNDARY_PRESET.points, help: 'training points' },
    epsilon: { type: 'number', min: 0, max: 1, help: `exploration probability (default ${BOUNDARY_PRESET.epsilon})` },
    'alpha-s': { type: 'number', min: 1e-9, max: 1, help: `weight step per action (default ${BOUNDARY_PRESET.alphaS})` },
  },
  async run(f, io) {
    if (f['save-table']) checkOutputPath('--save-table', f['save-table'] as string);
    const x = f.resume ? undefined : experimentOf('synq-boundary.json', f, { ...RL_PATHS, points: 'rule.task.points' }, rlExtra(f));
    const s = await runExperimentCli(x, f, io, resumeOptions(f));
    return { ...s, savedTable: saveTable(f, s) };
  },
  format: (r) => formatSynqBoundary(r as never),
};

/** A resumed run may change its budget, evaluation interval and backend; it ends with a checkpoint. */
function resumeOptions(f: Parsed): RunCliOptions {
  if (!f.resume) return { finalCheckpoint: f['checkpoint-every'] !== undefined };
  const given = givenFlags(f);
  return {
    finalCheckpoint: true,
    ...(given.has('backend') ? { backend: f.backend as Backend } : {}),
    amend: (x) =>
      ({
        ...x,
        rule: {
          ...x.rule,
          ...(f.steps !== undefined && given.has('steps') ? { iterations: f.steps as number } : {}),
          ...(f['eval-every'] !== undefined ? { evalEvery: f['eval-every'] as number } : {}),
        },
      }) as Experiment,
  };
}

export const synqMnistCommand: CliCommand = {
  path: ['train', 'synq-mnist'],
  summary: 'synapse-agents train a 784-[H]-10 MNIST classifier by synaptic Q-learning (Bhargava et al. Table 1, on MNIST; experiments/synq-mnist.json)',
  flags: {
    ...RL_FLAGS,
    hidden: { type: 'int', min: 0, max: 32768, default: 0, help: 'hidden ReLU units (paper: 0 or 32; 20480 = 16M synapses)' },
    steps: stepsFlag({ defaultText: 'the paper: 200k at 0 hidden units, 500k with 32' }),
    batch: { type: 'int', min: 1, max: 60000, default: MNIST_0HU_PRESET.batchSize, help: "minibatch of the reward's loss" },
    'batch-interval': { type: 'int', min: 1, max: 1e9, default: MNIST_0HU_PRESET.batchInterval, help: 'redraw the minibatch every this many steps' },
    'max-samples': { type: 'int', min: 0, max: 60000, default: 0, help: 'use only this many MNIST training images (0 = all 60k)' },
    epsilon: { type: 'number', min: 0, max: 1, help: `exploration probability (default ${MNIST_0HU_PRESET.epsilon})` },
    'alpha-s': { type: 'number', min: 1e-9, max: 1, help: `weight step per action (default ${MNIST_0HU_PRESET.alphaS})` },
    'fail-check': {
      type: 'int',
      min: 0,
      max: 1e9,
      default: MNIST_0HU_PRESET.failCheckIteration,
      help: "the code's failed-start rule: at this step a replica with training accuracy < 0.2 failed; all failed = stop (0: off)",
    },
    'checkpoint-every': { type: 'int', min: 0, max: 1e9, help: 'write runs/<name>/checkpoint.bin every this many steps and at the end (0: only at the end); a stop by signal always writes one' },
    resume: { type: 'string', help: 'continue a run from its checkpoint (its run directory or checkpoint.bin) up to --steps, appending to its metrics; its settings come from the checkpoint' },
  },
  async run(f, io) {
    if (f['save-table']) checkOutputPath('--save-table', f['save-table'] as string);
    if (f.resume) {
      const extra = [...givenFlags(f)].filter((k) => !RESUME_FLAGS.includes(k));
      if (extra.length) {
        throw new UsageError(
          `--${extra[0]} cannot be set with --resume: a resumed run keeps its checkpoint's settings (beside --resume: ${RESUME_FLAGS.filter((k) => k !== 'resume')
            .map((k) => `--${k}`)
            .join(', ')})`,
        );
      }
      const { parts, file } = readCheckpointFile(f.resume as string, RUN_CHECKPOINT);
      const stored = (parts.header.experiment ?? {}) as { rule?: { name?: string; task?: { kind?: string } } };
      if (stored.rule?.name !== 'synaptic-q' || stored.rule.task?.kind !== 'mnist') throw new UsageError(`--resume: ${file} holds a '${stored.rule?.name ?? '?'}' run, not synq-mnist's`);
      const done = parts.header.stepCount as number;
      const it = f.steps as number | undefined;
      if (it !== undefined && it < done) throw new UsageError(`--steps must be >= the checkpoint's ${done} steps done, got ${it}`);
      const s = await runExperimentCli(undefined, f, io, resumeOptions(f));
      return { ...s, savedTable: saveTable(f, s) };
    }
    const x = experimentOf(
      'synq-mnist.json',
      f,
      { ...RL_PATHS, batch: 'rule.task.batchSize', 'batch-interval': 'rule.task.batchInterval', 'max-samples': 'rule.task.maxSamples', 'fail-check': 'rule.task.failCheckIteration' },
      rlExtra(f),
    );
    const s = await runExperimentCli(x, f, io, resumeOptions(f));
    return { ...s, savedTable: saveTable(f, s) };
  },
  format: (r) => formatSynqMnist(r as never),
};

export const gdMnistCommand: CliCommand = {
  path: ['train', 'gd-mnist'],
  summary: 'full-batch gradient-descent baseline on MNIST (Bhargava et al. Table 1, GD rows; experiments/gd-mnist.json)',
  flags: {
    seed: seedFlag(),
    hidden: { type: 'int', min: 0, max: 1024, default: 0, help: 'hidden ReLU units (paper: 0 or 32)' },
    // One step: one full-batch gradient step.
    steps: stepsFlag({ defaultText: "the authors' GD code: 5000 without hidden units, 500 with" }),
    init: {
      type: 'choice',
      choices: [...GD_INITS],
      default: GD_MNIST_PRESET.init,
      help: "initial weights: 'code' (the authors' GD notebooks: uniform [-1, 1) at 0 hidden, normal std 2/(in+out) with hidden units) or 'paired' (synaptic RL's own init, uniform +-0.1, same draws as its replica)",
    },
    lr: { type: 'number', min: 1e-9, max: 10, default: GD_MNIST_PRESET.learningRate, help: 'learning rate (no momentum)' },
    replicas: replicasFlag({ default: 1, max: 64 }),
    'first-replica': { type: 'int', min: 0, max: 1e6, default: 0, help: 'run replicas first..first+replicas-1 of the seed (each with its split and init in a larger run), to complete a set in parts' },
    'max-samples': { type: 'int', min: 0, max: 60000, default: 0, help: 'use only this many MNIST training images (0 = all)' },
    'eval-every': { type: 'int', min: 1, max: 1e9, default: GD_MNIST_PRESET.evalEvery, help: 'evaluate validation accuracy every this many steps' },
    backend: backendFlag({ default: 'cpu' }),
    ...RUN_FLAGS,
  },
  async run(f, io) {
    const x = f.resume
      ? undefined
      : experimentOf('gd-mnist.json', f, {
          seed: 'run.seed',
          replicas: 'run.replicas',
          backend: 'run.backend',
          hidden: 'rule.task.hidden',
          steps: 'rule.iterations',
          init: 'rule.init',
          lr: 'rule.learningRate',
          'first-replica': 'rule.firstReplica',
          'max-samples': 'rule.task.maxSamples',
          'eval-every': 'rule.evalEvery',
        });
    return runExperimentCli(x, f, io, resumeOptions(f));
  },
  format: (r) => formatGdMnist(r as never),
};

export const bhargavaTable1Command: CliCommand = {
  path: ['reproduce', 'bhargava-table1'],
  summary: "Bhargava et al. Table 1 on MNIST (SynRL vs GD, 0 and 32 hidden units) beside the paper's notMNIST numbers",
  flags: {
    ...COMMON_TRAIN_FLAGS,
    replicas: replicasFlag({ default: 5, max: 64 }), // per experiment; the paper: 5
    steps: stepsFlag({ defaultText: 'the paper: SynRL 200k at 0 HU, 500k at 32 HU' }),
    'gd-steps': { type: 'int', min: 1, max: 1e9, defaultText: "the authors' GD code: 5000 at 0 HU, 500 at 32 HU", help: 'learning steps of the GD rows (full-batch gradient steps), both sizes' },
    'gd-init': { type: 'choice', choices: [...GD_INITS], default: GD_MNIST_PRESET.init, help: "GD initial weights: 'code' (the authors' GD notebooks) or 'paired' (synaptic RL's replicas' own init)" },
    'max-samples': { type: 'int', min: 0, max: 60000, default: 0, help: 'use only this many MNIST training images (0 = all)' },
    experiments: { type: 'choice-list', choices: ['synrl-32hu', 'gd-32hu', 'synrl-0hu', 'gd-0hu'], default: ['synrl-32hu', 'gd-32hu', 'synrl-0hu', 'gd-0hu'], help: 'rows to run' },
    // The SynRL rows' backend; --gd-backend places the GD rows.
    backend: backendFlag({ default: 'webgpu' }),
    'gd-backend': {
      type: 'choice',
      choices: ['auto', 'cpu', 'webgpu'],
      default: 'auto',
      help: "GD rows on the CPU reference or on WebGPU; 'auto': WebGPU when the SynRL rows run on a hardware GPU, else the CPU (faster than SwiftShader)",
    },
    ...REPRODUCE_SWEEP_FLAGS,
  },
  async run(f, io) {
    const it = f.steps as number | undefined;
    const maxSamples = f['max-samples'] as number;
    const opts: Table1Options = {
      replicas: f.replicas as number,
      seed: f.seed as number,
      iterations0: it,
      iterations32: it,
      gdIterations: f['gd-steps'] as number | undefined,
      experiments: f.experiments as Table1Options['experiments'],
      synq: { maxSamples, evalEvery: Math.max(1000, Math.floor((it ?? 200_000) / 20)) },
      gd: { maxSamples, init: f['gd-init'] as GdInit, ...(f['gd-steps'] ? { evalEvery: Math.max(1, Math.floor((f['gd-steps'] as number) / 20)) } : {}) },
    };
    if (f.executor) {
      // Each cell picks its backend as in-process: 'auto' runs WebGPU only on a hardware GPU; GD 'auto' follows the SynRL rows (the CPU beside --backend cpu).
      const gd = f['gd-backend'] === 'auto' && f.backend === 'cpu' ? 'cpu' : (f['gd-backend'] as Backend);
      return reproduceAsSweep<{ rows: Table1Row[] }>(bhargavaTable1Sweep({ ...opts, backend: f.backend as Backend, gdBackend: gd }), f, io);
    }
    refuseSweepFlags(f);
    const { ctx: synCtx, choice } = await gpuFor(f.backend as Backend, io);
    const backend = choice.backend;
    const ctx = synCtx ?? (f['gd-backend'] === 'webgpu' ? await io.gpu() : undefined);
    const gdBackend = f['gd-backend'] === 'auto' ? (backend === 'webgpu' && ctx?.hardwareAdapter ? 'webgpu' : 'cpu') : (f['gd-backend'] as 'cpu' | 'webgpu');
    const dir = io.runDir('bhargava-table1', f.name as string | undefined);
    const bar = io.progress('bhargava-table1', 'steps');
    let row = '';
    try {
      const out = await reproduceBhargavaTable1({
        ...opts,
        backend,
        gdBackend,
        ctx,
        onRow: (name) => (row = name),
        onRecord(_row, m) {
          dir.log({ experiment: row, ...m });
          if (m.replica === 0) bar.update(m.iteration as number, m.total as number, { row, loss: Number((m.loss as number).toPrecision(4)) });
        },
      });
      bar.stop();
      const result = { ...out, backend, gdBackend, gdInit: f['gd-init'], runDir: dir.path };
      return writeTable1(dir, result, bhargavaTable1Markdown(out.rows));
    } finally {
      bar.stop();
      await dir.close();
    }
  },
  format: reproduceFormat(
    'Bhargava et al. Table 1',
    (x: { rows: Table1Row[] }) => bhargavaTable1Markdown(x.rows),
    (r) => {
      const rows = (r as { rows: Table1Row[] }).rows;
      const lines = ['Bhargava et al. Table 1: validation accuracy (%), ours on MNIST vs the paper on notMNIST', bhargavaTable1Markdown(rows).trimEnd()];
      lines.push("failed = replicas under 20% training accuracy at iteration 25k (the code's failed-start rule); min..std are over the others.");
      lines.push('wall s = wall time of the row / replicas (replicas run batched); paper runtime per run on a Ryzen 9 5900X.');
      const b = r as { backend?: string; gdBackend?: string; gdInit?: string };
      lines.push(`SynRL rows on ${b.backend === 'cpu' ? 'the CPU twins' : 'WebGPU'}, GD rows on ${b.gdBackend === 'webgpu' ? 'WebGPU' : 'the CPU reference'}.`);
      lines.push(
        b.gdInit === 'paired'
          ? "GD rows start from synaptic RL's replicas' own initial weights (--gd-init paired)."
          : "GD rows start as the authors' GD notebooks do (uniform [-1, 1) at 0 HU, normal std 2/(in+out) at 32 HU); their budgets are the notebooks' unless --gd-steps.",
      );
      lines.push(`table: ${(r as { runDir: string }).runDir}/table1.md, metrics: ${(r as { runDir: string }).runDir}/metrics.jsonl`);
      return lines.join('\n');
    },
  ),
  pictures: {
    groupBy: ['experiment'],
    charts: (r) => [
      paperBars(
        'Bhargava et al. Table 1: validation accuracy (ours on MNIST, the paper on notMNIST)',
        'experiment',
        'validation accuracy',
        ((r.rows ?? []) as Table1Row[]).map((x) => ({ category: x.experiment, mean: x.mean, std: x.std, paperMean: x.paper.mean, paperStd: x.paper.std })),
      ),
    ],
  },
};

export const SYNQ_COMMANDS: CliCommand[] = [synqBoundaryCommand, synqMnistCommand, gdMnistCommand, bhargavaTable1Command];
