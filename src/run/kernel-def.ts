import type { GpuContext } from '../gpu/context.ts';
import { shaderSource } from '../gpu/shader-source.ts';

/**
 * A host array that stands for one device buffer (the CPU executor's form of a named buffer);
 * Float64Array only for a scratch buffer declared `host: 'f64'` (program.ts).
 */
export type HostArray = Float32Array | Uint32Array | Float64Array;

/** A twin's host arrays, which `cpu(layout, b)` gets by binding name, as the typed record its CPU function takes. */
export const typedArrays = <T>(b: Readonly<Record<string, HostArray>>): T => b as unknown as T;

/**
 * Replicas [r0, r1) of a batched twin: a twin compiled with one runs the dispatch for those
 * replicas only, with every index and RNG agent as in the whole dispatch, and writes no word of
 * another replica (except words every replica writes with the same value).
 */
export type ReplicaRange = readonly [number, number];

/** One kernel's GPU form for one layout: bind groups over named buffers, and the recorded dispatch. */
export interface GpuKernel {
  /** A bind group over `buffers` (every name in the def's `bindings`). */
  group(buffers: Readonly<Record<string, GPUBuffer>>, label: string): GPUBindGroup;
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void;
  destroy(): void;
}

/**
 * A compiled CPU form: runs one dispatch. A host-only op that keeps state outside the program's
 * buffers (a Box2D world) also saves and restores it, so checkpoints hold it.
 */
export type CpuOp = (() => void) & { save?(): unknown; load?(state: unknown): void; destroy?(): void };

/**
 * How the CPU executor compiles a twin: `threads` it may use for one dispatch (a twin that splits its
 * work starts helper threads over the executor's shared memory; 1: this thread alone). A twin's
 * result does not depend on it.
 */
export interface CpuCompileOptions {
  threads: number;
}

/**
 * A registered kernel: its WGSL file, its storage bindings by name (in binding order, checked
 * against the WGSL's `var` declarations), its GPU form and its CPU twin. A step program names
 * kernels and buffers; the executors look both forms up here, so a kernel is written once for
 * both backends. `parity` names the suite in test/parity/suites.ts that compares the two forms
 * (a test fails for a registered kernel whose suite does not exist or does not list it).
 */
export interface KernelDef<L> {
  /** shaders/<wgsl>.wgsl */
  readonly wgsl: string;
  /** Storage bindings in binding order, after the params uniform when `uniform` is true. */
  readonly bindings: readonly string[];
  /** Whether binding 0 is the params uniform (`var<uniform> params`). */
  readonly uniform: boolean;
  /** The parity suite that checks this kernel against its twin. */
  readonly parity: string;
  /**
   * Other WGSL files of the same kernel (a form for hardware GPUs that the layout or the adapter
   * picks), with the same bindings: checked like `wgsl`.
   */
  readonly forms?: readonly string[];
  /**
   * Compile the CPU twin for one layout over host arrays: the returned closure runs one dispatch.
   * `range` is passed only to the twins src/kernels/replica-split.ts lists (the CPU executor's
   * workers): the dispatch for replicas [r0, r1) alone.
   */
  cpu(layout: L, b: Readonly<Record<string, HostArray>>, range?: ReplicaRange, o?: CpuCompileOptions): CpuOp;
  /**
   * Whether the twin for this layout can use more than one thread (CpuCompileOptions.threads): the
   * CPU executor then holds the program's arrays in shared memory when it has threads to give.
   */
  cpuThreads?(layout: L): boolean;
  /** Build the GPU form for one layout (absent for a host-only kernel). */
  gpu?(ctx: GpuContext, layout: L): GpuKernel;
  /**
   * A host-only kernel (an env that runs on the CPU, e.g. LunarLander on planck): on WebGPU the
   * executor downloads its bound buffers, runs `cpu`, and uploads the bindings named in `writes`
   * (one readback and one upload per step). `wgsl` then only names it; `parity` names the test
   * file that checks it through the bridge on both executors.
   */
  host?: { writes: readonly string[] };
}

// A kernel's type erased, for registries and step programs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKernelDef = KernelDef<any>;

const VAR = /@binding\((\d+)\)\s*var(?:<([^>]*)>)?\s+(\w+)/g;

/** The names of group-0 bindings in a kernel's WGSL, in binding order. */
export function wgslBindings(wgsl: string): string[] {
  const src = shaderSource(wgsl);
  const out: string[] = [];
  for (const m of src.matchAll(VAR)) out[Number(m[1])] = m[3]!;
  return out;
}

/** Throws unless the WGSL (and every other form's) declares exactly the def's bindings, by name, in order (host-only kernels have none). */
export function checkBindings(def: AnyKernelDef): void {
  if (def.host) return;
  const want = [...(def.uniform ? ['params'] : []), ...def.bindings];
  for (const wgsl of [def.wgsl, ...(def.forms ?? [])]) {
    const got = wgslBindings(wgsl);
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      throw new Error(`${wgsl}.wgsl binds ${JSON.stringify(got)}, its kernel definition says ${JSON.stringify(want)}`);
    }
  }
}
