import type { GpuContext } from '../../src/gpu/context.ts';
import { countsProblem } from '../../src/chalk/problem.ts';
import { runSampler, type SamplingConfig } from '../../src/chalk/sampling-learner.ts';
import { ChalkGpuSampler } from '../../src/chalk/gpu-sampler.ts';
import type { ParityReport } from './rng-parity.ts';

/**
 * The Chalk sampling learner (chalk-chain, chalk-critic, chalk-learn, clock-tick) on the GPU vs its
 * CPU twin runSampler, 8-neuron counts problem: inputs, post-action states, TD indices and the count
 * histogram must match exactly; h, advantages, marginals, gain, policies and TD errors within
 * tolerance (the twin computes in f64 and stores f32; WGSL computes in f32). Short horizon (a few
 * hundred steps) so no knife-edge spike separates the chains; marginal warm-up short so the
 * marginal update runs. `notes.spikes` counts spikes fired (activity is exercised).
 */
export async function chalkParity(ctx: GpuContext, o: { steps?: number; chains?: number; inputExpectation?: boolean; lambda?: number } = {}): Promise<ParityReport> {
  const problem = countsProblem({ neurons: 8, targets: [2, 6], reward: 'exact', switchProb: 0.05, pInputPlus: 0.5, update: 'async' });
  const lambda = o.lambda ?? 0.15;
  const config: SamplingConfig = {
    chains: o.chains ?? 24,
    steps: o.steps ?? 300,
    criticRate: 0.5,
    criticDecay: 2000,
    actorRate: 0.05,
    marginalRate: 0.01,
    marginalWarmup: 100,
    inputExpectation: o.inputExpectation ?? true,
    minMarginal: 1e-4,
    seed: 5,
    recordFraction: 0.5,
  };
  const cpu = runSampler(problem, lambda, config);
  const gpu = new ChalkGpuSampler(ctx, problem, lambda, config);
  try {
    const enc = ctx.device.createCommandEncoder({ label: 'chalk-parity' });
    const pass = enc.beginComputePass({ label: 'chalk-parity' });
    gpu.encodeSteps(pass, config.steps);
    pass.end();
    ctx.device.queue.submit([enc.finish()]);
    const { state: g, hist } = await gpu.readState();
    const c = cpu.state;
    let count = 0, exactMismatches = 0, maxAbsError = 0;
    const exact = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      for (let i = 0; i < a.length; i++, count++) if (a[i] !== b[i]) exactMismatches++;
    };
    const close = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      for (let i = 0; i < a.length; i++, count++) maxAbsError = Math.max(maxAbsError, Math.abs(a[i]! - b[i]!));
    };
    exact(g.input, c.input);
    exact(g.post, c.post);
    exact(g.spikes, c.spikes);
    exact(g.tdIndex, c.tdIndex);
    const n = problem.neurons;
    for (let x = 0; x < problem.inputs; x++) {
      const row = Array.from(hist.subarray(x * (n + 1), (x + 1) * (n + 1)));
      const tot = row.reduce((a, b) => a + b, 0);
      exact(row.map((v) => (tot > 0 ? v / tot : 0)), cpu.empiricalCountDist[x]!);
    }
    close(g.h, c.h);
    close(g.advantage, c.advantage);
    close(g.marginal, c.marginal);
    close(g.gain, c.gain);
    close(g.piOne, c.piOne);
    close(g.tdDelta, c.tdDelta);
    let spikes = 0;
    for (const s of c.post) for (let i = 0; i < n; i++) spikes += (s >>> i) & 1;
    const marginalMoved = Math.max(...Array.from(c.marginal, (m) => Math.abs(m - 0.5)));
    return { name: 'chalk sampler', count, exactMismatches, maxAbsError, notes: { spikes, marginalMoved, maxH: Math.max(...Array.from(c.h, Math.abs)) } };
  } finally {
    gpu.destroy();
  }
}
