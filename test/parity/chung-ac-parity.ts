import { initOf } from '../../src/run/program.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { rngUniform, Stream } from '../../src/rng/counter-rng.ts';
import { ENVS } from '../../src/envs/registry.ts';
import { actorBuf } from '../../src/rules/weight-max.ts';
import { CpuExecutor } from '../../src/run/executor-cpu.ts';
import { GpuExecutor } from '../../src/run/executor-gpu.ts';
import type { HostArray } from '../../src/run/kernel-def.ts';
import type { ParityReport } from './rng-parity.ts';

/** One whole-step parity configuration of the weight-max rule. */
export interface ChungAcParityOptions {
  env: 'cartpole' | 'acrobot' | 'lunar-lander' | 'multiplexer-11';
  hiddenRule: 'weightmax' | 'reinforce' | 'thomas' | 'ste' | 'backprop';
  traces: boolean;
  traceForm?: 'code' | 'shifted';
  fanIn?: number;
  hidden?: number[];
  replicas?: number;
  /** Steps the CPU runs first (so that episodes end, and Acrobot's truncate, during the compared steps). */
  warmup?: number;
  /** Steps compared. */
  steps?: number;
  seed?: number;
  /** Reward terms added to the hidden units' signal (rule.terms). */
  terms?: Record<string, { weight: number; target?: number }>;
}

/** Band around a firing probability (or a cumulative softmax probability) in which f32 exp may flip a draw. */
const KNIFE = 1e-5;

/**
 * The weight-max step program (src/rules/weight-max.ts) on the GPU executor vs the CPU executor
 * (the twins over the CPU reference): the CPU runs `warmup` steps, the GPU starts from its state,
 * then `steps` steps are run on both, every buffer compared after each and the CPU re-synced to the
 * device's floats (so the error is one step's, not a drift). u32 buffers (flags, env counters, the
 * episode log, wiring) and spikes / actions must match exactly; a spike or action that differs
 * where its uniform lies within 1e-5 of the probability (f32 exp vs f64) is counted as knife-edge
 * and the rest of that step is skipped. Floats: error |gpu - cpu| / max |cpu| over the buffer (its
 * scale: small signals such as Weight Max rewards are held to their own size), where the twin sums
 * in f64 and the kernels in f32 (same order).
 */
export async function chungAcParity(ctx: GpuContext, o: ChungAcParityOptions): Promise<ParityReport> {
  const R = o.replicas ?? 4,
    seed = o.seed ?? 3;
  const x = parseExperiment({
    env: { name: o.env },
    population: { hidden: o.hidden ?? [16, 8], fanIn: o.fanIn ?? 0 },
    rule: { name: 'weight-max', hiddenRule: o.hiddenRule, traces: o.traces, traceForm: o.traceForm ?? 'code', ...(o.terms ? { terms: o.terms } : {}) },
    run: { seed, replicas: R, episodes: 1000, backend: 'cpu' },
  });
  const program = buildModel(x).program;
  const cpu = new CpuExecutor(program);
  const gpu = new GpuExecutor(ctx, program);
  const names = program.buffers.map((d) => d.name).filter((n) => !n.startsWith('none-'));
  let count = 0,
    exactMismatches = 0,
    maxAbsError = 0,
    knifeEdge = 0,
    ended = 0,
    truncated = 0;
  const perBuffer: Record<string, number> = {};
  const theta0 = initOf(program.buffers.find((d) => d.name === actorBuf(0, 'theta'))!)!.slice();
  const agentsPerReplica = (o.hidden ?? [16, 8]).reduce((a, b) => a + b, 0) + ENVS[o.env].numActions;
  try {
    cpu.reset();
    await cpu.chunk(o.warmup ?? 0, () => {});
    for (const n of names) gpu.write(n, cpu.arrays[n]!);
    // A host env (LunarLander on planck) keeps its worlds in the op: replayed from the CPU's.
    gpu.loadOps(cpu.saveOps());
    const L = program.buffers.filter((d) => /^actor\.\d+\.theta$/.test(d.name)).length;
    // Spikes and actions, compared bit for bit (a knife-edge draw excepted); ReLU layers' values are floats.
    const spikes = new Set(['action', actorBuf(L - 1, 'values'), ...(o.hiddenRule === 'backprop' ? [] : Array.from({ length: L - 1 }, (_, l) => actorBuf(l, 'values')))]);
    const SPIKES = { test: (n: string) => spikes.has(n) };
    for (let s = 0; s < (o.steps ?? 30); s++) {
      const step = (cpu.arrays.clock as Uint32Array)[0]!;
      await cpu.chunk(1, () => {});
      await gpu.chunk(1, () => {});
      await gpu.drain();
      const got: Record<string, HostArray> = {};
      for (const n of names) got[n] = await gpu.read(n);
      // Spikes first: a knife-edge flip makes the rest of the step incomparable.
      let knife = false,
        spikeMismatch = 0;
      for (const n of names.filter((n) => SPIKES.test(n))) {
        const g = got[n]!,
          c = cpu.arrays[n]!;
        for (let i = 0; i < c.length; i++) {
          if (g[i] === c[i]) continue;
          if (isKnifeEdge(n, i)) knife = true;
          else spikeMismatch++;
        }
      }
      if (knife) {
        knifeEdge++;
      } else {
        exactMismatches += spikeMismatch;
        for (const n of names) {
          const g = got[n]!,
            c = cpu.arrays[n]!;
          count += c.length;
          if (c instanceof Uint32Array || SPIKES.test(n)) {
            for (let i = 0; i < c.length; i++) if (g[i] !== c[i] && !SPIKES.test(n)) exactMismatches++;
            continue;
          }
          let scale = 0;
          for (let i = 0; i < c.length; i++) scale = Math.max(scale, Math.abs(c[i]!));
          if (!(scale > 0)) scale = 1;
          let worst = 0;
          for (let i = 0; i < c.length; i++) {
            const err = Math.abs(g[i]! - c[i]!) / scale;
            worst = Number.isNaN(err) ? Infinity : Math.max(worst, err);
          }
          perBuffer[n] = Math.max(perBuffer[n] ?? 0, worst);
          maxAbsError = Math.max(maxAbsError, worst);
        }
      }
      const counters = cpu.arrays['env.counters'] as Uint32Array;
      for (let r = 0; r < R; r++) {
        ended += counters[3 * R + r]! | counters[4 * R + r]!;
        truncated += counters[4 * R + r]!;
      }
      for (const n of names) cpu.write(n, got[n]!);
      cpu.loadOps(gpu.saveOps());

      function isKnifeEdge(name: string, i: number): boolean {
        if (name === 'action') return true; // checked through the output layer's values below
        const l = Number(name.split('.')[1]);
        const mean = cpu.arrays[actorBuf(l, 'mean')] as Float32Array;
        if (l === L - 1) {
          // Softmax: the action's draw near any cumulative probability.
          const K = mean.length / R,
            r = Math.floor(i / K);
          const u = rngUniform(seed, Stream.spike, r * agentsPerReplica + agentsPerReplica - K, step);
          let cum = 0;
          for (let k = 0; k < K - 1; k++) {
            cum = Math.fround(cum + mean[r * K + k]!);
            if (Math.abs(u - cum) < KNIFE) return true;
          }
          return false;
        }
        const N = mean.length / R,
          r = Math.floor(i / N),
          j = i - r * N;
        let offset = 0;
        for (let k = 0; k < l; k++) offset += (cpu.arrays[actorBuf(k, 'mean')] as Float32Array).length / R;
        const u = rngUniform(seed, Stream.spike, r * agentsPerReplica + offset + j, step);
        return Math.abs(u - mean[i]!) < KNIFE;
      }
    }
    const theta = cpu.arrays[actorBuf(0, 'theta')] as Float32Array;
    let moved = 0;
    for (let i = 0; i < theta.length; i++) if (theta[i] !== theta0[i]) moved++;
    const top = Object.entries(perBuffer)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3);
    return {
      name: 'chung-ac step',
      count,
      exactMismatches,
      maxAbsError,
      notes: { knifeEdge, episodesEnded: ended, truncated, movedTheta0: moved / theta.length, ...Object.fromEntries(top.map(([k, v]) => [`err:${k}`, v])) },
    };
  } finally {
    gpu.destroy();
  }
}
