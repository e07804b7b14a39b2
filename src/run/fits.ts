import type { GpuContext } from '../gpu/context.ts';
import { checkHostBudget } from './executor.ts';
import type { StepProgram } from './program.ts';

/**
 * Refuse a program that cannot fit its backend, before anything is allocated: the host budget on
 * the CPU, every buffer against the adapter's limits on WebGPU (host-only buffers count on the host).
 */
export function checkProgramFits(p: StepProgram, backend: 'cpu' | 'webgpu', ctx?: GpuContext): void {
  if (backend === 'cpu' || !ctx) return checkHostBudget(p);
  for (const d of p.buffers) ctx.checkBufferSize(Math.max(16, d.length * 4), `buffer '${d.name}'`);
}
