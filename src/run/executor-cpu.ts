import { GpuLimitError } from '../gpu/errors.ts';
import type { Executor } from './executor.ts';
import { HOST_BUDGET_BYTES } from './executor.ts';
import type { HostArray } from './kernel-def.ts';
import { bindingsAt, hostBuffers, type StepProgram } from './program.ts';

/**
 * The CPU executor: the program's buffers as host arrays, each op compiled to its kernel's CPU twin
 * for both ping-pong parities, called in the program's order.
 */
export class CpuExecutor implements Executor {
  readonly backend = 'cpu' as const;
  readonly adapter = 'cpu (TypeScript twins)';
  stepCount = 0;
  readonly arrays: Record<string, HostArray>;
  private readonly steps: (() => void)[][];
  private readonly resets: (() => void)[];
  private pendingReset = false;

  constructor(readonly program: StepProgram) {
    const bytes = program.buffers.reduce((s, d) => s + d.length * 4, 0);
    if (bytes > HOST_BUDGET_BYTES) {
      throw new GpuLimitError("HOST_BUDGET_BYTES", HOST_BUDGET_BYTES, bytes, "the step program's host memory (use fewer replicas or agents)");
    }
    const arrays = (this.arrays = hostBuffers(program));
    const compile = (parity: number) => program.step.map((op) => op.kernel.cpu(op.layout, pick(arrays, bindingsAt(op, parity))));
    this.steps = [compile(0), compile(1)];
    this.resets = program.reset.map((op) => op.kernel.cpu(op.layout, pick(arrays, bindingsAt(op, 0))));
  }

  reset(): void {
    this.pendingReset = true;
  }

  async chunk(n: number, onMetrics: (words: Uint32Array) => void): Promise<void> {
    if (this.pendingReset) {
      for (const r of this.resets) r();
      this.pendingReset = false;
    }
    this.run(n);
    onMetrics(this.arrays[this.program.metrics] as Uint32Array);
  }

  /** Run `n` steps now (no reset, no metrics callback): benches time this. */
  run(n: number): void {
    for (let s = 0; s < n; s++) {
      for (const op of this.steps[this.stepCount & 1]!) op();
      this.stepCount++;
    }
  }

  async drain(): Promise<void> {}

  async read(name: string): Promise<HostArray> {
    return this.get(name).slice();
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
