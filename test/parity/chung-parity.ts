/**
 * Chung's Weight Max at scale on the multiplexer (the weight-max-sparse rule, src/rules/weight-max-sparse.ts):
 * its step program on the GPU executor vs the CPU executor (the twins: the multiplexer runner's
 * reference arithmetic over the k-major layout, src/kernels/chung-cpu.ts) from the same network,
 * after one step (per-kernel outputs) and after many steps (whole-step parity, no re-sync).
 */
import { ENVS } from '../../src/envs/registry.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { chungMuxConfig, type ChungMuxConfig } from '../../src/learners/chung-multiplexer/config.ts';
import { buildHostNet } from '../../src/learners/chung-multiplexer/network.ts';
import { rngUniform, Stream } from '../../src/rng/counter-rng.ts';
import { weightMaxSparseProgram } from '../../src/rules/weight-max-sparse.ts';
import { runOnBoth } from './program-parity.ts';
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
  /** The hardware kernel forms (split forward, grouped gather, per-parameter updates, short output chunks). */
  hardwareKernels?: boolean;
}

export function chungParityConfig(o: ChungParityOptions): ChungMuxConfig {
  const steps = o.steps ?? 1;
  return chungMuxConfig({
    addressBits: 3,
    hidden: [24, 40],
    fanIn: o.sparse ? [5, 7] : [0, 0],
    rule: o.rule ?? 'weightmax',
    replicas: 3,
    episodes: steps,
    seed: 7,
    stepsPerSubmit: steps,
    outputChunk: 16,
    gatherChunk: 4,
    gatherMode: o.gatherMode ?? 'csr',
    lr: [0.01, o.sgdLayer ? 0.5 : 0.001, 0.001],
    optimizer: ['adam', o.sgdLayer ? 'sgd' : 'adam', 'adam'],
  });
}

export async function chungMuxParity(ctx: GpuContext, part: ChungParityPart, o: ChungParityOptions): Promise<ParityReport> {
  const c = chungParityConfig(o);
  const steps = c.episodes;
  const env = ENVS['multiplexer-11'];
  const net = buildHostNet(c, env.obsDim, env.numActions);
  const program = weightMaxSparseProgram(c, env, o.hardwareKernels ? 'hardware' : 'plain', net);
  let count = 0,
    exactMismatches = 0,
    maxAbsError = 0,
    knifeEdge = 0;
  const notes: Record<string, number> = {};
  await runOnBoth(ctx, program, steps, steps, async (cpu, gpu) => {
    const g = async (n: string) => gpu.read(n);
    const h = (n: string) => cpu.arrays[n]!;
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
    const R = c.replicas;
    const lastStep = steps - 1;
    if (part === 'env' || part === 'step') {
      for (const n of ['obs-a', 'obs-b', 'env.state', 'env.counters', 'env.reward', 'action', 'metrics']) exact(await g(n), h(n));
    }
    const out = net.layers.length - 1;
    for (let l = 0; l <= out; l++) {
      const L = net.layers[l]!;
      const buf = (k: string) => `layer.${l}.${k}`;
      if ((part === 'hidden-forward' && l < out) || (part === 'softmax-output' && l === out) || part === 'step') {
        // Spikes exact except draws within 1e-5 of their probability (GPU exp vs f64 exp).
        const gv = await g(buf('values')),
          cv = h(buf('values')),
          cm = h(buf('mean'));
        for (let r = 0; r < R; r++) {
          for (let j = 0; j < L.nVals; j++) {
            const i = r * L.nVals + j;
            if (gv[i] === cv[i]) continue;
            const u = l < out ? rngUniform(c.seed, Stream.spike, r * net.agentsPerReplica + L.agentOffset + j, lastStep) : -1;
            if (l < out && Math.abs(u - cm[i]!) < 1e-5) knifeEdge++;
            else exactMismatches++;
          }
        }
        count += cv.length;
        close(await g(buf('mean')), cm, `mean${l}`);
        close(await g(buf('charac')), h(buf('charac')), `charac${l}`);
        if (l === out) exact(await g('action'), h('action'));
        notes[`spikes${l}`] = (notes[`spikes${l}`] ?? 0) + Array.from(cv).reduce((s, v) => s + v, 0);
      }
      if (part === 'unit-reward' || part === 'step') {
        const cr = h(buf('reward'));
        close(await g(buf('reward')), cr, `reward${l}`);
        notes[`maxReward${l}`] = Array.from(cr).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      }
      if (part === 'param-update' || part === 'step') {
        const th = h(buf('theta'));
        close(await g(buf('theta')), th, `theta${l}`);
        let moved = 0;
        for (let i = 0; i < th.length; i++) moved = Math.max(moved, Math.abs(th[i]! - L.theta[i]!));
        notes[`moved${l}`] = moved;
        if (c.optimizer[l] === 'adam') {
          const gm = await g(buf('mv')),
            cm = h(buf('mv'));
          let em = 0;
          for (let i = 0; i < cm.length; i += 2) em = Math.max(em, Math.abs(gm[i]! - cm[i]!) / (Math.abs(cm[i]!) + 1e-6), Math.abs(gm[i + 1]! - cm[i + 1]!) / (Math.abs(cm[i + 1]!) + 1e-9));
          notes[`adamRel${l}`] = em;
          count += cm.length;
        }
      }
    }
    if (part === 'step') {
      const metrics = h('metrics') as Uint32Array;
      let sum = 0;
      for (let r = 0; r < R; r++) sum += metrics[1 + r]!;
      notes.episodes = sum;
    }
  });
  notes.knifeEdge = knifeEdge;
  return { name: `chung-mux ${part}`, count, exactMismatches, maxAbsError, notes };
}
