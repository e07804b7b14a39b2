import type { Slot } from '../../src/envs/cartpole-gpu.ts';
import { envOps, type EnvDef } from '../../src/envs/registry.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { rngU32, Stream } from '../../src/rng/counter-rng.ts';
import { CpuExecutor } from '../../src/run/executor-cpu.ts';
import { GpuExecutor } from '../../src/run/executor-gpu.ts';
import type { StepProgram } from '../../src/run/program.ts';

/** What the words of `obs` outside the observation slot start as (and must stay). */
export const SENTINEL = -7;

/** Whether an env suite throws env e to a random state before step s: the even envs, every 10 steps, with probability 1/2. */
export const thrownAt = (e: number, s: number): boolean => e % 2 === 0 && s % 10 === 0 && (rngU32(7, Stream.test, e, s) & 1) === 1;

/**
 * The two executors of a host-driven env parity suite (mountain-car-parity.ts, chemotaxis-parity.ts)
 * over a program of the env's ops alone (`envOps`, E envs, reset `seed`), whose actions are read
 * from rows of the host-written buffer `act` at `actSlot` and whose observations go to rows of `obs`
 * at `obsSlot` (its other words SENTINEL): `step(n)` runs both, `compare()` adds the env's state,
 * observations, counters and rewards to the tally — `env.state`, the observation slot and, with
 * `rewardTolerance`, `env.reward` within tolerance (max |gpu - cpu|), everything else (counters,
 * the obs words outside the slot) exactly.
 */
export function envParityPair(ctx: GpuContext, env: EnvDef, E: number, seed: number, actSlot: Slot, obsSlot: Slot, rewardTolerance = false) {
  const ops = envOps(env, E, seed, { act: 'act', actSlot, obs: 'obs', obsSlot, resetObs: 'obs' });
  const program: StepProgram = {
    buffers: [
      ...ops.buffers,
      { name: 'act', type: 'f32', length: E * actSlot.stride },
      { name: 'obs', type: 'f32', length: E * obsSlot.stride, init: new Float32Array(E * obsSlot.stride).fill(SENTINEL) },
    ],
    reset: [ops.reset],
    step: [ops.step],
    metrics: 'env.counters',
  };
  const obs = { ...obsSlot, dim: env.obsDim };
  const cpu = new CpuExecutor(program);
  const gpu = new GpuExecutor(ctx, program);
  const tally = { exactMismatches: 0, maxAbsError: 0, count: 0 };
  return {
    cpu,
    gpu,
    tally,
    /** The host's action rows (E x actSlot.stride), for the suite to fill before each `write`. */
    act: new Float32Array(E * actSlot.stride),
    /** Allocate, reset both, and compare the first observations. */
    async start(): Promise<void> {
      await gpu.checkAllocations();
      cpu.reset();
      gpu.reset();
      await this.step(0);
      await this.compare();
    },
    /** Before a step: both sides get `state` (the twin's, some envs thrown) and the action rows `act`. */
    write(state: Float32Array, act: Float32Array): void {
      for (const x of [cpu, gpu]) {
        x.write('env.state', state);
        x.write('act', act);
      }
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
