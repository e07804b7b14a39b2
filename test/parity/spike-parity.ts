import type { GpuContext } from '../../src/gpu/context.ts';
import { runPass } from '../../src/gpu/kernel.ts';
import { readF32 } from '../../src/gpu/readback.ts';
import { DeviceClock } from '../../src/kernels/clock.ts';
import { spikeSampleCpu, type SpikeLayout } from '../../src/kernels/spike-sample-cpu.ts';
import { SpikeSampleKernel } from '../../src/kernels/spike-sample.ts';
import { CounterRng, Stream, rngUniform } from '../../src/rng/counter-rng.ts';
import type { ParityReport } from './rng-parity.ts';

/**
 * Draws within this distance of their probability may flip between GPU and CPU, because exp() is
 * not correctly rounded on either side; such knife-edge draws are counted, not compared.
 */
export const KNIFE_EDGE = 1e-5;

/** Spike sampling GPU vs CPU twin on a seeded population: dense and sparse fan-in, R replicas. */
export async function spikeParity(ctx: GpuContext, opts: { replicas?: number; neurons?: number; fanIn?: number; sparse?: boolean; steps?: number } = {}): Promise<ParityReport> {
  const R = opts.replicas ?? 8,
    N = opts.neurons ?? 1024,
    K = opts.fanIn ?? 64,
    sparse = opts.sparse ?? false;
  const steps = opts.steps ?? 3;
  const inSize = sparse ? 2 * N : K;
  const actStride = inSize + N;
  const L: SpikeLayout = {
    replicas: R,
    neurons: N,
    fanIn: K,
    actStride,
    inOffset: 0,
    outOffset: inSize,
    probStride: N,
    probOffset: 0,
    agentStride: N,
    agentOffset: 0,
    seed: 4242,
    stream: Stream.spike,
  };
  const rng = new CounterRng(7, Stream.test);
  const theta = Float32Array.from({ length: R * (K + 1) * N }, () => (rng.range(-1, 1) / Math.sqrt(K)) * 3);
  const index = sparse ? Uint32Array.from({ length: K * N }, () => rng.int(inSize)) : null;
  const act = new Float32Array(R * actStride);
  for (let r = 0; r < R; r++) for (let j = 0; j < inSize; j++) act[r * actStride + j] = rng.uniform() < 0.5 ? 1 : 0;
  const prob = new Float32Array(R * N);

  const clock = new DeviceClock(ctx, 100);
  const bufs = {
    theta: ctx.createBufferFrom('theta', theta),
    fanInIndex: ctx.createBufferFrom('idx', index ?? new Uint32Array(4)),
    clock: clock.buffer,
    act: ctx.createBufferFrom('act', act),
    prob: ctx.createBuffer('prob', R * N * 4),
  };
  const kernel = new SpikeSampleKernel(ctx, L, sparse);
  kernel.bind(bufs);
  let exactMismatches = 0,
    maxAbsError = 0,
    knifeEdge = 0;
  try {
    for (let s = 0; s < steps; s++) {
      await runPass(ctx, 'spike-sample', (pass) => {
        kernel.encode(pass);
        clock.encodeTick(pass);
      });
      spikeSampleCpu(L, theta, index, 100 + s, act, prob);
      const gAct = await readF32(ctx, bufs.act);
      const gProb = await readF32(ctx, bufs.prob);
      for (let r = 0; r < R; r++) {
        for (let n = 0; n < N; n++) {
          const p = prob[r * N + n]!;
          maxAbsError = Math.max(maxAbsError, Math.abs(gProb[r * N + n]! - p));
          const c = act[r * actStride + inSize + n]!,
            g = gAct[r * actStride + inSize + n]!;
          const u = rngUniform(L.seed, L.stream, r * N + n, 100 + s);
          if (Math.abs(u - p) < KNIFE_EDGE) knifeEdge++;
          else if (c !== g) exactMismatches++;
        }
      }
    }
  } finally {
    kernel.destroy();
    clock.destroy();
    for (const b of Object.values(bufs)) b.destroy();
  }
  return { name: `spike-sample ${sparse ? 'sparse' : 'dense'}`, count: steps * R * N, exactMismatches, maxAbsError, notes: { knifeEdge } };
}
