import { describe, expect, it } from 'vitest';
import { f64AddF32 } from './soft-f64.ts';

describe("f64.wgsl's integer-only f64 + f32 (through its TypeScript port)", () => {
  it('equals native f64 addition bit for bit: wide exponent spans, f32 subnormals, exact cancellations', () => {
    const acc = new Float64Array(1),
      words = new Uint32Array(acc.buffer);
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    let mismatches = 0,
      beyondF32 = 0;
    for (let trial = 0; trial < 4000; trial++) {
      acc[0] = 0;
      let w: [number, number] = [0, 0];
      const span = Math.floor(rnd() * 60);
      for (let k = 0; k < 200; k++) {
        const scale = rnd() < 0.05 ? 1e30 : rnd() < 0.05 ? 1e-40 : 1;
        const x = Math.fround(rnd() < 0.01 ? -acc[0]! : (rnd() - 0.5) * 2 ** (Math.floor(rnd() * span) - 30) * scale);
        const exact = acc[0]! + x;
        acc[0] = exact;
        w = f64AddF32(w, x);
        if (w[0] !== words[0] || w[1] !== words[1]) mismatches++;
        [words[0], words[1]] = w;
        if (Math.fround(exact) !== exact) beyondF32++;
      }
    }
    expect(mismatches).toBe(0);
    expect(beyondF32).toBeGreaterThan(1000);
  });
});
