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

export async function programParity(ctx: GpuContext, name: string, program: StepProgram, steps: number, o: number | ProgramParityOptions = {}): Promise<ParityReport> {
  const { chunk = 100, relative = {}, notes } = typeof o === 'number' ? { chunk: o } : o;
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
    let exactMismatches = 0, maxAbsError = 0, count = 0, episodes = 0;
    const cpuArrays: Record<string, HostArray> = {};
    for (const d of program.buffers) {
      const c = await cpu.read(d.name), g = await gpu.read(d.name);
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
  } finally {
    gpu.destroy();
  }
}
