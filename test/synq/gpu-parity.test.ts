import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuContext } from '../../src/gpu/context.ts';
import { createNodeGpu } from '../../src/gpu/node.ts';
import { PARITY_SUITES } from '../parity/suites.ts';

// The synq entries of the shared parity list, alone (the full list runs in test/gpu/kernels.test.ts).
let ctx: GpuContext;
beforeAll(async () => {
  ctx = await createNodeGpu({ debug: true });
});
afterAll(() => ctx?.destroy());

describe('synq kernels: GPU vs CPU twin', () => {
  for (const suite of PARITY_SUITES.filter((s) => s.name.startsWith('synq'))) {
    it(suite.name, async () => {
      const report = await suite.run(ctx);
      expect(suite.violations(report), JSON.stringify(report)).toEqual([]);
    });
  }
});
