import { ConfigError } from '../config/validate.ts';
import type { CpuOp, HostArray } from './kernel-def.ts';
import { programBytes, type StepProgram } from './program.ts';

/** Runs a step program on one backend; the loop (loop.ts) drives it the same way for both. */
export interface Executor {
  readonly backend: 'cpu' | 'webgpu';
  /** What ran: the adapter's name, or the CPU twins. */
  readonly adapter: string;
  /** Env steps run (or recorded) so far; the ping-pong parity of the next step is stepCount % 2. */
  stepCount: number;
  /** Run the program's reset ops before the next chunk (a fresh start; a resumed run skips it). */
  reset(): void;
  /**
   * Run `n` steps; the metrics buffer's words after them go to `onMetrics` (at once on the CPU,
   * when the readback lands on the GPU). Resolves when the next chunk may be started.
   */
  chunk(n: number, onMetrics: (words: Uint32Array) => void): Promise<void>;
  /** Wait until every chunk's metrics have been delivered. */
  drain(): Promise<void>;
  /** A copy of a named buffer (call after drain). */
  read(name: string): Promise<HostArray>;
  /** The live host array of a buffer, without a copy, where the executor holds one (the CPU); for checks that only read. */
  view?(name: string): HostArray;
  /** Overwrite a named buffer (a resume, or a test's fault injection). */
  write(name: string, data: HostArray): void;
  /** State that host-only ops keep outside the buffers (JSON), for checkpoints; call after drain. */
  saveOps(): unknown[];
  loadOps(states: unknown[]): void;
  destroy(): void;
}

/** Host memory the CPU executor may hold: sizes past it are refused before allocating. */
export const HOST_BUDGET_BYTES = 8 * 2 ** 30;

/** A program too large for the host: refused before anything is allocated (one line, exit 2). */
export function checkHostBudget(p: StepProgram, budget = HOST_BUDGET_BYTES): void {
  const bytes = programBytes(p);
  if (bytes > budget) {
    const big = [...p.buffers].sort((a, b) => b.length - a.length)[0]!;
    throw new ConfigError(
      'run.replicas',
      `the experiment needs ${bytes} bytes of host memory (largest buffer '${big.name}': ${big.length * 4} bytes); the CPU backend holds at most ${budget}: use fewer run.replicas or a smaller population`,
    );
  }
}

/** The save / load of every compiled op that has them, in op order. */
export function opStates(ops: readonly CpuOp[]): { save(): unknown[]; load(states: unknown[]): void } {
  const keep = ops.filter((o) => o.save && o.load);
  return {
    save: () => keep.map((o) => o.save!()),
    load: (states) => {
      if (states.length !== keep.length) throw new Error(`checkpoint holds the state of ${states.length} host ops, the program has ${keep.length}`);
      keep.forEach((o, i) => o.load!(states[i]));
    },
  };
}
