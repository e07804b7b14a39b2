import type { GpuContext } from '../gpu/context.ts';
import { defaultWorkers } from '../run/cpu-workers.ts';
import { CpuExecutor } from '../run/executor-cpu.ts';
import { GpuExecutor } from '../run/executor-gpu.ts';
import type { Executor } from '../run/executor.ts';
import { runLoop, type LoopOptions, type LoopResult } from '../run/loop.ts';
import type { Model } from '../run/model.ts';
import { buildModel } from './build.ts';
import type { BuildInputs } from './rules.ts';
import type { Experiment } from './schema.ts';

/** Which backend runs, and why (the summary says both). */
export interface BackendChoice {
  backend: 'webgpu' | 'cpu';
  reason: string;
}

/**
 * Resolve `run.backend`: 'auto' runs the CPU twins on a software (fallback) adapter such as
 * SwiftShader, where they are several times faster, and WebGPU on a hardware adapter.
 */
export function chooseBackend(requested: Experiment['run']['backend'], ctx: GpuContext | undefined, gpuError?: string): BackendChoice {
  if (requested === 'cpu') return { backend: 'cpu', reason: 'run.backend is cpu' };
  if (requested === 'webgpu') {
    if (!ctx) throw new Error(`run.backend is webgpu but no WebGPU device could be made${gpuError ? ` (${gpuError})` : ''}`);
    return { backend: 'webgpu', reason: 'run.backend is webgpu' };
  }
  if (!ctx) return { backend: 'cpu', reason: `auto: no WebGPU device${gpuError ? ` (${gpuError})` : ''}` };
  if (!ctx.hardwareAdapter) return { backend: 'cpu', reason: `auto: ${ctx.adapterName()} is a software adapter, where the CPU twins are faster` };
  return { backend: 'webgpu', reason: `auto: ${ctx.adapterName()} is a hardware adapter` };
}

/** What trainExperiment and run return: the loop's result with the experiment it ran and why that backend. */
export interface TrainResult extends LoopResult<object> {
  experiment: Experiment;
  backendReason: string;
}

/** Train one experiment on the chosen backend through the one loop (`inputs`: its datasets when not read from files). */
export async function trainExperiment(x: Experiment, o: LoopOptions & { ctx?: GpuContext; choice?: BackendChoice; model?: Model; inputs?: Partial<BuildInputs> } = {}): Promise<TrainResult> {
  const choice = o.choice ?? chooseBackend(x.run.backend, o.ctx);
  const model = o.model ?? buildModel(x, o.inputs);
  let exec: Executor;
  if (choice.backend === 'webgpu') {
    const g = new GpuExecutor(o.ctx!, model.program);
    await g.checkAllocations().catch((e) => {
      g.destroy();
      throw e;
    });
    exec = g;
  } else exec = new CpuExecutor(model.program, { workers: x.run.workers || defaultWorkers(), experiment: x });
  try {
    const r = await runLoop(model, exec, { ...o, experiment: o.experiment ?? x });
    return { ...r, experiment: x, backendReason: choice.reason };
  } finally {
    exec.destroy();
  }
}
