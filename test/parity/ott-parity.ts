import type { GpuContext } from '../../src/gpu/context.ts';
import { resolveOttConfig, type OttConfig } from '../../src/ott/config.ts';
import { OttCpuRunner } from '../../src/ott/cpu-runner.ts';
import { OttGpuRunner } from '../../src/ott/gpu-runner.ts';
import { OTT_LOG_CAP, RS } from '../../src/ott/network.ts';
import { OTT_TERM_COUNT } from '../../src/ott/rewards.ts';
import { rngUniform, Stream } from '../../src/rng/counter-rng.ts';
import type { ParityReport } from './rng-parity.ts';

/** What each Ott parity entry checks after the same steps on both sides. */
export type OttParityPart = 'forward' | 'rewards' | 'returns' | 'grad' | 'adam' | 'step';

/**
 * Runs the Ott step (shaders/ott-*.wgsl via OttGpuRunner) and its CPU twin (OttCpuRunner) for
 * `steps` steps from the same seed and compares the outputs of one group of kernels:
 * - forward: spikes (exact; draws within 1e-5 of P(spike) counted as knife-edge), P(spike) (float);
 * - rewards: layer fractions and the trace's spike counts (exact), the five terms and the
 *   combined learning reward (float);
 * - returns: standardised returns (float), grad: per-neuron episode gradients (relative to
 *   max(1, |g|)), adam: parameters and both moments (float);
 * - step: per-replica state (exact), the episode log (episode, return, steps, end exact; window
 *   mean, firing and term means float).
 * The run is short and its episodes end (so every update kernel has worked) before a knife-edge
 * draw could set the two apart.
 */
export async function ottParity(ctx: GpuContext, part: OttParityPart, overrides: Partial<OttConfig> = {}, steps = 300): Promise<ParityReport> {
  const c = resolveOttConfig({
    seed: 21, replicas: 6, layers: 2, neuronsPerLayer: 5, replicaRewardModes: ['all', 'task', 'bio', 'bio_then_all', 'all', 'bio'],
    bioEpisodes: 3, minEpisodes: 2, solveThreshold: 12, solveWindow: 3, maxEpisodes: 8, ...overrides,
  });
  const cpu = new OttCpuRunner(c);
  const gpu = new OttGpuRunner(ctx, c);
  const { R, N, S, NL } = cpu.net;
  try {
    const enc = ctx.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    gpu.encodeReset(pass);
    gpu.encodeSteps(pass, steps);
    pass.end();
    ctx.device.queue.submit([enc.finish()]);
    let episodes = 0;
    for (let s = 0; s < steps; s++) episodes += cpu.step().length;
    let count = 0, exactMismatches = 0, maxAbsError = 0, knifeEdge = 0;
    const exact = (g: ArrayLike<number>, h: ArrayLike<number>, from = 0, to = h.length) => {
      for (let i = from; i < to; i++, count++) if (g[i] !== h[i]) exactMismatches++;
    };
    const close = (g: ArrayLike<number>, h: ArrayLike<number>, relative = false) => {
      for (let i = 0; i < h.length; i++, count++) {
        const d = Math.abs(g[i]! - h[i]!) / (relative ? Math.max(1, Math.abs(h[i]!)) : 1);
        maxAbsError = Math.max(maxAbsError, Number.isNaN(d) ? Infinity : d);
      }
    };
    if (part === 'forward') {
      const sig = await gpu.readF32('signals');
      const probs = await gpu.readF32('probs');
      const rs = await gpu.readU32('rs');
      for (let r = 0; r < R; r++) {
        for (let n = 0; n < N; n++, count++) {
          const i = r * S + 4 + n;
          if (sig[i] === cpu.signals[i]) continue;
          // the spike was drawn at the step the replica was last active; count near-ties
          const p = cpu.probs[r * N + n]!;
          let edge = false;
          for (let t = Math.max(0, steps - 3); t < steps; t++) if (Math.abs(rngUniform(c.seed, Stream.spike, r * N + n, t) - p) < 1e-5) edge = true;
          if (edge) knifeEdge++;
          else exactMismatches++;
        }
        void rs;
      }
      close(probs, cpu.probs);
    } else if (part === 'rewards') {
      exact(await gpu.readF32('fractions'), cpu.fractions);
      const terms = await gpu.readF32('terms');
      const RN = R * N;
      const cpuTerms = new Float32Array((OTT_TERM_COUNT + 1) * RN);
      cpu.terms.forEach((t, k) => cpuTerms.set(t, k * RN));
      cpuTerms.set(cpu.fireCount, OTT_TERM_COUNT * RN);
      exact(terms, cpuTerms, OTT_TERM_COUNT * RN);
      close(terms.subarray(0, OTT_TERM_COUNT * RN), cpuTerms.subarray(0, OTT_TERM_COUNT * RN));
    } else if (part === 'returns') {
      close(await gpu.readF32('rewardHist'), cpu.rewardHist);
    } else if (part === 'grad') {
      close(await gpu.readF32('grads'), cpu.grads, true);
    } else if (part === 'adam') {
      close(await gpu.readF32('theta'), cpu.params);
      close(await gpu.readF32('m'), cpu.adamM);
      close(await gpu.readF32('v'), cpu.adamV);
    } else {
      exact(await gpu.readU32('rs'), cpu.rs);
      const log = await gpu.readU32('log');
      exact(log, cpu.log, 0, R);
      const lf = new Float32Array(log.buffer);
      const cf = new Float32Array(cpu.log.buffer);
      const W = cpu.net.recWidth;
      for (let r = 0; r < R; r++) {
        for (let e = 0; e < Math.min(cpu.log[r]!, OTT_LOG_CAP); e++) {
          const b = R + (r * OTT_LOG_CAP + e) * W;
          exact(lf, cf, b, b + 3);
          exact(lf, cf, b + 4, b + 5);
          close(lf.subarray(b + 3, b + 4), cf.subarray(b + 3, b + 4));
          close(lf.subarray(b + 5, b + W), cf.subarray(b + 5, b + W));
        }
      }
    }
    const learned = Array.from({ length: R }, (_, r) => cpu.rs[RS.adamT * R + r]!);
    return {
      name: `ott ${part}`,
      count,
      exactMismatches,
      maxAbsError,
      notes: { knifeEdge, episodes, minUpdates: Math.min(...learned), finished: Array.from({ length: R }, (_, r) => cpu.rs[RS.finished * R + r]!).reduce((a, b) => a + b, 0), layersWithNeurons: NL },
    };
  } finally {
    gpu.destroy();
  }
}
