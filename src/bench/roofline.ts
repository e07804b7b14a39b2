import type { GpuContext } from '../gpu/context.ts';
import { CopyRooflineKernel } from './copy-roofline.ts';
import { timeCpu, timeGpu, type TimingBudget } from './timing.ts';

/** One size of the copy roofline: a plain vec4 copy of `bytesMoved / 2` bytes. */
export interface RooflinePoint {
  /** Bytes read + written by one copy. */
  bytesMoved: number;
  secondsPerCopy: number;
  /** Copies per timed submit (the best of ROOFLINE_TRIALS submits counts). */
  copies: number;
  /** bytesMoved / secondsPerCopy / 1e9 */
  GBps: number;
  /** The fastest variant at this size. */
  workgroup: number;
  perThread: number;
}

/**
 * Source sizes of the roofline ladder (bytes copied; twice that is moved). Full: 256 KiB to 256 MiB
 * in steps of 4, then 512 MiB (the per-buffer cap), covering what a suite moves per step from 2^16
 * to 2^22 items (up to ~1 GB); quick: up to 4 MiB.
 */
export const ROOFLINE_BYTES = {
  full: [1 << 18, 1 << 20, 1 << 22, 1 << 24, 1 << 26, 1 << 28, 1 << 29],
  quick: [1 << 18, 1 << 20, 1 << 22],
} as const;

/** Timed submits per variant and size; the fastest counts (the machine may be busy with other work). */
export const ROOFLINE_TRIALS = 3;

/**
 * Copy variants tried at each size, [workgroup, words per invocation]; the roofline is the best,
 * since it is meant to bound every kernel.
 */
export const ROOFLINE_VARIANTS = [
  [64, 1],
  [256, 1],
  [256, 4],
] as const;

/**
 * Measure the copy roofline on `ctx` at each source size (capped so src and dst each fit the
 * per-buffer limit): GB/s of read + write, the best over `ROOFLINE_VARIANTS`.
 */
export async function measureRoofline(ctx: GpuContext, sizes: readonly number[], timing: TimingBudget, log: (s: string) => void = () => {}): Promise<RooflinePoint[]> {
  const out: RooflinePoint[] = [];
  for (const want of sizes) {
    const bytes = Math.min(want, ctx.maxBufferBytes);
    let best: RooflinePoint | undefined;
    for (const [wg, per] of ROOFLINE_VARIANTS) {
      if (wg > ctx.limits.maxComputeInvocationsPerWorkgroup!) continue;
      const k = new CopyRooflineKernel(ctx, bytes / 16, wg, per);
      try {
        const t = await timeGpu(ctx, (pass) => k.encode(pass), timing, ROOFLINE_TRIALS);
        const p = { bytesMoved: k.bytesMoved, secondsPerCopy: t.secondsPerStep, copies: t.steps, GBps: k.bytesMoved / t.secondsPerStep / 1e9, workgroup: wg, perThread: per };
        if (!best || p.GBps > best.GBps) best = p;
      } finally {
        k.destroy();
      }
    }
    log(`roofline: copy ${fmtBytes(bytes)} -> ${best!.GBps.toFixed(2)} GB/s (read + write; workgroup ${best!.workgroup}, ${best!.perThread} word${best!.perThread > 1 ? 's' : ''} per invocation)`);
    out.push(best!);
  }
  return out;
}

/**
 * One size of the host copy roofline: a typed-array copy (`Float32Array.prototype.set`, a memcpy on
 * one thread) of `bytesMoved / 2` bytes; what the CPU twins are compared with.
 */
export interface HostRooflinePoint {
  /** Bytes read + written by one copy. */
  bytesMoved: number;
  secondsPerCopy: number;
  /** Copies in the fastest timed trial. */
  copies: number;
  /** bytesMoved / secondsPerCopy / 1e9 */
  GBps: number;
}

/** Measure the host copy roofline at each source size: GB/s of read + write, the best of ROOFLINE_TRIALS trials. */
export function measureHostRoofline(sizes: readonly number[], timing: TimingBudget, log: (s: string) => void = () => {}): HostRooflinePoint[] {
  return sizes.map((bytes) => {
    const src = new Float32Array(bytes / 4).fill(1),
      dst = new Float32Array(bytes / 4);
    let best: HostRooflinePoint | undefined;
    for (let i = 0; i < ROOFLINE_TRIALS; i++) {
      const t = timeCpu(() => dst.set(src), timing.cpuSeconds / ROOFLINE_TRIALS);
      const p = { bytesMoved: 2 * bytes, secondsPerCopy: t.secondsPerStep, copies: t.steps, GBps: (2 * bytes) / t.secondsPerStep / 1e9 };
      if (!best || p.GBps > best.GBps) best = p;
    }
    log(`host roofline: copy ${fmtBytes(bytes)} -> ${best!.GBps.toFixed(2)} GB/s (read + write, one thread)`);
    return best!;
  });
}

/** The roofline point whose bytes moved per copy are nearest `bytes` on a log scale. */
export function nearestRoofline<P extends { bytesMoved: number }>(points: readonly P[], bytes: number): P {
  if (!points.length) throw new Error('no roofline points measured');
  let best = points[0]!;
  for (const p of points) if (Math.abs(Math.log(p.bytesMoved / bytes)) < Math.abs(Math.log(best.bytesMoved / bytes))) best = p;
  return best;
}

/** 256 KiB, 4 MiB, 1.2 GiB, ... */
export function fmtBytes(b: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (b >= 1024 && i < units.length - 1) {
    b /= 1024;
    i++;
  }
  return `${Number.isInteger(b) ? b : b.toFixed(1)} ${units[i]}`;
}
