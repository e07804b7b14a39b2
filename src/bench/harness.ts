import type { GpuContext } from '../gpu/context.ts';
import { nearestRoofline, type HostRooflinePoint, type RooflinePoint } from './roofline.ts';
import { timeCpu, timeGpu, type TimingBudget } from './timing.ts';

/** Agent / synapse / env counts every suite runs at (one entry each). */
export const BENCH_SIZES = { full: [1 << 16, 1 << 20, 1 << 22], quick: [1 << 12, 1 << 14, 1 << 16] } as const;

/**
 * Most items a CPU twin runs per timed step before the harness times a subset and scales it
 * linearly (`cpuScaledFrom` in the entry): a full 2^22 twin step can take many seconds.
 */
export const CPU_MAX_ITEMS = 1 << 20;

/** What a suite gets besides the context and the size. */
export interface BenchOptions {
  quick: boolean;
  log: (line: string) => void;
}

/**
 * One size of one suite, built and ready to time: the GPU work of one step, the CPU twin doing the
 * same step (or a prefix of it), and the figures the harness turns into rates.
 */
export interface BenchCase {
  /** What was built (replicas, neurons, fanIn, ...), copied into the JSON. */
  config: Record<string, number | string>;
  /** Work items of one GPU step (agent-steps, env-steps, agent-updates, ...). */
  itemsPerStep: number;
  /**
   * Bytes one step must move at least, as the suite declares them: every word a step reads or
   * writes counted once (data shared by a replica counted once per replica, not per agent).
   */
  bytesPerStep: number;
  /** Record one GPU step into a compute pass (the harness puts many in one submit). */
  encode(pass: GPUComputePassEncoder): void;
  /** Items one `cpuStep` covers: `itemsPerStep`, or a prefix of them (then scaled linearly). */
  cpuItems: number;
  /** One step of the CPU twin over `cpuItems` items. */
  cpuStep(): void;
  /** A second rate the suite reports, as a fixed number of its own units per step (e.g. episodes). */
  secondary?: { unit: string; perStep: number; how: string };
  /** Free the GPU buffers and kernels. */
  destroy(): void;
}

/**
 * A benchmark family. Adding one is a file that exports a `BenchSuite` (see spike-bench.ts) and a
 * line in suites.ts: the harness picks the sizes, times both paths, and derives every figure.
 */
export interface BenchSuite {
  name: string;
  /** What one item is, plural: 'agent-steps', 'env-steps', ... */
  unit: string;
  /**
   * Sizes of a full run for this suite, overriding BENCH_SIZES.full (e.g. synapse-q adds 2^24).
   * Quick mode and an explicit `RunBenchOptions.sizes` ignore it.
   */
  sizes?: readonly number[];
  /** Build the work for `size` items (agents, synapses, envs). */
  setup(ctx: GpuContext, size: number, o: BenchOptions): Promise<BenchCase> | BenchCase;
}

/** One measured size of one suite: the WebGPU path against the copy roofline and the CPU twin. */
export interface BenchEntry {
  suite: string;
  /** Items per step the suite was asked for (2^16, 2^20, 2^22, ...). */
  size: number;
  config: Record<string, number | string>;
  unit: string;
  itemsPerStep: number;
  bytesPerStep: number;
  gpu: { secondsPerStep: number; steps: number; itemsPerSecond: number; GBps: number };
  /** The copy-roofline point used: the one whose bytes moved per copy are nearest `bytesPerStep`. */
  roofline: { GBps: number; bytes: number };
  /** gpu.GBps / roofline.GBps */
  fractionOfRoofline: number;
  /** CPU twin, scaled to the full `itemsPerStep` when only a prefix was timed; GBps is bytesPerStep over its step time. */
  cpu: { secondsPerStep: number; steps: number; itemsPerSecond: number; GBps: number };
  /** The host copy-roofline point used for the CPU twin (nearest `bytesPerStep`). */
  hostRoofline: { GBps: number; bytes: number };
  /** cpu.GBps / hostRoofline.GBps */
  cpuFractionOfRoofline: number;
  /** Items the CPU twin actually ran per step, present only when fewer than `itemsPerStep`. */
  cpuScaledFrom?: number;
  /** gpu.itemsPerSecond / cpu.itemsPerSecond */
  gpuOverCpu: number;
  /** The suite's second rate on both paths (BenchCase.secondary). */
  secondary?: { unit: string; perStep: number; how: string; gpuPerSecond: number; cpuPerSecond: number };
}

/** The sizes `suite` runs at: `override` if given, else the quick list in quick mode, else the suite's own or the default. */
export function suiteSizes(suite: BenchSuite, quick: boolean, override?: readonly number[]): number[] {
  if (override) return [...override];
  if (quick) return [...BENCH_SIZES.quick];
  return [...(suite.sizes ?? BENCH_SIZES.full)];
}

/** How many of `units` (replicas, each `itemsPerUnit` items) the CPU twin runs: all, or what fits `maxItems`. */
export function cpuUnits(units: number, itemsPerUnit: number, maxItems = CPU_MAX_ITEMS): number {
  return Math.max(1, Math.min(units, Math.floor(maxItems / itemsPerUnit)));
}

/**
 * Split `units` replicas into shards whose largest buffer (`bytesPerUnit` per replica) fits the
 * context's per-buffer cap; returns the replica count of each shard (as even as possible).
 */
export function shardUnits(ctx: GpuContext, units: number, bytesPerUnit: number): number[] {
  const perShard = Math.floor(ctx.maxBufferBytes / bytesPerUnit);
  if (perShard < 1) throw new RangeError(`one replica needs ${bytesPerUnit} bytes, over the ${ctx.maxBufferBytes}-byte buffer cap`);
  const n = Math.ceil(units / perShard);
  const base = Math.floor(units / n);
  return Array.from({ length: n }, (_, i) => base + (i < units % n ? 1 : 0));
}

/** Fast deterministic fill for large benchmark inputs (xorshift32 in [lo, hi)); values only need to be plausible. */
export function fillUniform(out: Float32Array, lo: number, hi: number, seed = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const scale = (hi - lo) / 2 ** 32;
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = lo + (s >>> 0) * scale;
  }
  return out;
}

/** Run one suite at `size`: build, time the GPU path and the CPU twin, derive the rates, free. */
export async function measureCase(
  ctx: GpuContext,
  suite: BenchSuite,
  size: number,
  roofline: RooflinePoint[],
  hostRoofline: HostRooflinePoint[],
  o: BenchOptions & { timing: TimingBudget },
): Promise<BenchEntry> {
  const c = await suite.setup(ctx, size, o);
  try {
    const gpu = await timeGpu(ctx, (pass) => c.encode(pass), o.timing);
    const cpuRaw = timeCpu(() => c.cpuStep(), o.timing.cpuSeconds);
    const scale = c.itemsPerStep / c.cpuItems;
    const cpuSeconds = cpuRaw.secondsPerStep * scale;
    const gpuItems = c.itemsPerStep / gpu.secondsPerStep;
    const cpuItems = c.itemsPerStep / cpuSeconds;
    const GBps = c.bytesPerStep / gpu.secondsPerStep / 1e9;
    const roof = nearestRoofline(roofline, c.bytesPerStep);
    const hostRoof = nearestRoofline(hostRoofline, c.bytesPerStep);
    const cpuGBps = c.bytesPerStep / cpuSeconds / 1e9;
    const e: BenchEntry = {
      suite: suite.name,
      size,
      config: c.config,
      unit: suite.unit,
      itemsPerStep: c.itemsPerStep,
      bytesPerStep: c.bytesPerStep,
      gpu: { ...gpu, itemsPerSecond: gpuItems, GBps },
      roofline: { GBps: roof.GBps, bytes: roof.bytesMoved },
      fractionOfRoofline: GBps / roof.GBps,
      cpu: { secondsPerStep: cpuSeconds, steps: cpuRaw.steps, itemsPerSecond: cpuItems, GBps: cpuGBps },
      hostRoofline: { GBps: hostRoof.GBps, bytes: hostRoof.bytesMoved },
      cpuFractionOfRoofline: cpuGBps / hostRoof.GBps,
      ...(c.cpuItems < c.itemsPerStep ? { cpuScaledFrom: c.cpuItems } : {}),
      gpuOverCpu: gpuItems / cpuItems,
      ...(c.secondary ? { secondary: { ...c.secondary, gpuPerSecond: c.secondary.perStep / gpu.secondsPerStep, cpuPerSecond: c.secondary.perStep / cpuSeconds } } : {}),
    };
    ctx.checkHealthy();
    return e;
  } finally {
    c.destroy();
  }
}
