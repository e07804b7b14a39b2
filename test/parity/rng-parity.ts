import type { GpuContext } from '../../src/gpu/context.ts';
import { RngStreamKernel } from '../../src/kernels/rng-stream.ts';
import { rngU32, rngUniform } from '../../src/rng/counter-rng.ts';

export interface ParityReport {
  name: string;
  /** Elements compared. */
  count: number;
  /** Elements that must match exactly but do not. */
  exactMismatches: number;
  /** Largest |gpu - cpu| over the float outputs. */
  maxAbsError: number;
  /** Extra facts (e.g. how many draws sat within the knife-edge band). */
  notes?: Record<string, number>;
}

/** GPU vs TypeScript counter RNG: u32 words and uniforms, for several (seed, stream, step). */
export async function rngParity(ctx: GpuContext, count = 1 << 16): Promise<ParityReport> {
  const k = new RngStreamKernel(ctx);
  let exactMismatches = 0;
  let maxAbsError = 0;
  let total = 0;
  for (const [seed, stream, step] of [
    [0, 0, 0],
    [12345, 1, 7],
    [0xffffffff, 99, 0xfffffffe],
  ] as const) {
    const { words, uniforms } = await k.generate(count, seed, stream, step);
    for (let i = 0; i < count; i++) {
      if (words[i] !== rngU32(seed, stream, i, step)) exactMismatches++;
      maxAbsError = Math.max(maxAbsError, Math.abs(uniforms[i]! - rngUniform(seed, stream, i, step)));
    }
    total += count;
  }
  return { name: 'rng', count: total, exactMismatches, maxAbsError };
}
