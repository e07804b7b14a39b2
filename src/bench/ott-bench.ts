import { runPass } from '../gpu/kernel.ts';
import { resolveOttConfig } from '../ott/config.ts';
import { OttCpuRunner } from '../ott/cpu-runner.ts';
import { OttGpuRunner } from '../ott/gpu-runner.ts';
import type { BenchSuite } from './harness.ts';

/**
 * Replicas an Ott bench case runs for a harness size: R = 10 at the smallest size and 1000 at the
 * larger ones (the R = 10 and R = 1000; 2^22 repeats 1000); --quick: 10, 30, 100.
 */
export function ottBenchReplicas(size: number, quick: boolean): number {
  if (quick) return size <= 1 << 12 ? 10 : size <= 1 << 14 ? 30 : 100;
  return size <= 1 << 16 ? 10 : 1000;
}

/**
 * One whole Ott training step (shaders/ott-*.wgsl: step-begin, MLP forward per layer, record,
 * CartPole, rewards, per-replica bookkeeping, and the returns/gradient/Adam/episode-end kernels,
 * which work only for replicas whose episode just ended) against OttCpuRunner.step, from a reset
 * untrained network ('all' rewards, the paper's MLP). Items are neuron-decisions (R x N per
 * step); env-steps/s = items/s / N and episodes/s = env-steps/s / mean episode length (about 22
 * steps + 1 autoreset step for the untrained network).
 */
function ottSuite(layers: number): BenchSuite {
  return {
    name: `ott-${layers}-layer`,
    unit: 'neuron-decisions',
    async setup(ctx, size, o) {
      const R = ottBenchReplicas(size, o.quick);
      const c = resolveOttConfig({ replicas: R, layers, seed: 5, minEpisodes: 1_000_000, maxEpisodes: 1_000_000 });
      const gpu = new OttGpuRunner(ctx, c);
      await runPass(ctx, 'ott:reset', (pass) => gpu.encodeReset(pass));
      await ctx.checkAllocations();
      const cpu = new OttCpuRunner(c);
      const N = gpu.net.N;
      // Episodes finished per env step, counted on a calibration run of the same untrained network
      // (the bench's steps are as short as an untrained network's episodes).
      const calib = new OttCpuRunner(resolveOttConfig({ ...c, replicas: Math.min(R, 32) }));
      let episodes = 0;
      for (let t = 0; t < 400; t++) episodes += calib.step().length;
      const episodesPerEnvStep = episodes / (400 * Math.min(R, 32));
      return {
        config: { replicas: R, layers, neurons: N, policy: c.policy, hiddenUnits: c.hiddenUnits, paramsPerNeuron: gpu.net.P },
        itemsPerStep: R * N,
        // the forward pass reads each neuron's connected weights once (MLP: H*(fanIn+3)+2 floats);
        // signals, rewards and the idle update kernels are small beside it
        bytesPerStep: R * 4 * Array.from(gpu.net.w.fanInCount).reduce((a, k) => a + (c.policy === 'mlp' ? c.hiddenUnits * (k + 3) + 2 : k + 1), 0),
        encode: (pass) => gpu.encodeSteps(pass, 1),
        cpuItems: R * N,
        cpuStep: () => void cpu.step(),
        secondary: { unit: 'episodes', perStep: R * episodesPerEnvStep, how: `R x ${episodesPerEnvStep.toFixed(4)} episodes per env step, counted over 400 steps of the untrained network` },
        destroy: () => gpu.destroy(),
      };
    },
  };
}

export const ottBenches: BenchSuite[] = [ottSuite(1), ottSuite(5)];
