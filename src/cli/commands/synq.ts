import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  BOUNDARY_PRESET, GD_INITS, GD_MNIST_PRESET, MNIST_0HU_PRESET, gdCodeIterations, parseQTable, reproduceBhargavaTable1, serializeQTable, table1Gaps,
  trainGdMnist, trainSynqBoundary, trainSynqMnist, qTableFromJson, type GdMnistSummary, type SynqBoundarySummary,
  type GdInit, type SynqMnistSummary, type SynqPolicy, type Table1Row,
} from '../../synq/index.ts';
import type { FailCheck } from '../../synq/mnist-task.ts';
import { mnistLayout } from '../../synq/mnist-task.ts';
import { SYNQ_MNIST_CHECKPOINT, synqMnistCheckpointParts, synqMnistStateFromParts, type SynqMnistState } from '../../synq/mnist-checkpoint.ts';
import { CHECKPOINT_FILE, readCheckpointFile, writeCheckpointFile } from '../checkpoint-files.ts';
import { trainSynqBoundaryGpu, trainSynqMnistGpu } from '../../synq/train-gpu.ts';
import { trainGdMnistGpu } from '../../synq/train-gd.ts';
import { givenFlags, type Flags, type Parsed } from '../args.ts';
import { COMMON_TRAIN_FLAGS, withRun, type CliCommand } from '../command.ts';
import type { Progress } from '../progress.ts';
import type { RunDir } from '../run-dir.ts';
import { UsageError } from '../args.ts';

const RL_FLAGS: Flags = {
  ...COMMON_TRAIN_FLAGS,
  policy: { type: 'string', default: 'golden', help: "Q-table: 'golden' (the authors' frozen table), 'train' (zero table learned by TD), or a saved table FILE (frozen unless --train-policy)" },
  'train-policy': { type: 'bool', help: 'update the table by TD learning (implied by --policy train)' },
  'save-table': { type: 'string', help: "write replica 0's final table to this JSON file (golden layout)" },
  replicas: { type: 'int', min: 1, max: 64, default: 1, help: 'independent networks trained side by side' },
  backend: { type: 'choice', choices: ['webgpu', 'cpu'], default: 'webgpu', help: 'run the kernels on WebGPU or as their CPU twins' },
  'td-rule': { type: 'choice', choices: ['count', 'mean', 'sequential'], default: 'count', help: "how all synapses' TD updates combine per iteration ('sequential': reference loop, cpu only)" },
  'eval-every': { type: 'int', min: 1, max: 1e9, help: 'evaluate accuracy (and submit on webgpu) every this many iterations' },
};

function policyOf(f: Parsed): { policy: SynqPolicy; trainPolicy?: boolean } {
  const p = f.policy as string;
  const trainPolicy = f['train-policy'] ? true : undefined;
  if (p === 'golden' || p === 'train') return { policy: p, trainPolicy };
  let text: string;
  try {
    text = readFileSync(p, 'utf8');
  } catch (e) {
    throw new UsageError(`--policy: cannot read table file '${p}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return { policy: parseQTable(text, p), trainPolicy };
  } catch (e) {
    throw new UsageError(`--policy: ${(e as Error).message}`);
  }
}

function rlCommon(f: Parsed) {
  return {
    ...policyOf(f),
    seed: f.seed as number,
    replicas: f.replicas as number,
    tdRule: f['td-rule'] as 'count' | 'mean' | 'sequential',
    ...(f.iterations !== undefined ? { iterations: f.iterations as number } : {}),
    ...(f['eval-every'] !== undefined ? { evalEvery: f['eval-every'] as number } : {}),
    ...(f.epsilon !== undefined ? { epsilon: f.epsilon as number } : {}),
    ...(f['alpha-s'] !== undefined ? { alphaS: f['alpha-s'] as number } : {}),
  };
}

function saveTable(f: Parsed, table: SynqBoundarySummary['table']): string | undefined {
  const file = f['save-table'] as string | undefined;
  if (!file) return undefined;
  writeFileSync(file, serializeQTable(qTableFromJson(table)) + '\n');
  return file;
}

/** Progress + metrics.jsonl hooks shared by the train commands. */
/** Per-iteration hooks: every record to metrics.jsonl, replica 0's loss and `key` on the bar. */
function trainHooks(dir: RunDir, bar: Progress, total: number, key: string, barReplica = 0) {
  return {
    onIteration(m: Record<string, number>, replica: number) {
      dir.log({ ...m, replica });
      if (replica === barReplica) {
        const extra: Record<string, number> = { loss: Number(m.loss.toPrecision(5)) };
        if (m[key] !== undefined) extra[key] = Number(m[key].toFixed(4));
        bar.update(m.iteration, total, extra);
      }
    },
    onFailCheck(check: FailCheck) {
      dir.log({ event: 'failCheck', ...check });
    },
  };
}

/** Flags that may stand beside --resume (the rest of the run's settings come from the checkpoint). */
const RESUME_FLAGS = ['resume', 'iterations', 'eval-every', 'checkpoint-every', 'backend', 'name', 'json', 'save-table'];

const fmt = (xs: number[]) => xs.map((x) => (100 * x).toFixed(2) + '%').join(' ');

export const synqBoundaryCommand: CliCommand = {
  path: ['train', 'synq-boundary'],
  summary: 'synapse-agents sharing one Q-table match a random 2D decision boundary (Bhargava et al. Fig. 1)',
  flags: {
    ...RL_FLAGS,
    iterations: { type: 'int', min: 1, max: 1e9, default: BOUNDARY_PRESET.iterations, help: 'iterations (one action per synapse + one loss each)' },
    hidden: { type: 'int', min: 1, max: 4096, default: BOUNDARY_PRESET.hidden, help: 'hidden tanh units of the 2-H-1 networks' },
    points: { type: 'int', min: 1, max: 1e6, default: BOUNDARY_PRESET.points, help: 'training points' },
    epsilon: { type: 'number', min: 0, max: 1, help: `exploration probability (default ${BOUNDARY_PRESET.epsilon})` },
    'alpha-s': { type: 'number', min: 1e-9, max: 1, help: `weight step per action (default ${BOUNDARY_PRESET.alphaS})` },
  },
  async run(f, io) {
    const total = f.iterations as number;
    return withRun(io, 'synq-boundary', f.name as string | undefined, async (dir, bar) => {
      const hooks = trainHooks(dir, bar, total, 'accuracy');
      const cfg = { ...rlCommon(f), hidden: f.hidden as number, points: f.points as number };
      const backend = f.backend as string;
      const s = backend === 'webgpu' ? await trainSynqBoundaryGpu(await io.gpu(), cfg, hooks) : await trainSynqBoundary(cfg, hooks);
      return { ...s, backend, savedTable: saveTable(f, s.table) };
    });
  },
  format(r) {
    const s = r as unknown as SynqBoundarySummary & { backend: string; runDir: string; savedTable?: string };
    return [
      `synq-boundary on ${s.backend}: ${s.replicas} replica(s) x ${s.iterations} iterations, ${s.wallSeconds.toFixed(1)} s (${s.iterationsPerSecond.toFixed(0)} it/s), policy ${s.trainPolicy ? 'trained by TD' : 'frozen'}`,
      `accuracy: initial ${fmt(s.initialAccuracy)} -> final ${fmt(s.finalAccuracy)} (majority class ${fmt(s.majorityFraction)})`,
      `first iteration reaching 97.7%: ${s.firstReached['0.977'].map((x) => x ?? 'never').join(' ')}`,
      ...(s.savedTable ? [`table saved to ${s.savedTable}`] : []),
      `metrics: ${s.runDir}/metrics.jsonl`,
    ].join('\n');
  },
};

export const synqMnistCommand: CliCommand = {
  path: ['train', 'synq-mnist'],
  summary: 'synapse-agents train a 784-[H]-10 MNIST classifier by synaptic Q-learning (Bhargava et al. Table 1, on MNIST)',
  flags: {
    ...RL_FLAGS,
    hidden: { type: 'int', min: 0, max: 32768, default: 0, help: 'hidden ReLU units (paper: 0 or 32; 20480 = 16M synapses)' },
    iterations: { type: 'int', min: 1, max: 1e9, help: 'iterations (paper: 200k for 0 hidden, 500k for 32)' },
    batch: { type: 'int', min: 1, max: 60000, default: MNIST_0HU_PRESET.batchSize, help: "minibatch of the reward's loss" },
    'batch-interval': { type: 'int', min: 1, max: 1e9, default: MNIST_0HU_PRESET.batchInterval, help: 'redraw the minibatch every this many iterations' },
    'max-samples': { type: 'int', min: 0, max: 60000, default: 0, help: 'use only this many MNIST training images (0 = all 60k)' },
    epsilon: { type: 'number', min: 0, max: 1, help: `exploration probability (default ${MNIST_0HU_PRESET.epsilon})` },
    'alpha-s': { type: 'number', min: 1e-9, max: 1, help: `weight step per action (default ${MNIST_0HU_PRESET.alphaS})` },
    'fail-check': { type: 'int', min: 0, max: 1e9, default: MNIST_0HU_PRESET.failCheckIteration, help: 'the code\'s failed-start rule: at this iteration a replica with training accuracy < 0.2 failed; all failed = stop (0: off)' },
    'checkpoint-every': { type: 'int', min: 0, max: 1e9, help: `write the whole run state to runs/<name>/${CHECKPOINT_FILE} every this many iterations and at the end (0: only at the end)` },
    resume: { type: 'string', help: `continue a run from its checkpoint (a ${CHECKPOINT_FILE} file or its run directory) on either backend, up to --iterations; its settings come from the checkpoint` },
  },
  async run(f, io) {
    const resumeArg = f.resume as string | undefined;
    let from: SynqMnistState | undefined;
    let name = f.name as string | undefined;
    if (resumeArg) {
      const extra = [...givenFlags(f)].filter((k) => !RESUME_FLAGS.includes(k));
      if (extra.length) {
        throw new UsageError(`--${extra[0]} cannot be set with --resume: a resumed run keeps its checkpoint's settings (beside --resume: ${RESUME_FLAGS.filter((k) => k !== 'resume').map((k) => `--${k}`).join(', ')})`);
      }
      const { parts, file } = readCheckpointFile(resumeArg, SYNQ_MNIST_CHECKPOINT);
      try {
        from = synqMnistStateFromParts(parts, (h) => mnistLayout(h).numSynapses, file);
      } catch (e) {
        throw new UsageError(`--resume: ${(e as Error).message}`);
      }
      // By default the run goes on in its own directory (runs/<name>/), appending to its metrics.
      const runDir = dirname(resolve(file));
      if (name === undefined && dirname(runDir) === resolve('runs')) name = basename(runDir);
      const it = f.iterations as number | undefined;
      if (it !== undefined && it < from.iteration) throw new UsageError(`--iterations must be >= the checkpoint's ${from.iteration} iterations done, got ${it}`);
    }
    const hidden = from ? from.config.hidden : (f.hidden as number);
    const iterations = (f.iterations as number | undefined) ?? from?.config.iterations ?? (hidden > 0 ? 500_000 : 200_000);
    const every = (f['checkpoint-every'] as number | undefined) ?? (from ? 0 : undefined);
    return withRun(io, 'synq-mnist', name, async (dir, bar) => {
      const hooks = trainHooks(dir, bar, iterations, 'validAccuracy');
      const evalEvery = f['eval-every'] as number | undefined;
      const cfg = from
        ? { ...from.config, policy: from.config.policy === 'table' ? ('golden' as const) : from.config.policy, trainPolicy: from.trainPolicy, iterations, ...(evalEvery ? { evalEvery } : {}) }
        : {
          ...rlCommon(f), iterations, hidden, batchSize: f.batch as number, batchInterval: f['batch-interval'] as number, maxSamples: f['max-samples'] as number,
          failCheckIteration: f['fail-check'] as number,
        };
      const checkpoint = every === undefined ? undefined : join(dir.path, CHECKPOINT_FILE);
      const control = {
        resume: from,
        ...(checkpoint ? { checkpointEvery: every, onCheckpoint: (st: SynqMnistState) => writeCheckpointFile(checkpoint, synqMnistCheckpointParts(st)) } : {}),
      };
      const backend = f.backend as string;
      const s = backend === 'webgpu' ? await trainSynqMnistGpu(await io.gpu(), cfg, hooks, control) : await trainSynqMnist(cfg, hooks, control);
      return { ...s, backend, savedTable: saveTable(f, s.table), ...(checkpoint ? { checkpoint } : {}) };
    }, from !== undefined);
  },
  format(r) {
    const s = r as unknown as SynqMnistSummary & { backend: string; runDir: string; checkpoint?: string };
    return [
      `synq-mnist (${s.hidden} hidden) on ${s.backend}: ${s.replicas} replica(s) x ${s.iterationsRun} iterations${s.iterationsRun < s.iterations ? ` (of ${s.iterations}: every replica failed the start check)` : ''}${s.resumedFrom !== undefined ? ` (resumed at ${s.resumedFrom})` : ''}, ${s.wallSeconds.toFixed(1)} s (${s.iterationsPerSecond.toFixed(1)} it/s)`,
      `validation accuracy: ${fmt(s.validAccuracy)}`,
      ...(s.failCheck
        ? [`start check at ${s.failCheck.iteration}: training accuracy ${fmt(s.failCheck.trainAccuracy)} -> ${s.failCheck.failed.map((x) => (x ? 'FAILED' : 'ok')).join(' ')} (threshold ${fmt([s.failCheck.threshold])})`]
        : []),
      ...(s.checkpoint ? [`checkpoint: ${s.checkpoint} (go on with --resume ${s.runDir} --iterations N)`] : []),
      `metrics: ${s.runDir}/metrics.jsonl`,
    ].join('\n');
  },
};

export const gdMnistCommand: CliCommand = {
  path: ['train', 'gd-mnist'],
  summary: 'full-batch gradient-descent baseline on MNIST (Bhargava et al. Table 1, GD rows; CPU)',
  flags: {
    ...COMMON_TRAIN_FLAGS,
    hidden: { type: 'int', min: 0, max: 1024, default: 0, help: 'hidden ReLU units (paper: 0 or 32)' },
    iterations: { type: 'int', min: 1, max: 1e9, help: "full-batch gradient steps (default: the authors' GD code, 5000 without hidden units, 500 with)" },
    init: { type: 'choice', choices: [...GD_INITS], default: GD_MNIST_PRESET.init, help: "initial weights: 'code' (the authors' GD notebooks: uniform [-1, 1) at 0 hidden, normal std 2/(in+out) with hidden units) or 'paired' (synaptic RL's own init, uniform +-0.1, same draws as its replica)" },
    lr: { type: 'number', min: 1e-9, max: 10, default: GD_MNIST_PRESET.learningRate, help: 'learning rate (no momentum)' },
    replicas: { type: 'int', min: 1, max: 64, default: 1, help: 'independent runs' },
    'first-replica': { type: 'int', min: 0, max: 1e6, default: 0, help: 'run replicas first..first+replicas-1 of the seed (each with its split and init in a larger run), to complete a set in parts' },
    'max-samples': { type: 'int', min: 0, max: 60000, default: 0, help: 'use only this many MNIST training images (0 = all)' },
    'eval-every': { type: 'int', min: 1, max: 1e9, default: GD_MNIST_PRESET.evalEvery, help: 'evaluate validation accuracy every this many steps' },
    backend: { type: 'choice', choices: ['cpu', 'webgpu'], default: 'cpu', help: 'the CPU reference, or every step on WebGPU (for a hardware GPU; on SwiftShader the CPU is faster)' },
  },
  async run(f, io) {
    const total = (f.iterations as number | undefined) ?? gdCodeIterations(f.hidden as number);
    const first = f['first-replica'] as number;
    return withRun(io, 'gd-mnist', f.name as string | undefined, async (dir, bar) => {
      const hooks = trainHooks(dir, bar, total, 'validAccuracy', first);
      const cfg = { hidden: f.hidden as number, iterations: total, init: f.init as GdInit, learningRate: f.lr as number, replicas: f.replicas as number, firstReplica: first, seed: f.seed as number, maxSamples: f['max-samples'] as number, evalEvery: f['eval-every'] as number };
      // metrics.jsonl names replicas by their index in the whole set.
      const logged = { onIteration: (m: Record<string, number>, r: number) => hooks.onIteration(m, first + r) };
      const s = f.backend === 'webgpu' ? await trainGdMnistGpu(await io.gpu(), cfg, logged) : await trainGdMnist(cfg, logged);
      return { ...s };
    });
  },
  format(r) {
    const s = r as unknown as GdMnistSummary & { runDir: string };
    return [
      `gd-mnist (${s.hidden} hidden, ${s.init} init): ${s.replicas} run(s)${s.firstReplica ? ` (replicas ${s.firstReplica}..${s.firstReplica + s.replicas - 1})` : ''} x ${s.iterations} steps, ${s.wallSeconds.toFixed(1)} s`,
      `validation accuracy: ${fmt(s.validAccuracy)}`,
      `metrics: ${s.runDir}/metrics.jsonl`,
    ].join('\n');
  },
};

export const bhargavaTable1Command: CliCommand = {
  path: ['reproduce', 'bhargava-table1'],
  summary: "Bhargava et al. Table 1 on MNIST (SynRL vs GD, 0 and 32 hidden units) beside the paper's notMNIST numbers",
  flags: {
    seed: COMMON_TRAIN_FLAGS.seed,
    json: COMMON_TRAIN_FLAGS.json,
    name: COMMON_TRAIN_FLAGS.name,
    replicas: { type: 'int', min: 1, max: 64, default: 5, help: 'runs per experiment (paper: 5)' },
    iterations: { type: 'int', min: 1, max: 1e9, help: 'SynRL iterations for both sizes (default: the paper, 200k / 500k)' },
    'gd-iterations': { type: 'int', min: 1, max: 1e9, help: "GD steps for both sizes (default: the authors' GD code, 5000 at 0 HU, 500 at 32 HU)" },
    'gd-init': { type: 'choice', choices: [...GD_INITS], default: GD_MNIST_PRESET.init, help: "GD initial weights: 'code' (the authors' GD notebooks) or 'paired' (synaptic RL's replicas' own init)" },
    'max-samples': { type: 'int', min: 0, max: 60000, default: 0, help: 'use only this many MNIST training images (0 = all)' },
    experiments: { type: 'choice-list', choices: ['synrl-32hu', 'gd-32hu', 'synrl-0hu', 'gd-0hu'], default: ['synrl-32hu', 'gd-32hu', 'synrl-0hu', 'gd-0hu'], help: 'rows to run' },
    backend: { type: 'choice', choices: ['webgpu', 'cpu'], default: 'webgpu', help: 'SynRL rows on WebGPU or the CPU twins' },
    'gd-backend': { type: 'choice', choices: ['auto', 'cpu', 'webgpu'], default: 'auto', help: "GD rows on the CPU reference or on WebGPU; 'auto': WebGPU when --backend webgpu found a hardware GPU, else the CPU (faster than SwiftShader)" },
  },
  async run(f, io) {
    const dir = io.runDir('bhargava-table1', f.name as string | undefined);
    const bar = io.progress('bhargava-table1');
    const ctx = f.backend === 'webgpu' || f['gd-backend'] === 'webgpu' ? await io.gpu() : undefined;
    const gdBackend = f['gd-backend'] === 'auto' ? (ctx?.hardwareAdapter ? 'webgpu' : 'cpu') : (f['gd-backend'] as string);
    let row = '';
    try {
      const it = f.iterations as number | undefined;
      const maxSamples = f['max-samples'] as number;
      const out = await reproduceBhargavaTable1({
        replicas: f.replicas as number,
        seed: f.seed as number,
        iterations0: it,
        iterations32: it,
        gdIterations: f['gd-iterations'] as number | undefined,
        experiments: f.experiments as Table1Row['experiment'][] as never,
        synq: { maxSamples, evalEvery: Math.max(1000, Math.floor((it ?? 200_000) / 20)) },
        gd: { maxSamples, init: f['gd-init'] as GdInit, ...(f['gd-iterations'] ? { evalEvery: Math.max(1, Math.floor((f['gd-iterations'] as number) / 20)) } : {}) },
        ...(ctx && f.backend === 'webgpu' ? { synqTrainer: (c, h) => trainSynqMnistGpu(ctx, c, h) } : {}),
        ...(ctx && gdBackend === 'webgpu' ? { gdTrainer: (c, h) => trainGdMnistGpu(ctx, c, h) } : {}),
        onRow: (name) => (row = name),
        hooks: {
          onIteration(m, replica) {
            dir.log({ experiment: row, ...m, replica });
            if (replica === 0) bar.update(m.iteration, m.total ?? m.iteration, { row, loss: Number(m.loss.toPrecision(4)) });
          },
        },
      });
      bar.stop();
      const result = { ...out, backend: f.backend, gdBackend, gdInit: f['gd-init'], runDir: dir.path };
      dir.writeJson('summary.json', result);
      return result;
    } finally {
      bar.stop();
      await dir.close();
    }
  },
  format(r) {
    const rows = (r as { rows: Table1Row[] }).rows;
    const pct = (x: number) => (100 * x).toFixed(2).padStart(6);
    const lines = [
      'Bhargava et al. Table 1: validation accuracy (%), ours on MNIST vs the paper on notMNIST',
      'experiment   params  iters    | ours: min    max   mean    std  failed   wall s  | paper: min    max   mean   std   runtime',
    ];
    for (const x of rows) {
      const nFailed = (x.failed ?? []).filter(Boolean).length;
      lines.push(
        `${x.experiment.padEnd(12)} ${String(x.params).padStart(6)} ${String(x.iterations).padStart(7)}  |     ${pct(x.min)} ${pct(x.max)} ${pct(x.mean)} ${pct(x.std)} ${`${nFailed}/${x.validAccuracy.length}`.padStart(6)} ${(x.wallSeconds / x.validAccuracy.length).toFixed(1).padStart(7)}  |  ${pct(x.paper.min)} ${pct(x.paper.max)} ${pct(x.paper.mean)} ${pct(x.paper.std)}  ${(x.paper.runtimeSeconds / 60).toFixed(0)} min`,
      );
    }
    for (const g of table1Gaps(rows)) {
      const pts = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)}`;
      lines.push(
        `SynRL - GD at ${g.hidden} HU: ${pts(g.gap)} points${g.pairedGap === null ? '' : ` (paired by replica: ${pts(g.pairedGap)})`}, ${g.within2 ? 'within' : 'not within'} 2 points; paper ${pts(g.paperGap)}`,
      );
    }
    lines.push("failed = replicas under 20% training accuracy at iteration 25k (the code's failed-start rule); min..std are over the others.");
    lines.push('wall s = wall time of the row / replicas (replicas run batched); paper runtime per run on a Ryzen 9 5900X.');
    const b = r as { backend?: string; gdBackend?: string; gdInit?: string };
    lines.push(`SynRL rows on ${b.backend === 'cpu' ? 'the CPU twins' : 'WebGPU'}, GD rows on ${b.gdBackend === 'webgpu' ? 'WebGPU' : 'the CPU reference'}.`);
    lines.push(
      b.gdInit === 'paired'
        ? "GD rows start from synaptic RL's replicas' own initial weights (--gd-init paired)."
        : "GD rows start as the authors' GD notebooks do (uniform [-1, 1) at 0 HU, normal std 2/(in+out) at 32 HU); their budgets are the notebooks' unless --gd-iterations.",
    );
    lines.push(`metrics: ${(r as { runDir: string }).runDir}/metrics.jsonl`);
    return lines.join('\n');
  },
};

export const SYNQ_COMMANDS: CliCommand[] = [synqBoundaryCommand, synqMnistCommand, gdMnistCommand, bhargavaTable1Command];
