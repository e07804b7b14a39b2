import { afterAll, beforeAll } from 'vitest';
import type { GpuContext } from '../../src/gpu/context.ts';
import { createNodeGpu } from '../../src/gpu/node.ts';

/**
 * The Node WebGPU context (Dawn) a test file shares: created in beforeAll, destroyed in afterAll.
 * Call at the file's top level; read `.ctx` inside its tests.
 */
export function nodeGpuForFile(): { readonly ctx: GpuContext } {
  let ctx: GpuContext | undefined;
  beforeAll(async () => {
    ctx = await createNodeGpu();
  });
  afterAll(() => ctx?.destroy());
  return {
    get ctx(): GpuContext {
      if (!ctx) throw new Error('no GPU context: the file has no WebGPU device (its beforeAll failed)');
      return ctx;
    },
  };
}
