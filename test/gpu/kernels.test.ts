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
      const report = await suite.run(ctx);
      expect(suite.violations(report), JSON.stringify(report)).toEqual([]);
    });
  }
});
