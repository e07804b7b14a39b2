import { ENVS } from '../envs/registry.ts';
import { runPass } from '../gpu/kernel.ts';
import { resolveOttConfig, type OttConfig } from '../ott/config.ts';
import { ottNetwork } from '../ott/network.ts';
import { ottFusedProgram } from '../kernels/ott-fused.ts';
import { ottProgram } from '../rules/ott.ts';
import { CpuExecutor } from '../run/executor-cpu.ts';
import { GpuExecutor } from '../run/executor-gpu.ts';
import type { BenchSuite } from './harness.ts';

/** A reset executor of the Ott step program on CartPole. */
function ottCpu(c: OttConfig): CpuExecutor {
  const exec = new CpuExecutor(ottProgram(ottNetwork(c), ENVS.cartpole));
  exec.reset();
  return exec;
}

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
 * which work only for replicas whose episode just ended; src/rules/ott.ts's step program on the
 * GPU executor) against the CPU executor's step (the twins), from a reset
 * untrained network ('all' rewards, the paper's MLP). Items are neuron-decisions (R x N per
 * step); env-steps/s = items/s / N and episodes/s = env-steps/s / mean episode length (about 22
 * steps + 1 autoreset step for the untrained network). `fused`: the WebGPU side runs the fused
 * step instead (src/kernels/ott-fused.ts, shaders/ott-fused-cartpole.wgsl: one dispatch per step,
 * one invocation per replica), the CPU side the same twins.
 */
function ottSuite(layers: number, form: 'ops' | 'fused' = 'ops'): BenchSuite {
  return {
    name: form === 'fused' ? `ott-fused-${layers}-layer` : `ott-${layers}-layer`,
    unit: 'neuron-decisions',
    async setup(ctx, size, o) {
      const R = ottBenchReplicas(size, o.quick);
      const c = resolveOttConfig({ replicas: R, layers, seed: 5, minEpisodes: 1_000_000, maxEpisodes: 1_000_000 });
      const net = ottNetwork(c);
      const ops = ottProgram(net, ENVS.cartpole);
      const gpu = new GpuExecutor(ctx, form === 'fused' ? ottFusedProgram(ops).program : ops);
      gpu.reset();
      await runPass(ctx, 'ott:reset', (pass) => gpu.encode(pass, 0));
      await gpu.checkAllocations();
      const cpu = ottCpu(c);
      const N = net.N;
      // Episodes finished per env step, counted on a calibration run of the same untrained network
      // (the bench's steps are as short as an untrained network's episodes).
      const Rc = Math.min(R, 32);
      const calib = ottCpu(resolveOttConfig({ ...c, replicas: Rc }));
      calib.run(400);
      const episodes = Array.from((calib.arrays.episodeLog as Uint32Array).subarray(0, Rc)).reduce((a, b) => a + b, 0);
      const episodesPerEnvStep = episodes / (400 * Rc);
      return {
        config: { replicas: R, layers, neurons: N, policy: c.policy, hiddenUnits: c.hiddenUnits, paramsPerNeuron: net.P, form },
        itemsPerStep: R * N,
        // the forward pass reads each neuron's connected weights once (MLP: H*(fanIn+3)+2 floats);
        // signals, rewards and the idle update kernels are small beside it
        bytesPerStep: R * 4 * Array.from(net.w.fanInCount).reduce((a, k) => a + (c.policy === 'mlp' ? c.hiddenUnits * (k + 3) + 2 : k + 1), 0),
        encode: (pass) => gpu.encode(pass, 1),
        cpuItems: R * N,
        cpuStep: () => cpu.run(1),
        secondary: { unit: 'episodes', perStep: R * episodesPerEnvStep, how: `R x ${episodesPerEnvStep.toFixed(4)} episodes per env step, counted over 400 steps of the untrained network` },
        destroy: () => gpu.destroy(),
      };
    },
  };
}

export const ottBenches: BenchSuite[] = [ottSuite(1), ottSuite(1, 'fused'), ottSuite(5), ottSuite(5, 'fused')];
