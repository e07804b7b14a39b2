import { basename, dirname, resolve } from 'node:path';
import type { Experiment } from '../experiment/schema.ts';
import { buildModel } from '../experiment/build.ts';
import { parseExperiment } from '../experiment/load.ts';
import type { Model } from '../run/model.ts';
import { chooseBackend, trainExperiment, type BackendChoice, type TrainResult } from '../experiment/train.ts';
import type { GpuContext } from '../gpu/context.ts';
import { NonFiniteError, RUN_CHECKPOINT } from '../run/loop.ts';
import type { Flags, Parsed } from './args.ts';
import { formatSynqRun } from './format-synq.ts';
import { UsageError } from './args.ts';
import { CHECKPOINT_FILE, readCheckpointFile, writeCheckpointFile } from './checkpoint-files.ts';
import type { CliIO } from './command.ts';
import { defaultRunName, RunDir } from './run-dir.ts';

/** Flags of every command that runs an experiment (`run` and the `train` aliases). */
export const RUN_FLAGS: Flags = {
  json: { type: 'bool', help: 'print the final summary as one JSON object on stdout' },
  name: { type: 'string', help: "run name: metrics go to runs/<name>/ (default <experiment name>-<timestamp>)" },
  overwrite: { type: 'bool', help: 'replace an existing run of the same name (refused otherwise)' },
  'checkpoint-every': { type: 'int', min: 1, max: 2 ** 31, help: 'write runs/<name>/checkpoint.bin every N env steps (rounded up to whole chunks); a stop by signal always writes one' },
  resume: { type: 'string', help: 'continue the run in this directory from its checkpoint (experiment, backend and metrics are taken from it)' },
};

/** How a command that aliases `run` adjusts it (the `train` aliases). */
export interface RunCliOptions {
  /** A resumed run's experiment as the alias changes it (a longer budget, another evaluation interval); its state buffers must stay the same. */
  amend?(x: Experiment): Experiment;
  /** Resume on this backend instead of the checkpoint's (models whose checkpoints are portable). */
  backend?: Experiment['run']['backend'];
  /** Write a checkpoint when the run ends even without --checkpoint-every. */
  finalCheckpoint?: boolean;
}

/** What `run` prints and writes to summary.json. */
export interface RunSummary extends Omit<TrainResult, 'summary'> {
  runDir: string;
  checkpoint?: string;
  signal?: string;
  exitCode?: number;
  [k: string]: unknown;
}

async function gpuFor(requested: Experiment['run']['backend'], io: CliIO): Promise<{ ctx?: GpuContext; choice: BackendChoice }> {
  if (requested === 'cpu') return { choice: chooseBackend('cpu', undefined) };
  try {
    const ctx = await io.gpu();
    return { ctx, choice: chooseBackend(requested, ctx) };
  } catch (e) {
    if (requested === 'webgpu') throw e;
    return { choice: chooseBackend('auto', undefined, (e as Error).message) };
  }
}

/**
 * Run one experiment from the CLI: the run directory (refusing to overwrite another run unless
 * asked), the progress bar, metrics streamed to metrics.jsonl, checkpoints, `--resume`, SIGINT /
 * SIGTERM (finish the chunk, flush, checkpoint, summary, exit 130 / 143), and the NaN guard (one
 * line naming the buffer; the last good checkpoint stays).
 */
export async function runExperimentCli(experiment: Experiment | undefined, f: Parsed, io: CliIO, opts: RunCliOptions = {}): Promise<RunSummary> {
  let x = experiment;
  let resume: ReturnType<typeof readCheckpointFile>['parts'] | undefined;
  let dir: RunDir;
  let model: Model | undefined;
  if (f.resume) {
    if (f.name) throw new UsageError('--resume takes the run directory; --name cannot be given with it');
    const read = readCheckpointFile(f.resume as string, RUN_CHECKPOINT);
    resume = read.parts;
    x = parseExperiment(resume.header.experiment);
    if (opts.amend) x = opts.amend(x);
    // The run directory holds the checkpoint; one under ./runs keeps its relative name.
    const path = dirname(resolve(read.file));
    const root = dirname(path) === resolve('runs') ? 'runs' : dirname(path);
    dir = new RunDir(basename(path), root, { append: true, truncateAt: resume.header.metricsAt as number });
  } else {
    if (!x) throw new UsageError('give an experiment file or --resume DIR');
    // Compose first: an experiment the rule or env refuses leaves no run directory behind.
    model = buildModel(x);
    dir = new RunDir((f.name as string | undefined) ?? defaultRunName(x.name ?? 'run'), 'runs', { refuseExisting: true, overwrite: Boolean(f.overwrite) });
  }
  const requested = resume ? (opts.backend ?? (resume.header.backend as 'webgpu' | 'cpu')) : x.run.backend;
  const label = x.name ?? 'run';
  const bar = io.progress(label);
  const controller = new AbortController();
  let signal: NodeJS.Signals | undefined;
  const onSignal = (s: NodeJS.Signals) => {
    signal ??= s;
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const checkpointPath = `${dir.path}/${CHECKPOINT_FILE}`;
  let wrote = false;
  try {
    const { ctx, choice } = await gpuFor(requested, io);
    if (!f.json) io.log(`${label}: ${choice.backend} (${choice.reason})${resume ? `, resuming at step ${String(resume.header.stepCount)}` : ''}`);
    let r: TrainResult;
    try {
      r = await trainExperiment(x, {
        ctx,
        choice,
        model,
        signal: controller.signal,
        resume,
        experiment: x,
        checkpointEvery: f['checkpoint-every'] as number | undefined,
        finalCheckpoint: opts.finalCheckpoint,
        sink: { write: (m) => dir.log(m), flush: () => dir.flush() },
        saveCheckpoint: (parts) => {
          dir.flush(true);
          writeCheckpointFile(checkpointPath, parts);
          wrote = true;
        },
        onProgress: (done, total, l) => bar.update(done, total, l),
      });
    } catch (e) {
      if (e instanceof NonFiniteError) {
        dir.writeJson('summary.json', { experiment: x, error: e.message, buffer: e.buffer, step: e.step, runDir: dir.path, checkpoint: wrote || resume ? checkpointPath : null });
      }
      throw e;
    }
    bar.stop();
    const { summary, ...rest } = r;
    const out: RunSummary = {
      ...rest,
      ...summary,
      runDir: dir.path,
      ...(wrote || resume ? { checkpoint: checkpointPath } : {}),
      ...(signal ? { signal, exitCode: signal === 'SIGINT' ? 130 : 143 } : {}),
    };
    dir.writeJson('summary.json', out);
    return out;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    bar.stop();
    await dir.close();
  }
}

/** Human-readable lines of a run summary. */
export function formatRunSummary(s: RunSummary): string {
  const x = s.experiment;
  if (x.rule.name === 'synaptic-q' || x.rule.name === 'gd') return formatSynqRun(s);
  const m = s as unknown as { first100MeanReturn: number[]; last100MeanReturn: number[]; last100MeanOverReplicas: number; last100StdOverReplicas: number };
  return [
    `${x.name ?? 'run'} on ${s.backend} (${s.adapter}; ${s.backendReason}), seed ${x.run.seed}, ${x.run.replicas} replicas x ${x.run.episodes} episodes, ${s.wallSeconds.toFixed(1)} s${s.stopped ? ` — stopped by ${s.signal ?? 'signal'} at step ${s.envSteps}` : ''}`,
    `mean return, first 100 episodes: ${m.first100MeanReturn.map((v) => v.toFixed(0)).join(' ')}`,
    `mean return, last 100 episodes:  ${m.last100MeanReturn.map((v) => v.toFixed(0)).join(' ')}`,
    `over replicas: ${m.last100MeanOverReplicas.toFixed(1)} +- ${m.last100StdOverReplicas.toFixed(1)}`,
    `metrics: ${s.runDir}/metrics.jsonl${s.checkpoint ? `; checkpoint: ${s.checkpoint} (hedonist run --resume ${s.runDir})` : ''}`,
  ].join('\n');
}
