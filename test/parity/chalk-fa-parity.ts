import type { GpuContext } from '../../src/gpu/context.ts';
import { ChalkLogisticGpu } from '../../src/chalk/logistic-gpu.ts';
import { countLevelProblem, createLogisticLearner, LOGISTIC_DEFAULTS, type LogisticConfig, logisticStep } from '../../src/chalk/logistic-learner.ts';
import type { ParityReport } from './rng-parity.ts';

/**
 * The Chalk logistic learner (chalk-fa-chain, chalk-fa-critic, chalk-fa-learn, clock-tick) on the GPU
 * vs its CPU twin (logisticStep = the three *Kernel functions in order). Synchronous: 40 neurons,
 * 7 tent bins (knots between counts), smooth reward, actor trust region on; asynchronous: 12 neurons,
 * one-hot counts. Inputs, counts, TD indices, spikes (both bits) and the count histogram exact; critic
 * and actor weights, marginals, gain, policies, actor and TD errors, reward / cost sums (relative to max(1, |cpu|): sums over 100 recorded steps) within tolerance
 * (exp / log / division are not correctly rounded in WGSL; + and * are, and the twin rounds them to f32
 * in the kernel's order). Short horizon so no knife-edge spike separates the chains.
 */
export async function chalkFaParity(ctx: GpuContext, o: { update: 'sync' | 'async'; steps?: number; chains?: number }): Promise<ParityReport> {
  const sync = o.update === 'sync';
  const n = sync ? 40 : 12;
  const problem = countLevelProblem({ neurons: n, targets: [Math.round(n / 4), Math.round((3 * n) / 4)], reward: sync ? 'smooth' : 'exact', switchProb: 0.05, pInputPlus: 0.5, update: o.update });
  const lambda = sync ? 0.05 : 0.15;
  const config: LogisticConfig = {
    ...LOGISTIC_DEFAULTS,
    chains: o.chains ?? 16,
    steps: o.steps ?? 200,
    countBins: sync ? 7 : n,
    actorTrust: sync ? 0.5 : 0,
    marginalRate: 0.01,
    marginalWarmup: 50,
    seed: 9,
    recordFraction: 0.5,
  };
  const cpu = createLogisticLearner(problem, lambda, config);
  const recordFrom = Math.floor(config.steps * (1 - config.recordFraction));
  for (let t = 1; t <= config.steps; t++) logisticStep(cpu, t, recordFrom);
  const gpu = new ChalkLogisticGpu(ctx, problem, lambda, config);
  try {
    const enc = ctx.device.createCommandEncoder({ label: 'chalk-fa-parity' });
    const pass = enc.beginComputePass({ label: 'chalk-fa-parity' });
    gpu.encodeSteps(pass, config.steps);
    pass.end();
    ctx.device.queue.submit([enc.finish()]);
    const g = await gpu.readState();
    let count = 0, exactMismatches = 0, maxAbsError = 0;
    const exact = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      for (let i = 0; i < a.length; i++, count++) if (a[i] !== b[i]) exactMismatches++;
    };
    const perField: Record<string, number> = {};
    const close = (a: ArrayLike<number>, b: ArrayLike<number>, name: string, scale = false) => {
      let m = 0;
      for (let i = 0; i < a.length; i++, count++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / (scale ? Math.max(1, Math.abs(b[i]!)) : 1));
      perField[name] = m;
      maxAbsError = Math.max(maxAbsError, m);
    };
    exact(g.chain, cpu.chain);
    exact(g.spk, cpu.spk);
    exact(g.hist, cpu.hist);
    close(g.u, cpu.u, 'u');
    close(g.w, cpu.w, 'w');
    close(g.marginal, cpu.marginal, 'marginal');
    close(g.gain, cpu.gain, 'gain');
    close(g.piOne, cpu.piOne, 'piOne');
    close(g.err, cpu.err, 'err');
    close(g.tdDelta, cpu.tdDelta, 'tdDelta');
    close(g.rewardSum, cpu.rewardSum, 'rewardSum', true);
    close(g.costSum, cpu.costSum, 'costSum', true);
    let spikes = 0;
    for (const s of cpu.spk) spikes += s & 1;
    const marginalMoved = Math.max(...Array.from(cpu.marginal, (m) => Math.abs(m - 0.5)));
    const recorded = cpu.hist.reduce((a, b) => a + b, 0);
    return { name: `chalk logistic ${o.update}`, count, exactMismatches, maxAbsError, notes: { spikes, marginalMoved, recorded, maxW: Math.max(...Array.from(cpu.w, Math.abs)), ...Object.fromEntries(Object.entries(perField).map(([k, v]) => [`err_${k}`, v])) } };
  } finally {
    gpu.destroy();
  }
}
