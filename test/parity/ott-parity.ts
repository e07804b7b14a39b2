import { buildModel } from '../../src/experiment/build.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { resolveOttConfig, type OttConfig } from '../../src/ott/config.ts';
import { OTT_LOG_CAP, RS } from '../../src/ott/network.ts';
import { OTT_TERM_COUNT } from '../../src/ott/rewards.ts';
import { rngUniform, Stream } from '../../src/rng/counter-rng.ts';
import { ottExperiment } from '../../src/rules/ott.ts';
import { runOnBoth } from './program-parity.ts';
import type { ParityReport } from './rng-parity.ts';

/** What each Ott parity entry checks after the same steps on both sides. */
export type OttParityPart = 'forward' | 'rewards' | 'returns' | 'grad' | 'adam' | 'step';

/** The Ott parity suites' network: 6 replicas of 2 x 5 hidden + 1, one reward mode per replica, short protocol (episodes end, replicas finish). */
export function ottParityConfig(overrides: Partial<OttConfig> = {}): OttConfig {
  return resolveOttConfig({
    seed: 21,
    replicas: 6,
    layers: 2,
    neuronsPerLayer: 5,
    replicaRewardModes: ['all', 'task', 'bio', 'bio_then_all', 'all', 'bio'],
    bioEpisodes: 3,
    minEpisodes: 2,
    solveThreshold: 12,
    solveWindow: 3,
    maxEpisodes: 8,
    ...overrides,
  });
}

/**
 * Runs one Ott step program (src/rules/ott.ts) on the GPU executor (shaders/ott-*.wgsl) and on the
 * CPU executor (the twins) for `steps` steps from the same seed, reads every buffer back and
 * compares the outputs of one group of kernels:
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
  const c = ottParityConfig(overrides);
  const model = buildModel(ottExperiment(c));
  const R = c.replicas,
    N = c.layers * c.neuronsPerLayer + 1,
    S = 4 + N,
    NL = c.layers + 1;
  return runOnBoth(ctx, model.program, steps, steps, async (cpuExec, gpu) => {
    const cpu: Record<string, Float32Array | Uint32Array> = {};
    const dev: Record<string, Float32Array | Uint32Array> = {};
    for (const d of model.program.buffers) {
      cpu[d.name] = (await cpuExec.read(d.name)) as Float32Array | Uint32Array;
      dev[d.name] = (await gpu.read(d.name)) as Float32Array | Uint32Array;
    }
    const cf = (n: string) => cpu[n] as Float32Array,
      cu = (n: string) => cpu[n] as Uint32Array;
    const gf = (n: string) => dev[n] as Float32Array,
      gu = (n: string) => dev[n] as Uint32Array;
    const episodes = Array.from(cu('episodeLog').subarray(0, R)).reduce((a, b) => a + b, 0);
    let count = 0,
      exactMismatches = 0,
      maxAbsError = 0,
      knifeEdge = 0;
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
      const sig = gf('signals');
      for (let r = 0; r < R; r++) {
        for (let n = 0; n < N; n++, count++) {
          const i = r * S + 4 + n;
          if (sig[i] === cf('signals')[i]) continue;
          // the spike was drawn at the step the replica was last active; count near-ties
          const p = cf('probs')[r * N + n]!;
          let edge = false;
          for (let t = Math.max(0, steps - 3); t < steps; t++) if (Math.abs(rngUniform(c.seed, Stream.spike, r * N + n, t) - p) < 1e-5) edge = true;
          if (edge) knifeEdge++;
          else exactMismatches++;
        }
      }
      close(gf('probs'), cf('probs'));
    } else if (part === 'rewards') {
      exact(gf('fractions'), cf('fractions'));
      const RN = R * N;
      const terms = gf('terms'),
        cpuTerms = cf('terms');
      exact(terms, cpuTerms, OTT_TERM_COUNT * RN);
      close(terms.subarray(0, OTT_TERM_COUNT * RN), cpuTerms.subarray(0, OTT_TERM_COUNT * RN));
    } else if (part === 'returns') {
      close(gf('rewardHist'), cf('rewardHist'));
    } else if (part === 'grad') {
      close(gf('grads'), cf('grads'), true);
    } else if (part === 'adam') {
      close(gf('theta'), cf('theta'));
      close(gf('m'), cf('m'));
      close(gf('v'), cf('v'));
    } else {
      exact(gu('rs'), cu('rs'));
      const log = gu('episodeLog'),
        clog = cu('episodeLog');
      exact(log, clog, 0, R);
      const lf = new Float32Array(log.buffer, log.byteOffset, log.length);
      const lc = new Float32Array(clog.buffer, clog.byteOffset, clog.length);
      const W = 5 + NL + OTT_TERM_COUNT;
      for (let r = 0; r < R; r++) {
        for (let e = 0; e < Math.min(clog[r]!, OTT_LOG_CAP); e++) {
          const b = R + (r * OTT_LOG_CAP + e) * W;
          exact(lf, lc, b, b + 3);
          exact(lf, lc, b + 4, b + 5);
          close(lf.subarray(b + 3, b + 4), lc.subarray(b + 3, b + 4));
          close(lf.subarray(b + 5, b + W), lc.subarray(b + 5, b + W));
        }
      }
    }
    const rs = cu('rs');
    const learned = Array.from({ length: R }, (_, r) => rs[RS.adamT * R + r]!);
    return {
      name: `ott ${part}`,
      count,
      exactMismatches,
      maxAbsError,
      notes: { knifeEdge, episodes, minUpdates: Math.min(...learned), finished: Array.from({ length: R }, (_, r) => rs[RS.finished * R + r]!).reduce((a, b) => a + b, 0), layersWithNeurons: NL },
    };
  });
}
