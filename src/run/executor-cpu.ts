import type { Executor } from './executor.ts';
import { checkHostBudget, opStates } from './executor.ts';
import type { CpuOp, HostArray } from './kernel-def.ts';
import { bindingsAt, hostBuffers, metricsWindow, type StepProgram } from './program.ts';

/**
 * The CPU executor: the program's buffers as host arrays, each op compiled to its kernel's CPU twin
 * for both ping-pong parities, called in the program's order.
 */
export class CpuExecutor implements Executor {
  readonly backend = 'cpu' as const;
  readonly adapter = 'cpu (TypeScript twins)';
  stepCount = 0;
  readonly arrays: Record<string, HostArray>;
  private readonly steps: CpuOp[][];
  private readonly resets: CpuOp[];
  private readonly states: ReturnType<typeof opStates>;
  private pendingReset = false;
  /** The metrics window as u32 words over the live host array. */
  private readonly metrics: Uint32Array;

  constructor(readonly program: StepProgram) {
    checkHostBudget(program);
    const arrays = (this.arrays = hostBuffers(program));
    const compile = (parity: number) => program.step.map((op) => op.kernel.cpu(op.layout, pick(arrays, bindingsAt(op, parity))));
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
    this.run(n);
    onMetrics(this.metrics);
  }

  /** Run a pending reset and `n` steps now, with no metrics callback (benches time this). */
  run(n: number): void {
    if (this.pendingReset) {
      for (const r of this.resets) r();
      this.pendingReset = false;
    }
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

  destroy(): void {}
}

function pick(arrays: Record<string, HostArray>, names: Record<string, string>): Record<string, HostArray> {
  const out: Record<string, HostArray> = {};
  for (const [binding, name] of Object.entries(names)) {
    const a = arrays[name];
    if (!a) throw new Error(`binding '${binding}' names buffer '${name}', which the step program does not declare`);
    out[binding] = a;
  }
  return out;
}
