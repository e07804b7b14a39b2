import type { CheckpointParts } from '../io/checkpoint.ts';
import type { Executor } from './executor.ts';
import { checkFinite, NonFiniteError } from './guard.ts';
import type { HostArray } from './kernel-def.ts';
import type { MetricsRecord, Model } from './model.ts';
import { stateBuffers } from './program.ts';

/** The checkpoint kind every run writes. */
export const RUN_CHECKPOINT = 'hedonist-run';

/** Where a run's metrics go as they arrive (a file, a chart, an array). */
export interface MetricsSink {
  write(r: MetricsRecord): void;
  /** Persist what was written; returns the position a resumed run continues from. */
  flush(): number;
}

/** Options of the training loop (runLoop, trainExperiment, run): stopping, metrics, checkpoints, progress. */
export interface LoopOptions {
  /** Stops after the chunk in flight: metrics flushed, a checkpoint written, the summary marked `stopped`. */
  signal?: AbortSignal;
  sink?: MetricsSink;
  /** Write a checkpoint every this many env steps (rounded up to whole chunks) and at the end; 0 or absent: only on a stop. */
  checkpointEvery?: number;
  /** Also write a checkpoint when the run ends without a cadence (a resumed run keeps its checkpoint current). */
  finalCheckpoint?: boolean;
  /** Stores a checkpoint (the CLI writes it atomically into the run directory). */
  saveCheckpoint?(parts: CheckpointParts): void;
  /** Continue from this checkpoint instead of starting fresh. */
  resume?: CheckpointParts;
  /** The whole experiment, stored in checkpoints so a resume needs nothing else. */
  experiment?: unknown;
  /** Check every f32 state buffer for NaN / Inf every this many chunks (and at every checkpoint and the end). */
  guardEvery?: number;
  /** `unit` names what done and total count (episodes, iterations, ...), from the model's decoder. */
  onProgress?(done: number, total: number, label?: Record<string, number>, unit?: string): void;
  /** Called before each chunk (tests inject faults here; demos draw). */
  beforeChunk?(chunk: number, exec: Executor): void | Promise<void>;
}

/** What the training loop returns: the model's summary and how the run went. */
export interface LoopResult<S> {
  summary: S;
  backend: Executor['backend'];
  adapter: string;
  /** Env steps per replica run (the GPU may run a few past the last logged record). */
  envSteps: number;
  wallSeconds: number;
  /** Set when the signal stopped the run early. */
  stopped?: true;
  /** The step of the last checkpoint written, if any. */
  checkpointStep?: number;
}

/**
 * The one training loop, for every model and both backends: chunks of steps through the executor,
 * metrics decoded as they arrive and streamed to the sink, checkpoints at a cadence and on a stop,
 * a NaN / Inf guard over the state buffers, and resume from a checkpoint to the same numbers as an
 * uninterrupted run.
 */
export async function runLoop<S extends object>(model: Model<S>, exec: Executor, o: LoopOptions = {}): Promise<LoopResult<S>> {
  const t0 = performance.now();
  const sink = o.sink;
  const emit = (r: MetricsRecord) => sink?.write(r);
  const per = model.stepsPerChunk;
  const every = o.checkpointEvery ? Math.max(1, Math.ceil(o.checkpointEvery / per)) : 0;
  const guardEvery = o.guardEvery ?? (exec.backend === 'cpu' ? 1 : 20);
  let chunks = 0;
  let checkpointStep: number | undefined;

  if (o.resume) {
    const h = o.resume.header;
    if (h.model !== model.kind) throw new Error(`checkpoint holds a '${String(h.model)}' run, not '${model.kind}'`);
    if (h.backend !== exec.backend && !model.portable) throw new Error(`checkpoint was written by the ${String(h.backend)} backend; resume it on the same backend`);
    for (const d of stateBuffers(model.program)) {
      const a = o.resume.arrays[d.name];
      if (!a || a.length !== d.length) throw new Error(`checkpoint lacks buffer '${d.name}' of ${d.length} elements`);
      exec.write(d.name, a as HostArray);
    }
    exec.stepCount = h.stepCount as number;
    exec.loadOps((h.ops as unknown[] | undefined) ?? []);
    chunks = h.chunks as number;
    model.decoder.load(h.decoder);
    checkpointStep = exec.stepCount;
  } else {
    exec.reset();
  }

  const readState = async (): Promise<Record<string, HostArray>> => {
    await exec.drain();
    const out: Record<string, HostArray> = {};
    for (const d of stateBuffers(model.program)) out[d.name] = await exec.read(d.name);
    return out;
  };
  // The guard only reads: on the CPU it scans the live arrays instead of copying every state buffer each chunk.
  const guardState = async (): Promise<Record<string, HostArray>> => {
    if (!exec.view) return readState();
    const out: Record<string, HostArray> = {};
    for (const d of stateBuffers(model.program)) out[d.name] = exec.view(d.name);
    return out;
  };
  const checkpoint = async () => {
    const arrays = await readState();
    checkFinite(arrays, exec.stepCount);
    if (!o.saveCheckpoint) return arrays;
    const metricsAt = sink?.flush() ?? 0;
    o.saveCheckpoint({
      kind: RUN_CHECKPOINT,
      header: { model: model.kind, backend: exec.backend, stepCount: exec.stepCount, chunks, decoder: model.decoder.save(), ops: exec.saveOps(), metricsAt, experiment: o.experiment ?? null },
      // State buffers are f32 / u32 (only scratch buffers may be held in f64 on the host).
      arrays: arrays as Record<string, Float32Array | Uint32Array>,
    });
    checkpointStep = exec.stepCount;
    return arrays;
  };

  const ingest = (words: Uint32Array) => {
    model.decoder.ingest(words, emit);
    sink?.flush();
    const p = model.decoder.progress();
    o.onProgress?.(p.done, p.total, p.label, p.unit);
  };
  let stopped = false;
  const ce = o.checkpointEvery ?? 0;
  while (!model.decoder.done) {
    if (o.signal?.aborted) {
      stopped = true;
      break;
    }
    let n = per,
      sync = false;
    if (model.stepLimit !== undefined) {
      const left = model.stepLimit - exec.stepCount;
      if (left <= 0) {
        await exec.drain();
        if (!model.decoder.done) throw new Error(`the run reached its step limit (${model.stepLimit}) but its metrics are not complete`);
        break;
      }
      n = Math.min(per, left);
    }
    if (model.chunkAt) {
      const c = model.chunkAt(exec.stepCount);
      if (c.steps <= 0) break;
      n = ce ? Math.min(c.steps, ce - (exec.stepCount % ce)) : c.steps;
      sync = Boolean(c.sync);
    }
    await o.beforeChunk?.(chunks, exec);
    await exec.chunk(n, ingest);
    chunks++;
    if (sync) await exec.drain();
    const due = model.chunkAt ? ce > 0 && exec.stepCount % ce === 0 : every && chunks % every === 0;
    if (due) await checkpoint();
    else if (guardEvery && chunks % guardEvery === 0) checkFinite(await guardState(), exec.stepCount);
    // Let timers and signal handlers run between CPU chunks.
    if (exec.backend === 'cpu') await yieldToEvents();
  }
  await exec.drain();
  // A stopped run, and a finished one that writes checkpoints, end with one (training can go on from it).
  let state: Record<string, HostArray>;
  if (stopped || every || o.finalCheckpoint) state = await checkpoint();
  else checkFinite((state = await readState()), exec.stepCount);
  const summary = model.summarise(state);
  if (!stopped) for (const r of model.finalRecords?.(summary) ?? []) emit(r);
  sink?.flush();
  return {
    summary,
    backend: exec.backend,
    adapter: exec.adapter,
    envSteps: exec.stepCount,
    wallSeconds: (performance.now() - t0) / 1000,
    ...(stopped ? { stopped: true as const } : {}),
    ...(checkpointStep !== undefined ? { checkpointStep } : {}),
  };
}

export { NonFiniteError };

/** Let timers, I/O and signal handlers run (setImmediate in Node, a zero timeout in browsers). */
function yieldToEvents(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void };
  return new Promise<void>((res) => (g.setImmediate ? g.setImmediate(res) : setTimeout(res, 0)));
}
