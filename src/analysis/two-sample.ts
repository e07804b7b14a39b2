import { CounterRng, Stream } from '../rng/counter-rng.ts';

/** Mean and (sample, n - 1) standard deviation. */
export function meanStd(xs: readonly number[]): { mean: number; std: number; n: number } {
  const n = xs.length;
  const mean = n ? xs.reduce((a, b) => a + b, 0) / n : NaN;
  const std = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : NaN;
  return { mean, std, n };
}

/** Welch's t statistic of mean(a) - mean(b) and its Welch-Satterthwaite degrees of freedom. */
export function welch(a: readonly number[], b: readonly number[]): { t: number; df: number } {
  const A = meanStd(a),
    B = meanStd(b);
  const va = A.std ** 2 / A.n,
    vb = B.std ** 2 / B.n;
  const t = (A.mean - B.mean) / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (A.n - 1) + vb ** 2 / (B.n - 1));
  return { t, df };
}

/**
 * Two-sided permutation test of mean(a) - mean(b): the fraction of relabellings of the pooled
 * values whose |difference of means| is at least the observed one. Exact (every split enumerated)
 * when there are at most `exactLimit` splits (10 vs 10: 184,756), else `draws` random splits from
 * the counter RNG (seeded; the observed split counted once, so p > 0).
 */
export function permutationTest(a: readonly number[], b: readonly number[], o: { exactLimit?: number; draws?: number; seed?: number } = {}): { p: number; exact: boolean; splits: number } {
  const pooled = [...a, ...b],
    n = pooled.length,
    k = a.length;
  const total = pooled.reduce((s, x) => s + x, 0);
  const diff = (sumA: number) => Math.abs(sumA / k - (total - sumA) / (n - k));
  const observed = diff(a.reduce((s, x) => s + x, 0)) * (1 - 1e-12);
  let splits = 1;
  for (let i = 0; i < k; i++) splits = (splits * (n - i)) / (i + 1);
  if (splits <= (o.exactLimit ?? 2e6)) {
    let hits = 0,
      count = 0;
    const walk = (start: number, left: number, sum: number) => {
      if (left === 0) {
        count++;
        if (diff(sum) >= observed) hits++;
        return;
      }
      for (let i = start; i <= n - left; i++) walk(i + 1, left - 1, sum + pooled[i]!);
    };
    walk(0, k, 0);
    return { p: hits / count, exact: true, splits: count };
  }
  const draws = o.draws ?? 100_000;
  const rng = new CounterRng(o.seed ?? 0, Stream.permutation, 0);
  const idx = pooled.map((_, i) => i);
  let hits = 1;
  for (let d = 0; d < draws; d++) {
    let sum = 0;
    for (let i = 0; i < k; i++) {
      const j = i + rng.int(n - i);
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
      sum += pooled[idx[i]!]!;
    }
    if (diff(sum) >= observed) hits++;
  }
  return { p: hits / (draws + 1), exact: false, splits: draws + 1 };
}
