import type { Experiment } from '../experiment/schema.ts';
import { CpuWorkers, splitPlan } from './cpu-workers.ts';
import type { Executor } from './executor.ts';
import { checkHostBudget, opStates } from './executor.ts';
import type { CpuOp, HostArray } from './kernel-def.ts';
import { bindingsAt, hostBuffers, metricsWindow, type StepProgram } from './program.ts';
import { localHostBuffers, pickArrays as pick, sharedHostBuffers } from './shared-buffers.ts';

export interface CpuExecutorOptions {
  /**
   * Worker threads that split the replicas (1: none). They rebuild the program from `experiment`,
   * so both must be given; a program with an op whose twin does not run a replica range
   * (src/kernels/replica-split.ts) runs on one thread.
   */
  workers?: number;
  experiment?: Experiment;
  /**
   * false: one host array per buffer instead of one WebAssembly arena (src/run/host-arena.ts), so
   * the twins run their TypeScript loops only (tests compare the two; benches time them). Default true.
   */
  arena?: boolean;
}

/**
 * The CPU executor: the program's buffers as host arrays, each op compiled to its kernel's CPU twin
 * for both ping-pong parities, called in the program's order. With workers, `chunk` runs the steps
 * in worker threads, each on its own range of replicas over the same (shared) arrays; `run` and the
 * resets always run on this thread.
 */
export class CpuExecutor implements Executor {
  readonly backend = 'cpu' as const;
  readonly adapter: string;
  stepCount = 0;
  /** Worker threads that run chunks (1: this thread alone). */
  readonly workers: number;
  /** Why the run has this many workers (for the summary). */
  readonly workersReason: string;
  private readonly pool: CpuWorkers | undefined;
  readonly arrays: Record<string, HostArray>;
  private readonly steps: CpuOp[][];
  private readonly resets: CpuOp[];
  private readonly states: ReturnType<typeof opStates>;
  private pendingReset = false;
  /** The metrics window as u32 words over the live host array. */
  private readonly metrics: Uint32Array;

  constructor(
    readonly program: StepProgram,
    o: CpuExecutorOptions = {},
  ) {
    checkHostBudget(program);
    const plan = splitPlan(program, o.workers ?? 1, o.experiment);
    this.workers = plan.workers;
    this.workersReason = plan.reason;
    // Without a replica split, twins that split one dispatch (KernelDef.cpuThreads) get the threads.
    const threads = plan.workers === 1 && (o.workers ?? 1) > 1 && program.step.some((op) => op.kernel.cpuThreads?.(op.layout)) ? o.workers! : 1;
    let arrays: Record<string, HostArray>;
    if (plan.workers > 1) {
      const s = sharedHostBuffers(program, o.arena !== false);
      arrays = s.arrays;
      this.pool = new CpuWorkers(o.experiment!, s.shared, plan);
    } else arrays = threads > 1 ? sharedHostBuffers(program, o.arena !== false).arrays : o.arena === false ? hostBuffers(program) : localHostBuffers(program);
    this.arrays = arrays;
    if (threads > 1) {
      this.workers = threads;
      this.workersReason = `${threads} threads inside the ops that split a dispatch (${plan.reason})`;
    }
    this.adapter = plan.workers > 1 ? `cpu (TypeScript twins, ${plan.workers} worker threads)` : threads > 1 ? `cpu (TypeScript twins, helper threads in split ops)` : 'cpu (TypeScript twins)';
    const compile = (parity: number) => program.step.map((op) => op.kernel.cpu(op.layout, pick(arrays, bindingsAt(op, parity)), undefined, { threads }));
    this.steps = [compile(0), compile(1)];
    this.resets = program.reset.map((op) => op.kernel.cpu(op.layout, pick(arrays, bindingsAt(op, 0))));
    // Host state lives in the step ops (both parities share it: the env object is per op).
    this.states = opStates(this.steps[0]!);
    const m = metricsWindow(program);
    const a = arrays[m.buffer];
    if (!a) throw new Error(`metrics buffer '${m.buffer}' is not declared`);
    if (m.offset + m.length > a.length) throw new Error(`metrics window [${m.offset}, ${m.offset + m.length}) lies outside buffer '${m.buffer}' of ${a.length} elements`);
    this.metrics = new Uint32Array(a.buffer, a.byteOffset + m.offset * 4, m.length);
  }

  saveOps(): unknown[] {
    return this.states.save();
  }

  loadOps(states: unknown[]): void {
    this.states.load(states);
  }

  reset(): void {
    this.pendingReset = true;
  }

  async chunk(n: number, onMetrics: (words: Uint32Array) => void): Promise<void> {
    if (this.pool) {
      this.runResets();
      await this.pool.run(n, this.stepCount, this.arrays);
      this.stepCount += n;
    } else this.run(n);
    onMetrics(this.metrics);
  }

  private runResets(): void {
    if (this.pendingReset) {
      for (const r of this.resets) r();
      this.pendingReset = false;
    }
  }

  /** Run a pending reset and `n` steps now, with no metrics callback (benches time this). */
  run(n: number): void {
    this.runResets();
    for (let s = 0; s < n; s++) {
      for (const op of this.steps[this.stepCount & 1]!) op();
      this.stepCount++;
    }
  }

  async drain(): Promise<void> {}

  async read(name: string): Promise<HostArray> {
    return this.get(name).slice();
  }

  view(name: string): HostArray {
    return this.get(name);
  }

  write(name: string, data: HostArray): void {
    this.get(name).set(data);
  }

  private get(name: string): HostArray {
    const a = this.arrays[name];
    if (!a) throw new Error(`no buffer '${name}' in the step program`);
    return a;
  }

  destroy(): void {
    this.pool?.destroy();
    for (const ops of this.steps) for (const op of ops) op.destroy?.();
  }
}
