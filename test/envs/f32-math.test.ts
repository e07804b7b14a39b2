import { describe, expect, it } from 'vitest';
import { sincosF32 } from '../../src/kernels/f32-math.ts';

describe('sincosF32', () => {
  it('matches Math.sin/cos to f32 precision over a wide range, including octant edges', () => {
    let worst = 0;
    for (let i = -20000; i <= 20000; i++) {
      const x = i * 0.00157;
      const [s, c] = sincosF32(x);
      worst = Math.max(worst, Math.abs(s - Math.sin(Math.fround(x))), Math.abs(c - Math.cos(Math.fround(x))));
    }
    expect(worst).toBeLessThan(3e-7);
    const [s0, c0] = sincosF32(0);
    expect(s0).toBe(0);
    expect(c0).toBe(1);
  });
});
