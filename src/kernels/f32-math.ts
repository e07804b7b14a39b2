/**
 * f32 helpers that give the same bits as their WGSL counterparts in shaders/common.wgsl.
 */
const f = Math.fround;
const FOPI = f(1.27323954473516);
const DP1 = f(0.78515625),
  DP2 = f(2.4187564849853515625e-4),
  DP3 = f(3.77489497744594108e-8);
const S0 = f(-1.9515295891e-4),
  S1 = f(8.3321608736e-3),
  S2 = f(1.6666654611e-1);
const C0 = f(2.443315711809948e-5),
  C1 = f(1.388731625493765e-3),
  C2 = f(4.166664568298827e-2);

/** [sin x, cos x] in f32, bit-identical to `sincos` in shaders/common.wgsl (accurate to ~1 ulp for |x| < 8192). */
export function sincosF32(xIn: number): [number, number] {
  const x = f(xIn);
  const ax = Math.abs(x);
  let j = Math.trunc(f(ax * FOPI)) >>> 0;
  if (j & 1) j += 1;
  const y = f(j);
  const r = f(f(f(ax - f(y * DP1)) - f(y * DP2)) - f(y * DP3));
  const z = f(r * r);
  const sp = f(f(f(f(f(f(f(S0 * z) + S1) * z) - S2) * z) * r) + r);
  const cp = f(f(f(f(f(f(f(f(C0 * z) - C1) * z) + C2) * z) * z) - f(0.5 * z)) + 1);
  let js = j & 7;
  let ss = x < 0 ? -1 : 1;
  let cs = 1;
  if (js > 3) {
    js -= 4;
    ss = -ss;
    cs = -cs;
  }
  if (js > 1) cs = -cs;
  const swap = js === 1 || js === 2;
  return [ss * (swap ? cp : sp), cs * (swap ? sp : cp)];
}

/** Logistic function rounded to f32 (the kernels' `sigmoid`; exp differs by ulps between sides). */
export function sigmoidF32(a: number): number {
  return f(1 / (1 + Math.exp(-a)));
}

const E8 = f(2.48015873e-5),
  E7 = f(1.98412698e-4),
  E6 = f(1.38888889e-3),
  E5 = f(8.33333333e-3),
  E4 = f(4.16666667e-2),
  E3 = f(1.66666667e-1);
const LOG2E = f(1.44269504),
  LN2 = f(0.693147182);

/** exp(-u) in f32 for u in [0, 80] (clamped), bit-identical to `exp_neg` in shaders/common.wgsl (relative error < 1e-6 for u < 8, < 1e-5 up to 80: u log2 e is rounded to f32). */
export function expNegF32(uIn: number): number {
  const u = Math.min(Math.max(f(uIn), 0), 80);
  const t = f(u * LOG2E);
  const k = Math.floor(t);
  const z = f(f(t - k) * LN2);
  let p = f(E8 * z);
  p = f(f(p - E7) * z);
  p = f(f(p + E6) * z);
  p = f(f(p - E5) * z);
  p = f(f(p + E4) * z);
  p = f(f(p - E3) * z);
  p = f(f(p + 0.5) * z);
  p = f(f(p - 1) * z);
  p = f(p + 1);
  return p * 2 ** -k;
}
