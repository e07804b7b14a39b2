import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import { benchMarkdown } from '../../bench/report.ts';
import { fmtRate, runBench, type BenchResult } from '../../bench/run-bench.ts';
import { BENCH_SUITES } from '../../bench/suites.ts';
import type { CliCommand } from '../command.ts';
import { jsonFlag } from '../flags.ts';

export const benchCommand: CliCommand = {
  path: ['bench'],
  summary: 'benchmarks: copy roofline, readback latency, dispatch overhead, each kernel family on WebGPU vs its CPU twin; writes JSON + markdown',
  flags: {
    suites: { type: 'choice-list', choices: BENCH_SUITES.map((s) => s.name), help: 'suites to run (default: all)' },
    quick: { type: 'bool', help: 'small sizes, 2^12..2^16 (smoke test)' },
    out: { type: 'string', help: 'where the JSON goes (default docs/benchmarks.json; with --quick or --suites, bench-results/bench.json)' },
    md: { type: 'string', help: 'where the markdown report goes (default docs/benchmarks.md; with --quick or --suites, bench-results/bench.md)' },
    json: jsonFlag(),
  },
  async run(f, io) {
    const ctx = await io.gpu();
    const want = (f.suites as string[] | undefined) ?? BENCH_SUITES.map((s) => s.name);
    const result = await runBench(ctx, { suites: BENCH_SUITES.filter((s) => want.includes(s.name)), quick: Boolean(f.quick), log: io.log, hostLoad });
    // Only a full run replaces the committed record in docs/; partial runs go to bench-results/.
    const partial = Boolean(f.quick) || f.suites !== undefined;
    f.out ??= partial ? 'bench-results/bench.json' : 'docs/benchmarks.json';
    f.md ??= partial ? 'bench-results/bench.md' : 'docs/benchmarks.md';
    for (const [path, text] of [
      [f.out as string, JSON.stringify(result, null, 2) + '\n'],
      [f.md as string, benchMarkdown(result)],
    ] as const) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    return { ...result, out: f.out as string, md: f.md as string };
  },
  format(r) {
    const b = r as unknown as BenchResult & { out: string; md: string };
    const rows = b.entries.map(
      (e) =>
        `${e.suite.padEnd(17)} ${String(e.size).padStart(8)}  webgpu ${fmtRate(e.gpu.itemsPerSecond).padStart(8)} ${e.unit}/s ${e.gpu.GBps.toFixed(2).padStart(6)} GB/s ${(100 * e.fractionOfRoofline).toFixed(1).padStart(5)}% roofline  cpu ${fmtRate(e.cpu.itemsPerSecond).padStart(8)}/s${e.cpuScaledFrom ? '*' : ' '}  webgpu/cpu ${e.gpuOverCpu.toFixed(2)}`,
    );
    return [
      `adapter: ${b.adapter}`,
      `roofline (copy, GB/s): ${b.roofline.map((p) => p.GBps.toFixed(2)).join(' ')}`,
      `readback p50: readBuffer ${b.readback.readBuffer.p50Ms.toFixed(3)} ms, ring ${b.readback.ring.p50Ms.toFixed(3)} ms; dispatch ${b.dispatch.perDispatchUs.toFixed(1)} us, submit ${b.dispatch.perSubmitUs.toFixed(1)} us`,
      ...rows,
      ...(b.skipped.length ? [`skipped: ${b.skipped.map((s) => `${s.suite}@${s.size}`).join(', ')}`] : []),
      `written: ${b.out}, ${b.md}`,
    ].join('\n');
  },
};

function hostLoad(): { cpus: number; load: number } {
  return { cpus: os.cpus().length, load: os.loadavg()[0]! };
}
