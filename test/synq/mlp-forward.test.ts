import { describe, expect, it } from 'vitest';
import { CounterRng } from '../../src/rng/counter-rng.ts';
import { denseForward, sparseRows, type Activation } from '../../src/synq/mlp.ts';

/** The forward pass written plainly: per unit, f64 sum of bias + w * x over k in order. */
function naiveForward(B: number, I: number, O: number, w: Float32Array, x: Float32Array, act: Activation): Float32Array {
  const out = new Float32Array(B * O);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < O; j++) {
      let acc = w[j * (I + 1)]!;
      for (let k = 0; k < I; k++) acc += w[j * (I + 1) + 1 + k]! * x[b * I + k]!;
      out[b * O + j] = act === 'relu' ? Math.max(acc, 0) : act === 'tanh' ? Math.tanh(acc) : acc;
    }
  }
  return out;
}

describe('denseForward (the synq forward twin)', () => {
  // Widths that hit the 10-unit and 8-unit register paths, their remainders and the generic loop.
  // B = 7 takes the small-batch direct loop, B = 40 the transposed register-blocked one.
  for (const [O, B] of [
    [1, 40],
    [8, 40],
    [10, 40],
    [13, 40],
    [32, 40],
    [10, 7],
    [32, 7],
  ] as const) {
    it(`is bit-identical to the plain per-unit loop, ${O} units x ${B} samples, with and without precomputed nonzeros`, () => {
      const I = 50;
      const rng = new CounterRng(5, 1, O);
      const w = new Float32Array(O * (I + 1)).map(() => rng.range(-1, 1));
      // ~60% zeros, as MNIST pixels or ReLU outputs
      const x = new Float32Array(B * I).map(() => (rng.uniform() < 0.6 ? 0 : rng.range(0, 1)));
      for (const act of ['identity', 'relu', 'tanh'] as Activation[]) {
        const want = naiveForward(B, I, O, w, x, act);
        const dense = new Float32Array(B * O);
        denseForward(1, B, I, O, w, w.length, 0, x, dense, act);
        const sparse = new Float32Array(B * O);
        denseForward(1, B, I, O, w, w.length, 0, new Float32Array(0), sparse, act, sparseRows(x, B, I));
        expect(Array.from(dense)).toEqual(Array.from(want));
        expect(Array.from(sparse)).toEqual(Array.from(want));
      }
    });
  }
});
