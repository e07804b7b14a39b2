import type { GpuContext } from '../../src/gpu/context.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import { samplerLayout } from '../../src/chalk/sampling-learner.ts';
import { countsProblem } from '../../src/chalk/problem.ts';
import { programParity } from './program-parity.ts';
import type { ParityReport } from './rng-parity.ts';

/**
 * The Chalk sampling learner (chalk-chain, chalk-critic, chalk-learn, clock-tick) as the
 * coding-cost rule's step program on the WebGPU executor vs the CPU executor (the twins), 8-neuron
 * counts problem: inputs, post-action states (hence spikes), TD indices, the count histogram and the
 * clock must match exactly; h, advantages, marginals, gain, policies and TD errors within tolerance
 * (the twin computes in f64 and stores f32; WGSL computes in f32). Short horizon (a few hundred
 * steps) so no knife-edge spike separates the chains; marginal warm-up short so the marginal update
 * runs. `notes.spikes` counts spikes active at the end (activity is exercised).
 */
export async function chalkParity(ctx: GpuContext, o: { steps?: number; chains?: number; inputExpectation?: boolean; lambda?: number } = {}): Promise<ParityReport> {
  const steps = o.steps ?? 300;
  const x = parseExperiment({
    rule: {
      name: 'coding-cost',
      task: { name: 'counts', neurons: 8, targets: [2, 6], reward: 'exact', switchProb: 0.05, pInputPlus: 0.5, update: 'async' },
      lambda: o.lambda ?? 0.15,
      solver: 'sampled',
      sampled: {
        chains: o.chains ?? 24,
        steps,
        criticRate: 0.5,
        criticDecay: 2000,
        actorRate: 0.05,
        marginalRate: 0.01,
        marginalWarmup: 100,
        inputExpectation: o.inputExpectation ?? true,
        minMarginal: 1e-4,
        recordFraction: 0.5,
      },
    },
    run: { seed: 5 },
  });
  const L = samplerLayout(countsProblem({ neurons: 8, targets: [2, 6], reward: 'exact', switchProb: 0.05, pInputPlus: 0.5, update: 'async' }));
  const r = await programParity(ctx, 'chalk sampler', buildModel(x).program, steps, {
    notes: (cpu) => {
      const R = cpu.chain!.length / 3;
      let spikes = 0;
      for (let r = 0; r < R; r++) for (let i = 0; i < 8; i++) spikes += (cpu.chain![R + r]! >>> i) & 1;
      const model = cpu.model!;
      const marginalMoved = Math.max(...Array.from(model.subarray(L.margOffset, L.gainOffset), (m) => Math.abs(m - 0.5)));
      return { spikes, marginalMoved, maxH: Math.max(...Array.from(model.subarray(0, L.states), Math.abs)) };
    },
  });
  return r;
}
