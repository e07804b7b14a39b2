import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cartpoleBench } from '../../src/bench/cartpole-bench.ts';
import { benchMarkdown } from '../../src/bench/report.ts';
import { runBench, type BenchResult } from '../../src/bench/run-bench.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { createNodeGpu } from '../../src/gpu/node.ts';

let ctx: GpuContext;
let result: BenchResult;
beforeAll(async () => {
  ctx = await createNodeGpu();
  // The smallest run that still exercises every part: two roofline sizes, one suite at 2^12.
  result = await runBench(ctx, { suites: [cartpoleBench], quick: true, sizes: [1 << 12], rooflineBytes: [1 << 16, 1 << 18] });
});
afterAll(() => ctx?.destroy());

const positive = (x: number) => Number.isFinite(x) && x > 0;

describe('bench harness (quick) on a WebGPU device in Node', () => {
  it('measures the copy roofline, readback latency and dispatch overhead', () => {
    expect(result.roofline).toHaveLength(2);
    for (const p of result.roofline) expect([p.GBps, p.secondsPerCopy, p.bytesMoved].every(positive), JSON.stringify(p)).toBe(true);
    expect(result.hostRoofline.map((p) => p.bytesMoved)).toEqual([2 << 16, 2 << 18]);
    for (const p of result.hostRoofline) expect([p.GBps, p.secondsPerCopy, p.copies].every(positive), JSON.stringify(p)).toBe(true);
    for (const st of [result.readback.readBuffer, result.readback.ring]) expect([st.p50Ms, st.p95Ms, st.meanMs].every(positive), JSON.stringify(st)).toBe(true);
    expect(positive(result.dispatch.perDispatchUs) && positive(result.dispatch.perSubmitUs)).toBe(true);
  });

  it('reports finite, positive figures for every entry', () => {
    expect(result.skipped).toEqual([]);
    expect(result.entries).toHaveLength(1);
    const e = result.entries[0]!;
    expect(e.suite).toBe('cartpole-step');
    const figures = [
      e.itemsPerStep,
      e.bytesPerStep,
      e.gpu.secondsPerStep,
      e.gpu.itemsPerSecond,
      e.gpu.GBps,
      e.roofline.GBps,
      e.fractionOfRoofline,
      e.cpu.secondsPerStep,
      e.cpu.itemsPerSecond,
      e.cpu.GBps,
      e.hostRoofline.GBps,
      e.cpuFractionOfRoofline,
      e.gpuOverCpu,
    ];
    expect(figures.every(positive), JSON.stringify(e)).toBe(true);
    expect(e.fractionOfRoofline).toBeCloseTo(e.gpu.GBps / e.roofline.GBps, 12);
    expect(e.gpuOverCpu).toBeCloseTo(e.gpu.itemsPerSecond / e.cpu.itemsPerSecond, 12);
    expect(e.cpu.GBps).toBeCloseTo(e.bytesPerStep / e.cpu.secondsPerStep / 1e9, 12);
    expect(e.cpuFractionOfRoofline).toBeCloseTo(e.cpu.GBps / e.hostRoofline.GBps, 12);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result); // the JSON file holds it all
  });

  it('writes the markdown report with a table per suite and the probes', () => {
    const md = benchMarkdown(result);
    expect(md).toContain(result.adapter);
    expect(md).toContain(result.node);
    // The adapter note names what ran the bench (SwiftShader on this host, a hardware adapter on a GPU host).
    const note = (adapter: string, isFallbackAdapter: boolean) => benchMarkdown({ ...result, adapter, isFallbackAdapter });
    expect(note('google / swiftshader / x', true)).toMatch(/SwiftShader is a CPU implementation/);
    expect(note('mesa / llvmpipe / x', true)).toMatch(/fallback \(software\) adapter/);
    expect(note('nvidia / nvidia-h100-80gb-hbm3 / x', false)).toMatch(/this run used a hardware adapter/);
    expect(md).toContain('## Copy roofline');
    expect(md).toContain('## cartpole-step');
    expect(md).toMatch(/\| size \| config \| webgpu env-steps\/s \| GB\/s \| % roofline \| cpu env-steps\/s \| cpu GB\/s \| cpu % host copy \| webgpu\/cpu \|/);
    expect(md).toMatch(/\| 2\^12 \| envs 4096 \|/);
    expect(md).toContain('## Metrics readback latency');
    expect(md).toContain('## Dispatch overhead');
  });
});
