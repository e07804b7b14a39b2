/**
 * Chung's Weight Max on the multiplexer (src/learners/chung-multiplexer): the GPU runner vs its
 * CPU twin (src/chung reference kernels in the trainer's order) from the same network, after one
 * step (per-kernel outputs) and after many steps (whole-step parity).
 */
import type { GpuContext } from '../../src/gpu/context.ts';
import { chungMuxConfig, type ChungMuxConfig } from '../../src/learners/chung-multiplexer/config.ts';
import { ChungMuxCpuRunner } from '../../src/learners/chung-multiplexer/cpu-runner.ts';
import { ChungMuxGpuRunner } from '../../src/learners/chung-multiplexer/gpu-runner.ts';
import { buildHostNet, incomingToTheta } from '../../src/learners/chung-multiplexer/network.ts';
import { rngUniform, Stream } from '../../src/rng/counter-rng.ts';
import type { ParityReport } from './rng-parity.ts';

/** Which kernel's outputs to compare (all after the same steps). */
export type ChungParityPart = 'env' | 'hidden-forward' | 'softmax-output' | 'unit-reward' | 'param-update' | 'step';

export interface ChungParityOptions {
  sparse: boolean;
  rule?: 'weightmax' | 'reinforce';
  steps?: number;
  /** Use SGD for the second hidden layer (the million preset's optimiser). */
  sgdLayer?: boolean;
  gatherMode?: 'csr' | 'scatter';
  /** The runner's hardware kernel forms (split forward, grouped gather, per-parameter updates). */
  hardwareKernels?: boolean;
}

export function chungParityConfig(o: ChungParityOptions): ChungMuxConfig {
  const steps = o.steps ?? 1;
  return chungMuxConfig({
    addressBits: 3, hidden: [24, 40], fanIn: o.sparse ? [5, 7] : [0, 0], rule: o.rule ?? 'weightmax', replicas: 3,
    episodes: steps, seed: 7, stepsPerSubmit: steps, outputChunk: 16, gatherChunk: 4, gatherMode: o.gatherMode ?? 'csr',
    lr: [0.01, o.sgdLayer ? 0.5 : 0.001, 0.001], optimizer: ['adam', o.sgdLayer ? 'sgd' : 'adam', 'adam'],
  });
}

export async function chungMuxParity(ctx: GpuContext, part: ChungParityPart, o: ChungParityOptions): Promise<ParityReport> {
  const c = chungParityConfig(o);
  const steps = c.episodes;
  const cpu = new ChungMuxCpuRunner(c);
  const host = buildHostNet(c, cpu.env.obsDim);
  let count = 0, exactMismatches = 0, maxAbsError = 0, knifeEdge = 0;
  const notes: Record<string, number> = {};
  // The host-built GPU network must be createNet's network, bit for bit.
  host.layers.forEach((L, l) => {
    const CL = cpu.net.layers[l]!;
    const th = incomingToTheta(CL.w, CL.b, c.replicas, CL.fanIn, CL.nOut);
    for (let i = 0; i < th.length; i++) if (th[i] !== L.theta[i]) exactMismatches++;
    count += th.length;
  });
  const gpu = new ChungMuxGpuRunner(ctx, c, host, { hardwareKernels: o.hardwareKernels ?? false });
  try {
    await ctx.checkAllocations();
    gpu.reset();
    gpu.submitSteps(steps);
    for (let s = 0; s < steps; s++) cpu.runStep();
    const exact = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) exactMismatches++;
      count += b.length;
    };
    const close = (a: ArrayLike<number>, b: ArrayLike<number>, key?: string) => {
      let m = 0;
      for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
      count += b.length;
      maxAbsError = Math.max(maxAbsError, m);
      if (key) notes[key] = m;
      return m;
    };
    const env = await gpu.readEnv();
    const R = c.replicas;
    const lastStep = steps - 1;
    if (part === 'env' || part === 'step') {
      exact(env.obs, cpu.obs);
      exact(env.target, cpu.env.target);
      exact(env.episodes, cpu.env.episodes);
      exact(env.signal, cpu.signal);
      exact(env.actions, cpu.actions);
    }
    const out = host.layers.length - 1;
    for (let l = 0; l <= out; l++) {
      const L = host.layers[l]!, CL = cpu.net.layers[l]!;
      const g = await gpu.readLayer(l);
      if ((part === 'hidden-forward' && l < out) || (part === 'softmax-output' && l === out) || part === 'step') {
        // Spikes exact except draws within 1e-5 of their probability (GPU exp vs f64 exp).
        for (let r = 0; r < R; r++) {
          for (let j = 0; j < L.nVals; j++) {
            const i = r * L.nVals + j;
            if (g.values[i] === CL.values[i]) continue;
            const u = l < out ? rngUniform(c.seed, Stream.spike, r * host.agentsPerReplica + L.agentOffset + j, lastStep) : -1;
            if (l < out && Math.abs(u - CL.mean[i]!) < 1e-5) knifeEdge++;
            else exactMismatches++;
          }
        }
        count += CL.values.length;
        close(g.mean, CL.mean, `mean${l}`);
        close(g.charac, CL.charac, `charac${l}`);
        if (l === out) exact(env.actions, cpu.actions);
        notes[`spikes${l}`] = (notes[`spikes${l}`] ?? 0) + CL.values.reduce((s, v) => s + v, 0);
      }
      if (part === 'unit-reward' || part === 'step') {
        close(g.reward, CL.reward, `reward${l}`);
        notes[`maxReward${l}`] = CL.reward.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      }
      if (part === 'param-update' || part === 'step') {
        const th = incomingToTheta(CL.w, CL.b, R, CL.fanIn, CL.nOut);
        close(g.theta, th, `theta${l}`);
        const init = L.theta;
        let moved = 0;
        for (let i = 0; i < th.length; i++) moved = Math.max(moved, Math.abs(th[i]! - init[i]!));
        notes[`moved${l}`] = moved;
        if (g.mv) {
          const m = incomingToTheta(CL.mW, CL.mB, R, CL.fanIn, CL.nOut);
          const v = incomingToTheta(CL.vW, CL.vB, R, CL.fanIn, CL.nOut);
          let em = 0;
          for (let i = 0; i < m.length; i++) em = Math.max(em, Math.abs(g.mv[2 * i]! - m[i]!) / (Math.abs(m[i]!) + 1e-6), Math.abs(g.mv[2 * i + 1]! - v[i]!) / (Math.abs(v[i]!) + 1e-9));
          notes[`adamRel${l}`] = em;
          count += 2 * m.length;
        }
      }
    }
    if (part === 'step') {
      const sums = Array.from(env.sums);
      notes.rewardSum = sums.reduce((s, v) => s + v, 0);
    }
  } finally {
    gpu.destroy();
  }
  notes.knifeEdge = knifeEdge;
  return { name: `chung-mux ${part}`, count, exactMismatches, maxAbsError, notes };
}
