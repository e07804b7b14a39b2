import type { AnyKernelDef, HostArray } from './kernel-def.ts';

/** Element type of a named buffer. */
export type Dtype = 'f32' | 'u32';

/** One named buffer of a step program. */
export interface BufferDecl {
  name: string;
  type: Dtype;
  /** Elements (4 bytes each). */
  length: number;
  /**
   * Initial contents (zeros when absent); a function is called only once the executor has checked
   * that every buffer fits, so a size past the limits is refused before anything is allocated.
   */
  init?: HostArray | (() => HostArray);
  /**
   * Scratch buffers are rewritten before they are read within every step, so checkpoints leave
   * them out; everything else is state and goes into every checkpoint.
   */
  scratch?: boolean;
  /** Never written after its initial contents (fan-in indices, signs): rebuilt from the experiment, not checkpointed. */
  constant?: boolean;
  /**
   * 'f64': the CPU executor holds this f32 buffer in f64, the precision in which the reference keeps
   * the intermediate (the GD baseline's deltas and per-sample losses); the device holds f32, and
   * parity compares within tolerance. Scratch buffers only.
   */
  host?: 'f64';
}

/**
 * A binding of one op: a buffer name, or two that alternate with the step's parity (ping-pong:
 * step s uses `[s % 2]`), so every step's bind groups are fixed and built once.
 */
export type Binding = string | readonly [string, string];

/** One kernel invocation: a registered kernel, its layout, and a named buffer for each binding. */
export interface Op {
  kernel: AnyKernelDef;
  layout: unknown;
  bind: Readonly<Record<string, Binding>>;
}

/**
 * What one experiment runs, for either backend: named buffers, the ops of a fresh start (`reset`),
 * and the ops of one env step, in order. The executors (executor-cpu.ts, executor-gpu.ts) run
 * exactly this list, so the CPU twin and the device do the same steps by construction.
 */
export interface StepProgram {
  buffers: BufferDecl[];
  reset: Op[];
  step: Op[];
  /**
   * What the loop reads back after every chunk of steps (words decoded by the model): a whole u32
   * buffer, or a window of any buffer (e.g. a few words of a large model buffer).
   */
  metrics: string | MetricsWindow;
}

/** `length` words of buffer `buffer` from word `offset` on. */
export interface MetricsWindow {
  buffer: string;
  offset: number;
  length: number;
}

/** The program's metrics as a window (a buffer name alone is the whole buffer). */
export function metricsWindow(p: StepProgram): MetricsWindow {
  if (typeof p.metrics !== 'string') return p.metrics;
  const d = p.buffers.find((b) => b.name === p.metrics);
  if (!d) throw new Error(`metrics buffer '${p.metrics}' is not declared`);
  return { buffer: d.name, offset: 0, length: d.length };
}

/** A buffer's initial contents (undefined: zeros), checked against its declared length. */
export function initOf(d: BufferDecl): HostArray | undefined {
  const init = typeof d.init === 'function' ? d.init() : d.init;
  if (init && init.length !== d.length) throw new Error(`buffer '${d.name}': init has ${init.length} elements, declared ${d.length}`);
  return init;
}

/** Bytes the program's buffers hold. */
export function programBytes(p: StepProgram): number {
  return p.buffers.reduce((s, d) => s + d.length * 4, 0);
}

/**
 * Host arrays for every declared buffer, filled with their initial contents (`alloc`: where each
 * array lives, e.g. a view into an arena; zeroed). A constant buffer whose init already has its
 * type and length is used as it is (never written, so never copied).
 */
export function hostBuffers(p: StepProgram, alloc?: (d: BufferDecl) => HostArray): Record<string, HostArray> {
  const out: Record<string, HostArray> = {};
  for (const d of p.buffers) {
    if (out[d.name]) throw new Error(`step program declares buffer '${d.name}' twice`);
    if (d.host === 'f64' && (d.type !== 'f32' || !d.scratch)) throw new Error(`buffer '${d.name}': host f64 is for f32 scratch buffers only`);
    const init = initOf(d);
    if (d.constant && init && (d.type === 'f32' ? init instanceof Float32Array : init instanceof Uint32Array)) {
      out[d.name] = init;
      continue;
    }
    const a = alloc ? alloc(d) : d.host === 'f64' ? new Float64Array(d.length) : d.type === 'f32' ? new Float32Array(d.length) : new Uint32Array(d.length);
    if (init) a.set(init);
    out[d.name] = a;
  }
  return out;
}

/** The buffer names an op binds at step parity `parity`. */
export function bindingsAt(op: Op, parity: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of op.kernel.bindings) {
    const b = op.bind[n];
    if (b === undefined) throw new Error(`${op.kernel.wgsl}: binding '${n}' is not bound`);
    out[n] = typeof b === 'string' ? b : b[parity & 1]!;
  }
  return out;
}

/** The buffers a checkpoint holds: every buffer neither scratch nor constant. */
export function stateBuffers(p: StepProgram): BufferDecl[] {
  return p.buffers.filter((d) => !d.scratch && !d.constant);
}
