import type { GpuContext } from '../../src/gpu/context.ts';
import { CpuExecutor } from '../../src/run/executor-cpu.ts';
import { GpuExecutor } from '../../src/run/executor-gpu.ts';
import type { StepProgram } from '../../src/run/program.ts';

/**
 * The two executors of a host-driven env parity suite (mountain-car-parity.ts, chemotaxis-parity.ts)
 * over one program whose observations go to rows of `obs` (stride, offset, dim): `step(n)` runs
 * both, `compare()` adds the env's state, observations, counters and rewards to the tally —
 * `env.state`, the observation slot and, with `rewardTolerance`, `env.reward` within tolerance
 * (max |gpu - cpu|), everything else (counters, the obs words outside the slot) exactly.
 */
export function envParityPair(ctx: GpuContext, program: StepProgram, obs: { stride: number; offset: number; dim: number }, rewardTolerance = false) {
  const cpu = new CpuExecutor(program);
  const gpu = new GpuExecutor(ctx, program);
  const tally = { exactMismatches: 0, maxAbsError: 0, count: 0 };
  return {
    cpu,
    gpu,
    tally,
    /** Allocate, reset both, and compare the first observations. */
    async start(): Promise<void> {
      await gpu.checkAllocations();
      cpu.reset();
      gpu.reset();
      await this.step(0);
      await this.compare();
    },
    async step(n: number): Promise<void> {
      for (const x of [cpu, gpu]) {
        await x.chunk(n, () => {});
        await x.drain();
      }
    },
    async compare(): Promise<void> {
      for (const name of ['env.state', 'obs', 'env.counters', 'env.reward']) {
        const g = await gpu.read(name),
          c = await cpu.read(name);
        for (let i = 0; i < c.length; i++) {
          const float = name === 'env.state' || (rewardTolerance && name === 'env.reward') || (name === 'obs' && i % obs.stride >= obs.offset && i % obs.stride < obs.offset + obs.dim);
          if (float) tally.maxAbsError = Math.max(tally.maxAbsError, Math.abs(g[i]! - c[i]!));
          else if (g[i] !== c[i]) tally.exactMismatches++;
        }
        tally.count += c.length;
      }
    },
    destroy(): void {
      gpu.destroy();
      cpu.destroy();
    },
  };
}
