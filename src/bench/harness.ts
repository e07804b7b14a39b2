import type { GpuContext } from '../gpu/context.ts';

/** One measured configuration: the WebGPU path and the CPU twin on the same work, in the same run. */
export interface BenchEntry {
  suite: string;
  config: Record<string, number | string>;
  /** Work items per step (agent-steps, synapse-updates, ...), named by `unit`. */
  itemsPerStep: number;
  unit: string;
  gpu: { secondsPerStep: number; itemsPerSecond: number; steps: number };
  cpu: { secondsPerStep: number; itemsPerSecond: number; steps: number };
  /** gpu.itemsPerSecond / cpu.itemsPerSecond */
  gpuOverCpu: number;
  extra?: Record<string, number>;
}

export interface BenchSuite {
  name: string;
  run(ctx: GpuContext, o: { quick: boolean; log: (s: string) => void }): Promise<BenchEntry[]>;
}

/** Time `step` on the CPU: repeat until at least `minSeconds` pass (and at least once). */
export function timeCpu(step: () => void, minSeconds = 1): { secondsPerStep: number; steps: number } {
  step(); // warm-up (JIT)
  let steps = 0;
  const t0 = performance.now();
  do {
    step();
    steps++;
  } while ((performance.now() - t0) / 1000 < minSeconds);
  return { secondsPerStep: (performance.now() - t0) / 1000 / steps, steps };
}

/**
 * Time a GPU step: `encode(pass)` records one step; `steps` of them go into one submit, timed to
 * onSubmittedWorkDone, after one warm-up submit (pipeline compiles).
 */
export async function timeGpu(ctx: GpuContext, encode: (pass: GPUComputePassEncoder) => void, steps: number): Promise<{ secondsPerStep: number; steps: number }> {
  const submit = (n: number) => {
    const enc = ctx.device.createCommandEncoder({ label: 'bench' });
    const pass = enc.beginComputePass();
    for (let i = 0; i < n; i++) encode(pass);
    pass.end();
    ctx.device.queue.submit([enc.finish()]);
  };
  submit(1);
  await ctx.idle();
  const t0 = performance.now();
  submit(steps);
  await ctx.idle();
  return { secondsPerStep: (performance.now() - t0) / 1000 / steps, steps };
}

export function entry(suite: string, config: BenchEntry['config'], itemsPerStep: number, unit: string, gpu: { secondsPerStep: number; steps: number }, cpu: { secondsPerStep: number; steps: number }, extra?: Record<string, number>): BenchEntry {
  const g = { ...gpu, itemsPerSecond: itemsPerStep / gpu.secondsPerStep };
  const c = { ...cpu, itemsPerSecond: itemsPerStep / cpu.secondsPerStep };
  return { suite, config, itemsPerStep, unit, gpu: g, cpu: c, gpuOverCpu: g.itemsPerSecond / c.itemsPerSecond, extra };
}
