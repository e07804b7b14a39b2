import type { GpuContext } from '../../src/gpu/context.ts';
import { CARTPOLE_REINFORCE_DEFAULTS } from '../../src/learners/cartpole-reinforce/config.ts';
import { CartpoleReinforceCpuRunner } from '../../src/learners/cartpole-reinforce/cpu-runner.ts';
import { CartpoleReinforceGpuRunner } from '../../src/learners/cartpole-reinforce/gpu-runner.ts';
import type { ParityReport } from './rng-parity.ts';

/**
 * The whole CartPole REINFORCE step (spike layers, env, record, per-neuron update with Adam) on the
 * GPU vs its CPU twin for `steps` steps: the episode log (counts and returns) must match exactly and
 * every neuron's theta within tolerance. Short enough that no knife-edge spike flips the runs apart.
 */
export async function learnerParity(ctx: GpuContext, steps = 400, replicas = 6): Promise<ParityReport> {
  const config = { ...CARTPOLE_REINFORCE_DEFAULTS, replicas, seed: 11 };
  const cpu = new CartpoleReinforceCpuRunner(config);
  const gpu = new CartpoleReinforceGpuRunner(ctx, config);
  try {
    const enc = ctx.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    gpu.encodeReset(pass);
    gpu.encodeSteps(pass, steps);
    pass.end();
    ctx.device.queue.submit([enc.finish()]);
    cpu.steps(steps);
    let exactMismatches = 0, maxAbsError = 0, count = 0;
    const gm = await gpu.readMetrics();
    for (let i = 0; i < gm.length; i++, count++) if (gm[i] !== cpu.metrics[i]) exactMismatches++;
    for (let l = 0; l < cpu.theta.length; l++) {
      const gt = await gpu.readTheta(l);
      for (let i = 0; i < gt.length; i++, count++) maxAbsError = Math.max(maxAbsError, Math.abs(gt[i]! - cpu.theta[l]![i]!));
    }
    const episodes = Array.from(cpu.metrics.subarray(0, replicas)).reduce((a, b) => a + b, 0);
    return { name: 'cartpole-reinforce step', count, exactMismatches, maxAbsError, notes: { episodes } };
  } finally {
    gpu.destroy();
  }
}
