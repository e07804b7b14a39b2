import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuContext } from '../../src/gpu/context.ts';
import { createNodeGpu } from '../../src/gpu/node.ts';
import { PARITY_SUITES } from '../parity/suites.ts';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await createNodeGpu({ debug: true });
});
afterAll(() => ctx?.destroy());

describe('kernel parity on a WebGPU device in Node (Dawn): GPU vs CPU twin', () => {
  for (const suite of PARITY_SUITES) {
    it(suite.name, async () => {
      ctx.kernelsUsed.clear();
      const report = await suite.run(ctx);
      expect(suite.violations(report), JSON.stringify(report)).toEqual([]);
      // The suite really ran the kernels it claims to check.
      for (const k of suite.kernels) expect([...ctx.kernelsUsed], `${suite.name} lists ${k}`).toContain(k);
    });
  }

  it('every compute kernel in shaders/ is checked by some parity suite', () => {
    // Files without an entry point (@compute, or the #kernel line that generates one) are includes
    // (common, rng, ott-common): they are covered through the kernels that include them.
    // Shared bodies that hold the entry point for the files that include them (env-common,
    // reward-term-common) are checked through those files too.
    const dir = new URL('../../shaders/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.wgsl'));
    const included = new Set(files.flatMap((f) => [...readFileSync(new URL(f, dir), 'utf8').matchAll(/#include\s+"([\w-]+)"(?![ \t]+functions)/g)].map((m) => m[1]!)));
    expect([...included]).toEqual(expect.arrayContaining(['common', 'env-common', 'reward-term-common', 'ott-forward-common']));
    const kernels = files
      .filter((f) => /@compute|^[ \t]*#kernel\b/m.test(readFileSync(new URL(f, dir), 'utf8')))
      .map((f) => f.replace(/\.wgsl$/, ''))
      .filter((k) => !included.has(k));
    const covered = new Set(PARITY_SUITES.flatMap((s) => s.kernels));
    expect(kernels.length).toBeGreaterThan(30);
    expect(kernels.filter((k) => !covered.has(k))).toEqual([]);
  });
});
