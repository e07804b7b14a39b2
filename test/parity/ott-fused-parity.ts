import { buildModel } from '../../src/experiment/build.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { arenaViews, type OttFusedForm, ottFusedProgram } from '../../src/kernels/ott-fused.ts';
import { OTT_LOG_CAP, RS } from '../../src/ott/network.ts';
import { OTT_TERM_COUNT } from '../../src/ott/rewards.ts';
import { ottExperiment } from '../../src/rules/ott.ts';
import type { HostArray } from '../../src/run/kernel-def.ts';
import type { BufferDecl } from '../../src/run/program.ts';
import { GpuExecutor } from '../../src/run/executor-gpu.ts';
import { ottParityConfig } from './ott-parity.ts';
import { runOnBoth } from './program-parity.ts';
import type { ParityReport } from './rng-parity.ts';

/** Every named buffer of the multi-dispatch program, read from an executor of the fused program. */
async function fusedBuffers(read: (name: string) => Promise<HostArray>, views: Parameters<typeof arenaViews>[0]): Promise<Record<string, HostArray>> {
  const b: Record<string, HostArray> = {};
  for (const [binding, name] of Object.entries({ af: 'ott.f32', au: 'ott.u32', clock: 'clock', theta: 'theta', grads: 'grads', m: 'm', v: 'v' })) b[binding] = await read(name);
  return arenaViews(views, b);
}

/**
 * The fused Ott step (shaders/ott-fused-cartpole.wgsl; `form` 'fused' one dispatch, 'split' three) over `steps` steps of the Ott parity network
 * (6 replicas, 2 x 5 hidden + 1, one reward mode each, episodes end and replicas finish), two ways:
 * - against its CPU twin (the op list's twins over the arena views): u32 buffers exact (per-replica
 *   state, env counters, the log's counts and episode / steps / end fields, the clock), spikes
 *   exact, every float within the tolerance relative to max(1, |cpu|) (GPU exp/pow vs correctly
 *   rounded f32 over Adam steps, as the Ott kernel suites);
 * - against the multi-dispatch program on the same device: the fused kernel runs the same WGSL
 *   bodies in the same order for each replica, so every buffer is compared the same way (on
 *   SwiftShader they are bit-identical; a hardware compiler may contract + and * differently in
 *   the two modules).
 * notes: episodes logged, replicas finished, the largest float difference vs the op list.
 */
export async function ottFusedParity(ctx: GpuContext, form: OttFusedForm, steps = 300): Promise<ParityReport> {
  const c = ottParityConfig();
  const ops = buildModel(ottExperiment(c)).program;
  const { program, views } = ottFusedProgram(ops, { form });
  const R = c.replicas,
    N = c.layers * c.neuronsPerLayer + 1,
    S = 4 + N,
    W = 5 + c.layers + 1 + OTT_TERM_COUNT;
  let count = 0,
    exactMismatches = 0,
    maxAbsError = 0;
  const compare = (decls: readonly BufferDecl[], a: Record<string, HostArray>, g: Record<string, HostArray>): number => {
    let maxErr = 0;
    const close = (x: number, y: number) => {
      const d = Math.abs(x - y) / Math.max(1, Math.abs(x));
      maxErr = Math.max(maxErr, Number.isNaN(d) ? Infinity : d);
    };
    for (const d of decls) {
      const x = a[d.name]!,
        y = g[d.name]!;
      if (d.name === 'episodeLog') {
        const xf = new Float32Array(x.buffer, x.byteOffset, x.length),
          yf = new Float32Array(y.buffer, y.byteOffset, y.length);
        for (let r = 0; r < R; r++, count++) if (x[r] !== y[r]) exactMismatches++;
        for (let r = 0; r < R; r++) {
          for (let e = 0; e < Math.min(x[r]!, OTT_LOG_CAP); e++) {
            const b = R + (r * OTT_LOG_CAP + e) * W;
            for (let k = 0; k < W; k++, count++) {
              if (k < 3 || k === 4) exactMismatches += xf[b + k] === yf[b + k] ? 0 : 1;
              else close(xf[b + k]!, yf[b + k]!);
            }
          }
        }
        continue;
      }
      for (let i = 0; i < x.length; i++, count++) {
        const spike = d.name === 'signals' && i % S >= 4;
        if (d.type === 'u32' || spike) exactMismatches += x[i] === y[i] ? 0 : 1;
        else close(x[i]!, y[i]!);
      }
    }
    return maxErr;
  };
  const state = ops.buffers.filter((d) => !d.scratch);
  let episodes = 0,
    finished = 0;
  maxAbsError = await runOnBoth(ctx, program, steps, steps, async (cpu, gpu) => {
    const a = await fusedBuffers((n) => cpu.read(n), views),
      g = await fusedBuffers((n) => gpu.read(n), views);
    const rs = a.rs as Uint32Array;
    for (let r = 0; r < R; r++) {
      episodes += a.episodeLog![r]!;
      finished += rs[RS.finished * R + r]!;
    }
    return compare(state, a, g);
  });
  const multi = new GpuExecutor(ctx, ops);
  let vsOps: number;
  try {
    await multi.checkAllocations();
    const fused = new GpuExecutor(ctx, program);
    try {
      multi.reset();
      fused.reset();
      await multi.chunk(steps, () => {});
      await fused.chunk(steps, () => {});
      await multi.drain();
      await fused.drain();
      const a: Record<string, HostArray> = {};
      for (const d of state) a[d.name] = await multi.read(d.name);
      vsOps = compare(state, a, await fusedBuffers((n) => fused.read(n), views));
    } finally {
      fused.destroy();
    }
  } finally {
    multi.destroy();
  }
  return { name: `ott ${form}`, count, exactMismatches, maxAbsError: Math.max(maxAbsError, vsOps), notes: { episodes, finished, vsOpsMaxError: vsOps } };
}
