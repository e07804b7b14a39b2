import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BENCH_SUITES } from '../../bench/suites.ts';
import type { BenchEntry } from '../../bench/harness.ts';
import type { CliCommand } from '../command.ts';

export const benchCommand: CliCommand = {
  path: ['bench'],
  summary: 'benchmarks: each kernel family on WebGPU vs its CPU twin, in one run; writes JSON',
  flags: {
    suites: { type: 'choice-list', choices: BENCH_SUITES.map((s) => s.name), help: 'suites to run (default: all)' },
    quick: { type: 'bool', help: 'small sizes (smoke test)' },
    out: { type: 'string', default: 'bench-results/bench.json', help: 'where the JSON goes' },
    json: { type: 'bool', help: 'print the result as one JSON object on stdout' },
  },
  async run(f, io) {
    const ctx = await io.gpu();
    const want = (f.suites as string[] | undefined) ?? BENCH_SUITES.map((s) => s.name);
    const entries: BenchEntry[] = [];
    const t0 = Date.now();
    for (const s of BENCH_SUITES.filter((x) => want.includes(x.name))) {
      entries.push(...(await s.run(ctx, { quick: Boolean(f.quick), log: io.log })));
    }
    const result = {
      date: new Date().toISOString(),
      adapter: ctx.adapterName(),
      backend: ctx.backend,
      isFallbackAdapter: ctx.summary().isFallbackAdapter,
      node: process.version,
      wallSeconds: (Date.now() - t0) / 1000,
      entries,
      out: f.out as string,
    };
    mkdirSync(dirname(f.out as string), { recursive: true });
    writeFileSync(f.out as string, JSON.stringify(result, null, 2) + '\n');
    return result;
  },
  format(r) {
    const rows = (r.entries as BenchEntry[]).map((e) =>
      `${e.suite.padEnd(16)} ${JSON.stringify(e.config).padEnd(56)} webgpu ${fmt(e.gpu.itemsPerSecond)} ${e.unit}/s  cpu ${fmt(e.cpu.itemsPerSecond)}/s  webgpu/cpu ${e.gpuOverCpu.toFixed(2)}`,
    );
    return [`adapter: ${r.adapter}`, ...rows, `written: ${r.out}`].join('\n');
  },
};

function fmt(x: number): string {
  return x >= 1e9 ? `${(x / 1e9).toFixed(2)}G` : x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(1);
}
