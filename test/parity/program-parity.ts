import type { GpuContext } from '../../src/gpu/context.ts';
import { CpuExecutor } from '../../src/run/executor-cpu.ts';
import { GpuExecutor } from '../../src/run/executor-gpu.ts';
import type { HostArray } from '../../src/run/kernel-def.ts';
import type { StepProgram } from '../../src/run/program.ts';
import type { ParityReport } from './rng-parity.ts';

/**
 * A whole step program on the WebGPU executor vs the CPU executor (the twins): `steps` steps from a
 * fresh start, then every buffer compared — u32 buffers (env counters, episode logs, Adam step
 * counts, the clock) exactly, f32 buffers within the suite's tolerance. Derived from the program,
 * so any composition of registered kernels gets the same check. `notes.episodes` counts the
 * episodes the env counters say ended (so a suite can require that updates ran).
 * Options: `relative` compares a buffer's f32 elements from the given index on relative to
 * max(1, |cpu|) (sums that grow with the run); `notes` adds notes computed from the CPU buffers.
 */
export interface ProgramParityOptions {
  chunk?: number;
  relative?: Readonly<Record<string, number>>;
  notes?(cpu: Readonly<Record<string, HostArray>>): Record<string, number>;
}

/**
 * Runs a step program `steps` steps from reset on both executors (in chunks of `chunk`, the device's
 * allocations checked first), then `compare`s them; the GPU executor is destroyed after.
 */
export async function runOnBoth<T>(ctx: GpuContext, program: StepProgram, steps: number, chunk: number, compare: (cpu: CpuExecutor, gpu: GpuExecutor) => Promise<T>): Promise<T> {
  const cpu = new CpuExecutor(program);
  const gpu = new GpuExecutor(ctx, program);
  try {
    await gpu.checkAllocations();
    cpu.reset();
    gpu.reset();
    for (let done = 0; done < steps; done += chunk) {
      const n = Math.min(chunk, steps - done);
      await cpu.chunk(n, () => {});
      await gpu.chunk(n, () => {});
    }
    await gpu.drain();
    return await compare(cpu, gpu);
  } finally {
    gpu.destroy();
  }
}

export async function programParity(ctx: GpuContext, name: string, program: StepProgram, steps: number, o: number | ProgramParityOptions = {}): Promise<ParityReport> {
  const { chunk = 100, relative = {}, notes } = typeof o === 'number' ? { chunk: o } : o;
  return runOnBoth(ctx, program, steps, chunk, async (cpu, gpu) => {
    let exactMismatches = 0,
      maxAbsError = 0,
      count = 0,
      episodes = 0;
    const cpuArrays: Record<string, HostArray> = {};
    for (const d of program.buffers) {
      const c = await cpu.read(d.name),
        g = await gpu.read(d.name);
      cpuArrays[d.name] = c;
      const relFrom = relative[d.name] ?? Infinity;
      for (let i = 0; i < c.length; i++, count++) {
        if (d.type === 'u32') exactMismatches += c[i] === g[i] ? 0 : 1;
        else maxAbsError = Math.max(maxAbsError, Math.abs(c[i]! - g[i]!) / (i >= relFrom ? Math.max(1, Math.abs(c[i]!)) : 1));
      }
      if (d.name === 'env.counters') {
        const E = c.length / 5;
        for (let e = 0; e < E; e++) episodes += c[E + e]! - 1;
      }
    }
    return { name, count, exactMismatches, maxAbsError, notes: { episodes, ...notes?.(cpuArrays) } };
  });
}

/** How a stepwise comparison treats particular buffers. */
export interface StepwiseOptions {
  /** Buffers left out (e.g. reduced in place on the device, where the twin keeps its inputs). */
  skip?: readonly string[];
  /** f32 buffers compared relative to max(1, |cpu|) instead of absolutely. */
  relative?: readonly string[];
  /** Buffers holding mixed words (a metrics log): compared by the suite, returning its tally. */
  compare?: Readonly<Record<string, (cpu: HostArray, gpu: HostArray) => { count: number; exactMismatches: number; maxAbsError: number }>>;
  /**
   * After each step: how many discrete differences of this step are knife-edge (a reward decided
   * by a loss change smaller than the two backends' float difference). A step with knife-edge
   * differences does not count its exact mismatches; both sides go on from the device's state.
   */
  knifeEdge?: (before: Record<string, HostArray>, cpu: Record<string, HostArray>, gpu: Record<string, HostArray>) => number;
  /** Extra notes from the device's buffers after the last step (e.g. that updates ran). */
  notes?: (gpu: Record<string, HostArray>) => Record<string, number>;
}

/**
 * A step program on both executors one step at a time: after every step all buffers are compared
 * (u32 exactly, f32 within the suite's tolerance, as programParity) and the CPU executor then takes
 * the device's buffers, so each step starts both sides from the same bits. On a hardware GPU,
 * where fused multiply-adds and transcendental functions differ in the last bits, this keeps one
 * near-tie from making the runs part for good; on SwiftShader nothing needs resyncing.
 */
export async function stepwiseProgramParity(ctx: GpuContext, name: string, program: StepProgram, steps: number, o: StepwiseOptions = {}): Promise<ParityReport> {
  const cpu = new CpuExecutor(program);
  const gpu = new GpuExecutor(ctx, program);
  const compared = program.buffers.filter((d) => !d.constant && !o.skip?.includes(d.name));
  const synced = program.buffers.filter((d) => !d.constant);
  let count = 0,
    exactMismatches = 0,
    maxAbsError = 0,
    knifeEdge = 0;
  try {
    await gpu.checkAllocations();
    cpu.reset();
    gpu.reset();
    let before: Record<string, HostArray> = {};
    for (const d of synced) before[d.name] = await cpu.read(d.name);
    // s = -1: the reset ops alone (a chunk of no steps); then one step at a time.
    for (let s = -1; s < steps; s++) {
      const n = s < 0 ? 0 : 1;
      await cpu.chunk(n, () => {});
      await gpu.chunk(n, () => {});
      await gpu.drain();
      const c: Record<string, HostArray> = {},
        g: Record<string, HostArray> = {};
      for (const d of synced) [c[d.name], g[d.name]] = [await cpu.read(d.name), await gpu.read(d.name)];
      const knife = s < 0 ? 0 : (o.knifeEdge?.(before, c, g) ?? 0);
      knifeEdge += knife;
      for (const d of compared) {
        const a = c[d.name]!,
          b = g[d.name]!;
        const own = o.compare?.[d.name];
        if (own) {
          const t = own(a, b);
          count += t.count;
          if (!knife) exactMismatches += t.exactMismatches;
          maxAbsError = Math.max(maxAbsError, t.maxAbsError);
          continue;
        }
        const rel = o.relative?.includes(d.name);
        for (let i = 0; i < a.length; i++, count++) {
          if (d.type === 'u32') exactMismatches += a[i] === b[i] || knife ? 0 : 1;
          else maxAbsError = Math.max(maxAbsError, Math.abs(a[i]! - b[i]!) / (rel ? Math.max(1, Math.abs(a[i]!)) : 1));
        }
      }
      for (const d of synced) cpu.write(d.name, g[d.name]!);
      before = g;
    }
    return { name, count, exactMismatches, maxAbsError, notes: { knifeEdge, ...o.notes?.(before) } };
  } finally {
    gpu.destroy();
  }
}
