import type { GpuContext } from '../../src/gpu/context.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import { logisticLayout } from '../../src/chalk/logistic-learner.ts';
import { programParity } from './program-parity.ts';
import type { ParityReport } from './rng-parity.ts';

/**
 * The Chalk logistic learner (chalk-fa-chain, chalk-fa-critic, chalk-fa-learn, clock-tick) as the
 * coding-cost rule's step program on the WebGPU executor vs the CPU executor (the twins: the three
 * *Kernel functions in order). Synchronous: 40 neurons, 7 tent bins (knots between counts), smooth
 * reward, actor trust region on; asynchronous: 12 neurons, one-hot counts. Inputs, counts, TD
 * indices, spikes (both bits), the count histogram and the clock exact; critic and actor weights,
 * marginals, gain, policies, actor and TD errors within tolerance, the reward / cost sums relative to
 * max(1, |cpu|) (sums over 100 recorded steps) (exp / log / division are not correctly rounded in
 * WGSL; + and * are, and the twin rounds them to f32 in the kernel's order). Short horizon so no
 * knife-edge spike separates the chains.
 */
export async function chalkFaParity(ctx: GpuContext, o: { update: 'sync' | 'async'; steps?: number; chains?: number }): Promise<ParityReport> {
  const sync = o.update === 'sync';
  const n = sync ? 40 : 12;
  const chains = o.chains ?? 16;
  const steps = o.steps ?? 200;
  const countBins = sync ? 7 : n;
  const x = parseExperiment({
    rule: {
      name: 'coding-cost',
      task: { name: 'counts', neurons: n, targets: [Math.round(n / 4), Math.round((3 * n) / 4)], reward: sync ? 'smooth' : 'exact', switchProb: 0.05, pInputPlus: 0.5, update: o.update },
      lambda: sync ? 0.05 : 0.15,
      solver: 'sampled',
      policy: 'logistic',
      logistic: { chains, steps, countBins, actorTrust: sync ? 0.5 : 0, marginalRate: 0.01, marginalWarmup: 50, recordFraction: 0.5 },
    },
    run: { seed: 9 },
  });
  const L = logisticLayout({ neurons: n, inputs: 2 }, { chains, countBins });
  // work = [piOne | err | tdDelta | rewardSum | costSum]: the sums from 2 R N + R on.
  return programParity(ctx, `chalk logistic ${o.update}`, buildModel(x).program, steps, {
    relative: { work: 2 * chains * n + chains },
    notes: (cpu) => {
      let spikes = 0;
      for (const s of cpu.spk!) spikes += s & 1;
      const model = cpu.model!;
      const marginalMoved = Math.max(...Array.from(model.subarray(L.margOffset, L.gainOffset), (m) => Math.abs(m - 0.5)));
      const recorded = (cpu.hist as Uint32Array).reduce((a, b) => a + b, 0);
      return { spikes, marginalMoved, recorded, maxW: Math.max(...Array.from(model.subarray(L.wOffset, L.margOffset), Math.abs)) };
    },
  });
}
