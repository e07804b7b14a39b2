/**
 * The CPU executor's worker threads: the replicas of a step program split into contiguous ranges,
 * one per worker, each running every step op's replica-range twin (src/kernels/replica-split.ts)
 * over the main thread's arrays in shared memory. Replicas never read each other's words, and every
 * index and RNG agent stays global, so a split run is bit-identical to one thread; the clock (and
 * any other private binding) is per worker, handed over before each chunk and taken back from worker
 * 0 after it.
 */
import type { Worker } from 'node:worker_threads';
import type { Experiment } from '../experiment/schema.ts';
import { SPLIT_TWINS, splits } from '../kernels/replica-split.ts';
import type { WorkerInit, WorkerRun } from './cpu-worker.ts';
import type { HostArray, ReplicaRange } from './kernel-def.ts';
import { bindingsAt, type StepProgram } from './program.ts';
import type { SharedHost } from './shared-buffers.ts';

/**
 * A Node built-in when running in Node (process.getBuiltinModule), else undefined: this module is
 * also loaded by browser pages (through trainExperiment), where a static `node:` import is a stub that
 * throws when its names are bound.
 */
const builtin = <T>(name: string): T | undefined => (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process?.getBuiltinModule?.(name) as T | undefined;

/** `run.workers` 0: the machine's cores in Node; 1 in a browser tab. */
export const defaultWorkers = (): number => builtin<typeof import('node:os')>('node:os')?.availableParallelism() ?? 1;

export interface SplitPlan {
  workers: number;
  reason: string;
  ranges: ReplicaRange[];
  /** Buffers each worker keeps its own copy of. */
  privateNames: string[];
}

/** How a program's replicas split between `requested` workers (1 when it cannot split, with the reason). */
export function splitPlan(program: StepProgram, requested: number, x: Experiment | undefined): SplitPlan {
  const one = (reason: string): SplitPlan => ({ workers: 1, reason, ranges: [], privateNames: [] });
  if (requested <= 1) return one('run.workers is 1');
  if (!x) return one('no experiment to rebuild the program from in a worker');
  const R = x.run.replicas;
  if (R < 2) return one('one replica');
  if (program.step.length === 0) return one('no step ops to split');
  const bad = program.step.find((op) => !splits(op.kernel, op.layout));
  if (bad) return one(`${bad.kernel.wgsl} does not run a replica range on the CPU`);
  const W = Math.min(requested, R);
  const ranges: ReplicaRange[] = Array.from({ length: W }, (_, w) => [Math.floor((w * R) / W), Math.floor(((w + 1) * R) / W)] as const);
  const privateNames = new Set<string>();
  for (const op of program.step) {
    for (const b of SPLIT_TWINS.get(op.kernel)!.private ?? []) for (const p of [0, 1]) privateNames.add(bindingsAt(op, p)[b]!);
  }
  return { workers: W, reason: `${W} workers of ${R} replicas`, ranges, privateNames: [...privateNames] };
}

export class CpuWorkers {
  private readonly threads: Worker[];
  private readonly ready: Promise<unknown>;

  constructor(
    x: Experiment,
    shared: SharedHost,
    private readonly plan: SplitPlan,
  ) {
    this.threads = plan.ranges.map((range) => {
      const init: WorkerInit = { experiment: x, range, shared, privateNames: plan.privateNames };
      const w = new (builtin<typeof import('node:worker_threads')>('node:worker_threads')!.Worker)(new URL('./cpu-worker-boot.mjs', import.meta.url), { workerData: init });
      w.unref();
      return w;
    });
    this.ready = Promise.all(this.threads.map((w) => reply(w)));
  }

  /** Steps stepCount .. stepCount + n - 1 in every worker; the private buffers come back into `arrays`. */
  async run(n: number, stepCount: number, arrays: Record<string, HostArray>): Promise<void> {
    await this.ready;
    const priv: Record<string, HostArray> = {};
    for (const name of this.plan.privateNames) priv[name] = arrays[name]!.slice();
    const msg: WorkerRun = { n, stepCount, priv };
    const replies = this.threads.map((w) => {
      const p = reply(w);
      w.postMessage(msg);
      return p;
    });
    const back = (await Promise.all(replies)) as Record<string, HostArray>[];
    for (const [name, a] of Object.entries(back[0]!)) arrays[name]!.set(a);
  }

  destroy(): void {
    for (const w of this.threads) void w.terminate();
  }
}

/** The worker's next message (its error or exit rejects). */
function reply(w: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const done = () => {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
    };
    const onMessage = (m: unknown) => (done(), resolve(m));
    const onError = (e: Error) => (done(), reject(e));
    const onExit = (code: number) => (done(), reject(new Error(`cpu worker exited (code ${code})`)));
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
  });
}
