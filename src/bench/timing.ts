import type { GpuContext } from '../gpu/context.ts';

/** How long each measurement aims to run: long enough to average, short enough for a 10-minute suite. */
export interface TimingBudget {
  gpuSeconds: number;
  cpuSeconds: number;
  maxGpuSteps: number;
}

export const TIMING = { full: { gpuSeconds: 1, cpuSeconds: 0.5, maxGpuSteps: 2000 }, quick: { gpuSeconds: 0.05, cpuSeconds: 0.05, maxGpuSteps: 200 } } satisfies Record<string, TimingBudget>;

/** Submit `steps` copies of `encode` in one compute pass and one submit; resolves when the queue is idle. */
async function submitSteps(ctx: GpuContext, encode: (pass: GPUComputePassEncoder) => void, steps: number): Promise<number> {
  const t0 = performance.now();
  const enc = ctx.device.createCommandEncoder({ label: 'bench' });
  const pass = enc.beginComputePass({ label: 'bench' });
  for (let i = 0; i < steps; i++) encode(pass);
  pass.end();
  ctx.device.queue.submit([enc.finish()]);
  await ctx.idle();
  return (performance.now() - t0) / 1000;
}

/**
 * Time a GPU step. A first submit of one step compiles the pipelines and estimates the step; then
 * as many steps as fit in `budget.gpuSeconds / trials` go into one submit, timed to
 * onSubmittedWorkDone, `trials` times; the fastest trial counts (best-of suits a roofline, which
 * should bound what the adapter can do; one trial suits a kernel, whose mean over steps counts).
 * When one step alone exceeds the budget (2^22 on a software adapter), a single step per trial.
 */
export async function timeGpu(ctx: GpuContext, encode: (pass: GPUComputePassEncoder) => void, budget: TimingBudget, trials = 1): Promise<{ secondsPerStep: number; steps: number }> {
  const first = await submitSteps(ctx, encode, 1);
  const steps = Math.max(1, Math.min(budget.maxGpuSteps, Math.floor(budget.gpuSeconds / trials / Math.max(first, 1e-6))));
  let best = Infinity;
  for (let i = 0; i < trials; i++) best = Math.min(best, (await submitSteps(ctx, encode, steps)) / steps);
  return { secondsPerStep: best, steps };
}

/**
 * Time a CPU step: the first call warms the JIT and estimates; if it already took the budget it is
 * the measurement (a second multi-second step would add little), else steps repeat until the
 * budget passes and the mean of those counts.
 */
export function timeCpu(step: () => void, budgetSeconds: number): { secondsPerStep: number; steps: number } {
  let t0 = performance.now();
  step();
  const first = (performance.now() - t0) / 1000;
  if (first >= budgetSeconds) return { secondsPerStep: first, steps: 1 };
  let steps = 0;
  t0 = performance.now();
  do {
    step();
    steps++;
  } while ((performance.now() - t0) / 1000 < budgetSeconds);
  return { secondsPerStep: (performance.now() - t0) / 1000 / steps, steps };
}
