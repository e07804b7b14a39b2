import type { GpuContext } from '../gpu/context.ts';
import { readBuffer, ReadbackRing } from '../gpu/readback.ts';
import { DeviceClock } from '../kernels/clock.ts';

/** Percentiles of a latency sample, in milliseconds. */
export interface LatencyStats {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
}

/** What it costs to get a small metrics buffer back to the host, both ways the engine does it. */
export interface ReadbackLatency {
  bytes: number;
  /** One-shot `readBuffer`: staging buffer, copy, submit, map, destroy (tests, final results). */
  readBuffer: LatencyStats;
  /** `ReadbackRing` request -> submit -> commit -> callback (the training loop's metrics path). */
  ring: LatencyStats;
}

/** What one dispatch and one submit cost when the work itself is trivial. */
export interface DispatchOverhead {
  /** A one-invocation kernel (the step clock's tick) dispatched this many times in one pass. */
  dispatches: number;
  /** Wall time of the whole pass / dispatches, encode + submit + wait included. */
  perDispatchUs: number;
  /** Submits of one tick each, awaited once at the end. */
  submits: number;
  /** Wall time of those submits / submits. */
  perSubmitUs: number;
}

export function latencyStats(ms: number[]): LatencyStats {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { samples: s.length, p50Ms: at(0.5), p95Ms: at(0.95), meanMs: s.reduce((a, b) => a + b, 0) / s.length };
}

/**
 * Readback latency of a `bytes`-byte buffer over `reads` reads each way, after a few warm-up reads.
 * Sequential: each read waits for the previous, so this is latency, not throughput.
 */
export async function measureReadbackLatency(ctx: GpuContext, reads = 50, bytes = 256): Promise<ReadbackLatency> {
  const src = ctx.createBufferFrom('bench:metrics', new Float32Array(bytes / 4).fill(1));
  const ring = new ReadbackRing(ctx, [{ buffer: src, byteLength: bytes }], 3, 'bench-metrics');
  try {
    const oneShot: number[] = [];
    for (let i = -5; i < reads; i++) {
      const t0 = performance.now();
      await readBuffer(ctx, src);
      if (i >= 0) oneShot.push(performance.now() - t0);
    }
    const viaRing: number[] = [];
    for (let i = -5; i < reads; i++) {
      await ring.waitForSlot();
      const t0 = performance.now();
      const done = new Promise<number>((resolve) => {
        const enc = ctx.device.createCommandEncoder({ label: 'bench-ring' });
        const staging = ring.request(enc);
        ctx.device.queue.submit([enc.finish()]);
        ring.commit(staging, () => resolve(performance.now() - t0));
      });
      const ms = await done;
      if (i >= 0) viaRing.push(ms);
    }
    await ring.drain();
    return { bytes, readBuffer: latencyStats(oneShot), ring: latencyStats(viaRing) };
  } finally {
    ring.destroy();
    src.destroy();
  }
}

/**
 * Per-dispatch and per-submit overhead with a one-invocation kernel, so almost all of the time is
 * the API and the driver: `dispatches` ticks in one pass (each depends on the last, as a training
 * step's dispatches do), and `submits` one-tick submits awaited once.
 */
export async function measureDispatchOverhead(ctx: GpuContext, dispatches = 1000, submits = 100): Promise<DispatchOverhead> {
  const clock = new DeviceClock(ctx);
  const submitTicks = (n: number) => {
    const enc = ctx.device.createCommandEncoder({ label: 'bench-ticks' });
    const pass = enc.beginComputePass();
    for (let i = 0; i < n; i++) clock.encodeTick(pass);
    pass.end();
    ctx.device.queue.submit([enc.finish()]);
  };
  try {
    submitTicks(1); // pipeline compile
    await ctx.idle();
    let t0 = performance.now();
    submitTicks(dispatches);
    await ctx.idle();
    const perDispatchUs = ((performance.now() - t0) * 1000) / dispatches;
    t0 = performance.now();
    for (let i = 0; i < submits; i++) submitTicks(1);
    await ctx.idle();
    const perSubmitUs = ((performance.now() - t0) * 1000) / submits;
    return { dispatches, perDispatchUs, submits, perSubmitUs };
  } finally {
    clock.destroy();
  }
}
