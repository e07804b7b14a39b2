import { describe, expect, it } from 'vitest';
import { adamStep, OTT_ADAM } from '../../src/ott/adam.ts';
import { F32_EPS, standardisedReturns } from '../../src/ott/returns.ts';

describe('Adam (torch.optim.Adam defaults, lr 1e-2)', () => {
  it('matches hand-computed first and second steps, per replica', () => {
    // two replicas of 2 parameters; only replica 0 learns on the first call
    const p = new Float32Array([1, -2, 5, 5]);
    const g = new Float32Array([0.5, -0.1, 9, 9]);
    const m = new Float32Array(4);
    const v = new Float32Array(4);
    const step = new Uint32Array([1, 0]);
    adamStep(p, g, m, v, 2, step, new Uint8Array([1, 0]), OTT_ADAM);
    // step 1: m = 0.1 g, v = 0.001 g^2, mhat = g, vhat = g^2 -> p -= lr * g / (|g| + eps)
    expect(p[0]).toBeCloseTo(0.99, 6);
    expect(p[1]).toBeCloseTo(-1.99, 6);
    expect(m[0]).toBeCloseTo(0.05, 7);
    expect(v[0]).toBeCloseTo(0.00025, 9);
    expect(Array.from(p.subarray(2))).toEqual([5, 5]);
    expect(Array.from(m.subarray(2))).toEqual([0, 0]);
    // step 2 with g = 0.2: m = 0.065, v = 0.00028975, mhat = 0.065/0.19, vhat = 0.00028975/0.001999
    g.set([0.2, -0.1]);
    step[0] = 2;
    adamStep(p, g, m, v, 2, step, new Uint8Array([1, 0]), OTT_ADAM);
    expect(m[0]).toBeCloseTo(0.065, 7);
    expect(v[0]).toBeCloseTo(0.00028975, 9);
    const upd = (0.01 * (0.065 / 0.19)) / Math.sqrt(0.00028975 / 0.001999);
    expect(upd).toBeCloseTo(0.0089858, 6);
    expect(p[0]).toBeCloseTo(0.99 - upd, 6);
    // constant gradient -> every step moves by ~lr
    expect(p[1]).toBeCloseTo(-1.98, 5);
  });

  it('a zero gradient leaves a fresh parameter unchanged (masked inputs never move)', () => {
    const p = new Float32Array([0.7]);
    adamStep(p, new Float32Array([0]), new Float32Array(1), new Float32Array(1), 1, new Uint32Array([1]), new Uint8Array([1]), OTT_ADAM);
    expect(p[0]).toBe(Math.fround(0.7));
  });
});

describe('standardised discounted returns', () => {
  it('matches a hand computation (gamma 0.5, rewards 1,1,1)', () => {
    // G = [1.75, 1.5, 1], mean 1.41667, unbiased std 0.381881
    const N = 1,
      R = 1,
      Tmax = 3;
    const out = new Float32Array(3);
    standardisedReturns(new Float32Array([1, 1, 1]), N, R, Tmax, new Uint32Array([3]), new Uint8Array([1]), 0.5, out);
    expect(out[0]).toBeCloseTo(0.872872, 5);
    expect(out[1]).toBeCloseTo(0.218218, 5);
    expect(out[2]).toBeCloseTo(-1.091089, 5);
  });

  it('works per (replica, neuron) over each replica’s own length; mean 0 and std 1', () => {
    const N = 2,
      R = 2,
      Tmax = 6;
    const rewards = new Float32Array(R * Tmax * N);
    for (let i = 0; i < rewards.length; i++) rewards[i] = Math.sin(i) + (i % 3);
    const lengths = new Uint32Array([6, 4]);
    const out = new Float32Array(rewards.length).fill(99);
    standardisedReturns(rewards, N, R, Tmax, lengths, new Uint8Array([1, 1]), 0.99, out);
    for (let r = 0; r < R; r++) {
      for (let n = 0; n < N; n++) {
        const T = lengths[r]!;
        const G: number[] = [];
        let acc = 0;
        for (let t = T - 1; t >= 0; t--) {
          acc = rewards[(r * Tmax + t) * N + n]! + 0.99 * acc;
          G[t] = acc;
        }
        const mean = G.reduce((a, b) => a + b) / T;
        const std = Math.sqrt(G.reduce((a, b) => a + (b - mean) ** 2, 0) / (T - 1));
        for (let t = 0; t < T; t++) expect(out[(r * Tmax + t) * N + n]).toBeCloseTo((G[t]! - mean) / (std + F32_EPS), 5);
      }
    }
    // rows past replica 1's length are untouched
    expect(out[(1 * Tmax + 4) * N]).toBe(99);
  });

  it('a one-step episode gives 0 (no NaN); two steps give +-1/sqrt(2)', () => {
    const out = new Float32Array(2).fill(5);
    standardisedReturns(new Float32Array([1, 0]), 1, 1, 2, new Uint32Array([1]), new Uint8Array([1]), 0.99, out);
    expect(out[0]).toBe(0);
    const out2 = new Float32Array(2);
    standardisedReturns(new Float32Array([0.5, 0]), 1, 1, 2, new Uint32Array([2]), new Uint8Array([1]), 0, out2);
    // gamma 0: G = [0.5, 0], mean 0.25, unbiased std 0.353553
    expect(out2[0]).toBeCloseTo(0.707107, 5);
    expect(out2[1]).toBeCloseTo(-0.707107, 5);
  });
});
