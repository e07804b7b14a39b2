import type { GpuContext } from '../gpu/context.ts';
import { measureCase, suiteSizes, type BenchEntry, type BenchSuite } from './harness.ts';
import { measureDispatchOverhead, measureReadbackLatency, type DispatchOverhead, type ReadbackLatency } from './latency.ts';
import { measureHostRoofline, measureRoofline, ROOFLINE_BYTES, type HostRooflinePoint, type RooflinePoint } from './roofline.ts';
import { TIMING } from './timing.ts';

/** Everything one `hedonist bench` run measured: the JSON file's content and the report's input. */
export interface BenchResult {
  date: string;
  adapter: string;
  backend: string;
  isFallbackAdapter: boolean;
  node: string;
  quick: boolean;
  sizes: number[];
  wallSeconds: number;
  /** The copy roofline measured in this run, one point per size. */
  roofline: RooflinePoint[];
  /** The host copy roofline (one thread, typed-array copies) at the same sizes: the CPU twins' bound. */
  hostRoofline: HostRooflinePoint[];
  readback: ReadbackLatency;
  dispatch: DispatchOverhead;
  entries: BenchEntry[];
  /** Sizes that could not run (allocation refused, device error), with why. */
  skipped: { suite: string; size: number; reason: string }[];
  /**
   * The host's 1-minute load average at the start and end, and its core count (Node only): on a
   * software adapter other processes share the "GPU", so a busy host explains noisy figures.
   */
  host?: { cpus: number; loadStart: number; loadEnd: number };
}

export interface RunBenchOptions {
  suites: BenchSuite[];
  quick: boolean;
  /** Items per step for every suite (default: BENCH_SIZES quick, or full unless a suite names its own `sizes`). */
  sizes?: number[];
  /** Source sizes of the copy roofline (default ROOFLINE_BYTES full or quick). */
  rooflineBytes?: number[];
  log?: (line: string) => void;
  /** The host's 1-minute load average and core count, where the platform can tell (Node: os). */
  hostLoad?: () => { cpus: number; load: number };
}

/**
 * Run the roofline, the latency and overhead probes, then every suite at every size, all on `ctx`
 * in one run, so every ratio compares figures taken on the same adapter minutes apart.
 */
export async function runBench(ctx: GpuContext, o: RunBenchOptions): Promise<BenchResult> {
  const log = o.log ?? (() => {});
  const mode = o.quick ? 'quick' : 'full';
  const timing = TIMING[mode];
  // Every size any suite runs at (suites may override the full list: BenchSuite.sizes).
  const sizes = [...new Set(o.suites.flatMap((s) => suiteSizes(s, o.quick, o.sizes)))].sort((a, b) => a - b);
  const t0 = performance.now();
  const loadStart = o.hostLoad?.();

  const roofline = await measureRoofline(ctx, o.rooflineBytes ?? ROOFLINE_BYTES[mode], timing, log);
  const hostRoofline = measureHostRoofline(o.rooflineBytes ?? ROOFLINE_BYTES[mode], timing, log);
  const readback = await measureReadbackLatency(ctx, o.quick ? 20 : 50);
  log(`readback ${readback.bytes} B: readBuffer p50 ${readback.readBuffer.p50Ms.toFixed(3)} ms, ring p50 ${readback.ring.p50Ms.toFixed(3)} ms`);
  const dispatch = await measureDispatchOverhead(ctx, o.quick ? 200 : 1000, o.quick ? 20 : 100);
  log(`dispatch overhead: ${dispatch.perDispatchUs.toFixed(1)} us per dispatch, ${dispatch.perSubmitUs.toFixed(1)} us per submit`);

  const entries: BenchEntry[] = [];
  const skipped: BenchResult['skipped'] = [];
  for (const suite of o.suites) {
    for (const size of suiteSizes(suite, o.quick, o.sizes)) {
      log(`${suite.name}: ${size} ${suite.unit.split('-')[0]}s`);
      try {
        const e = await measureCase(ctx, suite, size, roofline, hostRoofline, { quick: o.quick, log, timing });
        log(
          `  webgpu ${fmtRate(e.gpu.itemsPerSecond)} ${e.unit}/s, ${e.gpu.GBps.toFixed(2)} GB/s (${(100 * e.fractionOfRoofline).toFixed(1)}% of copy), cpu twin ${fmtRate(e.cpu.itemsPerSecond)}/s${e.cpuScaledFrom ? ` (scaled from ${e.cpuScaledFrom})` : ''} (${(100 * e.cpuFractionOfRoofline).toFixed(1)}% of host copy), webgpu/cpu ${e.gpuOverCpu.toFixed(2)}`,
        );
        entries.push(e);
      } catch (err) {
        // A size the adapter refuses should not lose the rest of the run; the report lists it.
        if (ctx.lostError) throw err;
        const reason = err instanceof Error ? err.message : String(err);
        log(`  skipped: ${reason}`);
        skipped.push({ suite: suite.name, size, reason });
      }
    }
  }
  const s = ctx.summary();
  const loadEnd = o.hostLoad?.();
  return {
    date: new Date().toISOString(),
    adapter: ctx.adapterName(),
    backend: ctx.backend,
    isFallbackAdapter: s.isFallbackAdapter,
    node: typeof process !== 'undefined' ? process.version : 'browser',
    quick: o.quick,
    sizes,
    wallSeconds: (performance.now() - t0) / 1000,
    roofline,
    hostRoofline,
    readback,
    dispatch,
    entries,
    skipped,
    ...(loadStart && loadEnd ? { host: { cpus: loadStart.cpus, loadStart: loadStart.load, loadEnd: loadEnd.load } } : {}),
  };
}

/** 1.23M, 45.6k, ... (items per second). */
export function fmtRate(x: number): string {
  return x >= 1e9 ? `${(x / 1e9).toFixed(2)}G` : x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(1);
}
