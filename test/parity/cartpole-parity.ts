import { CartPoleCpu } from '../../src/envs/cartpole.ts';
import { CartPoleGpu } from '../../src/envs/cartpole-gpu.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { rngU32, Stream } from '../../src/rng/counter-rng.ts';
import type { ParityReport } from './rng-parity.ts';

/**
 * CartPole GPU vs CPU twin: `steps` steps from the same seed with the same random actions
 * (episodes end and autoreset along the way). Flags, counters and rewards must match exactly,
 * the state within the float tolerance of one step.
 *
 * After each comparison the device state is set to the twin's, so every step starts from the same
 * floats. Without that, last-bit differences (a hardware GPU contracts a*b+c into one fma and
 * divides in fewer correctly rounded steps than JavaScript) grow through the dynamics: on an H100
 * the free-running state drifted to 3.1e-4 after 500 steps, while SwiftShader stayed within 1e-5.
 */
export async function cartpoleParity(ctx: GpuContext, numEnvs = 256, steps = 500): Promise<ParityReport> {
  const gpu = new CartPoleGpu(ctx, numEnvs);
  const cpu = new CartPoleCpu(numEnvs);
  let exactMismatches = 0,
    maxAbsError = 0,
    count = 0,
    episodesEnded = 0;
  try {
    const g0 = await gpu.reset(31337);
    const c0 = cpu.reset(31337);
    for (let i = 0; i < g0.length; i++) maxAbsError = Math.max(maxAbsError, Math.abs(g0[i]! - c0[i]!));
    const actions = new Float32Array(numEnvs);
    // Readbacks every step are fine here: this is a test, not a training loop.
    for (let s = 0; s < steps; s++) {
      for (let e = 0; e < numEnvs; e++) actions[e] = rngU32(5, Stream.test, e, s) & 1;
      const g = await gpu.step(actions);
      cpu.step(actions);
      for (let e = 0; e < numEnvs; e++) {
        for (const [a, b] of [
          [g.x, cpu.x],
          [g.xDot, cpu.xDot],
          [g.theta, cpu.theta],
          [g.thetaDot, cpu.thetaDot],
        ] as const) {
          maxAbsError = Math.max(maxAbsError, Math.abs(a[e]! - b[e]!));
        }
        for (const [a, b] of [
          [g.steps, cpu.steps],
          [g.episodes, cpu.episodes],
          [g.terminated, cpu.terminated],
          [g.truncated, cpu.truncated],
          [g.reward, cpu.reward],
        ] as const) {
          if (a[e] !== b[e]) exactMismatches++;
        }
        episodesEnded += cpu.terminated[e]! | cpu.truncated[e]!;
        count += 9;
      }
      gpu.setState(cpu.observations());
    }
  } finally {
    gpu.destroy();
  }
  return { name: 'cartpole-step', count, exactMismatches, maxAbsError, notes: { episodesEnded } };
}
