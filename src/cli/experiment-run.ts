import { basename, dirname, resolve } from 'node:path';
import type { Experiment } from '../experiment/schema.ts';
import { buildModel } from '../experiment/build.ts';
import { RULES, type RuleEntry } from '../experiment/rules.ts';
import { parseExperiment } from '../experiment/load.ts';
import type { Model } from '../run/model.ts';
import { checkProgramFits } from '../run/fits.ts';
import { chooseBackend, trainExperiment, type BackendChoice, type TrainResult } from '../experiment/train.ts';
import type { GpuContext } from '../gpu/context.ts';
import { NonFiniteError, RUN_CHECKPOINT } from '../run/loop.ts';
import type { Parsed } from './args.ts';
import { UsageError } from './args.ts';
import { refuseStepsPerSubmit } from './flags.ts';
import { CHECKPOINT_FILE, readCheckpointFile, writeCheckpointFile } from './checkpoint-files.ts';
import type { CliIO } from './command.ts';
import { defaultRunName, RunDir } from './run-dir.ts';
import { picturesLine, reportRunDir } from './run-report.ts';

/** How a command that aliases `run` adjusts it (the `train` aliases). */
export interface RunCliOptions {
  /** A resumed run's experiment as the alias changes it (a longer budget, another evaluation interval); its state buffers must stay the same. */
  amend?(x: Experiment): Experiment;
  /** Resume on this backend instead of the checkpoint's (models whose checkpoints are portable). */
  backend?: Experiment['run']['backend'];
  /** Write a checkpoint when the run ends even without --checkpoint-every. */
  finalCheckpoint?: boolean;
  /** Fields added to the summary (and summary.json), e.g. a paper's number beside the run's. */
  extend?(s: RunSummary): Record<string, unknown>;
  /** Gets the model before it runs (a command that reads the trained model afterwards). */
  onModel?(m: Model): void;
  /** The folder new run directories go in (default runs/; a sweep puts its cells in DIR/cells). */
  root?: string;
}

/** What `run` prints and writes to summary.json. */
export interface RunSummary extends Omit<TrainResult, 'summary'> {
  runDir: string;
  checkpoint?: string;
  signal?: string;
  exitCode?: number;
  [k: string]: unknown;
}

/** The GPU context (if one is needed and can be made) and the backend `requested` resolves to. */
export async function gpuFor(requested: Experiment['run']['backend'], io: CliIO): Promise<{ ctx?: GpuContext; choice: BackendChoice }> {
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
 * line naming the buffer; the last good checkpoint stays). `hooks.onModel` gets the model before it
 * runs (an alias that needs more than the JSON summary afterwards, e.g. the trained policy table).
 */
export async function runExperimentCli(experiment: Experiment | undefined, f: Parsed, io: CliIO, o: RunCliOptions = {}): Promise<RunSummary> {
  let x = experiment;
  let resume: ReturnType<typeof readCheckpointFile>['parts'] | undefined;
  let resumePath: string | undefined;
  if (f.resume) {
    if (f.name) throw new UsageError('--resume takes the run directory; --name cannot be given with it');
    const read = readCheckpointFile(f.resume as string, RUN_CHECKPOINT);
    resume = read.parts;
    resumePath = dirname(resolve(read.file));
    x = parseExperiment(resume.header.experiment);
    if (o.amend) x = o.amend(x);
  }
  if (!x) throw new UsageError('give an experiment file or --resume DIR');
  // Workers change nothing in the results, so a resumed run may take another number.
  if (f.workers !== undefined) x = { ...x, run: { ...x.run, workers: f.workers as number } };
  // Compose, pick the backend and check every size before making the run directory: an
  // experiment that is refused leaves none behind.
  const model: Model = buildModel(x);
  o.onModel?.(model);
  const requested = resume ? (o.backend ?? (resume.header.backend as 'webgpu' | 'cpu')) : x.run.backend;
  // A model without steps (an exact solver) has nothing to put on a device: 'auto' skips making one.
  const { ctx, choice } =
    requested === 'auto' && model.program.step.length === 0
      ? { ctx: undefined, choice: { backend: 'cpu' as const, reason: 'auto: the model has no steps to run on a device' } }
      : await gpuFor(requested, io);
  refuseStepsPerSubmit(f, choice.backend, choice.reason);
  checkProgramFits(model.program, choice.backend, ctx);
  // The run directory holds the checkpoint; one under ./runs keeps its relative name.
  const resumeRoot = resumePath && (dirname(resumePath) === resolve('runs') ? 'runs' : dirname(resumePath));
  const dir = resumePath
    ? new RunDir(basename(resumePath), resumeRoot!, { append: true, truncateAt: resume!.header.metricsAt as number })
    : new RunDir((f.name as string | undefined) ?? defaultRunName(x.name ?? 'run'), o.root ?? 'runs', { refuseExisting: true, overwrite: Boolean(f.overwrite) });
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
  let finished = false;
  try {
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
        finalCheckpoint: o.finalCheckpoint,
        sink: { write: (m) => dir.log(m), flush: () => dir.flush() },
        saveCheckpoint: (parts) => {
          dir.flush(true);
          writeCheckpointFile(checkpointPath, parts);
          wrote = true;
        },
        onProgress: (done, total, l, unit) => bar.update(done, total, l, unit),
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
    if (o.extend) Object.assign(out, o.extend(out));
    dir.writeJson('summary.json', out);
    finished = true;
    return out;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    bar.stop();
    await dir.close();
    await reportRunDir(dir.path, io, undefined, undefined, !finished);
  }
}

/** Human-readable lines of a run summary (the rule's own format when it has one). */
export function formatRunSummary(s: RunSummary): string {
  const x = s.experiment;
  const m = s as unknown as {
    first100MeanReturn: number[];
    last100MeanReturn: number[];
    last100MeanOverReplicas: number;
    last100StdOverReplicas: number;
    meanReturn?: number;
    stdReturn?: number;
    finalMeanReturn?: number;
  };
  const rule: RuleEntry<never> = RULES[x.rule.name];
  if (rule.format) return [rule.format(s), picturesLine(s.runDir)].filter(Boolean).join('\n');
  return [
    `${x.name ?? 'run'} on ${s.backend} (${s.adapter}; ${s.backendReason}), seed ${x.run.seed}, ${x.run.replicas} replicas x ${x.run.episodes} episodes, ${s.wallSeconds.toFixed(1)} s${s.stopped ? ` — stopped by ${s.signal ?? 'signal'} at step ${s.envSteps}` : ''}`,
    ...(rule.summaryLines?.(s as never) ?? [
      ...(m.meanReturn !== undefined
        ? [`mean return over all episodes: ${m.meanReturn.toFixed(2)} (std ${m.stdReturn!.toFixed(2)} over replicas); last 10% of episodes: ${m.finalMeanReturn!.toFixed(2)}`]
        : []),
      `mean return, first 100 episodes: ${m.first100MeanReturn.map((v) => v.toFixed(0)).join(' ')}`,
      `mean return, last 100 episodes:  ${m.last100MeanReturn.map((v) => v.toFixed(0)).join(' ')}`,
      `over replicas: ${m.last100MeanOverReplicas.toFixed(1)} +- ${m.last100StdOverReplicas.toFixed(1)}`,
    ]),
    `metrics: ${s.runDir}/metrics.jsonl${s.checkpoint ? `; checkpoint: ${s.checkpoint} (hedonist run --resume ${s.runDir})` : ''}`,
    picturesLine(s.runDir),
  ]
    .filter(Boolean)
    .join('\n');
}
