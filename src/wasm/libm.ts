/**
 * `Math.exp` and `Math.log1p` on two f64 lanes, bit for bit: V8 computes both with its port of
 * fdlibm (e_exp.c, s_log1p.c; base/ieee754.cc), and these are the same operations in the same
 * order with the branches turned into lane selects. WebAssembly has no fused multiply-add, so each
 * lane rounds exactly as the scalar code does. The domain is what the Weight Max twins pass:
 * `expLanes` for |x| <= 30 (callers select their own values outside), `log1pLanes` for
 * 0 < u < 2^53 (the exponential of such an x). test/wasm/libm.test.ts checks both against Math on
 * every f32 value of that range that the twins can hold.
 */
import { type Code, I } from './assemble.ts';

const { get, set } = I;

/** A v128 constant whose two f64 lanes have the high word `hi` and a zero low word. */
const hiWord = (hi: number) => I.i64x2Const(hi * 2 ** 32);
const C = I.f64x2Const;
/** v128.bitselect with the operands in the order (where the mask is set, else, mask). */
const pick = (a: Code, b: Code, mask: Code): Code[] => [a, b, mask, I.v128Bitselect];
/** |x| < the double whose high word is hi (fdlibm's `hx < hi` on |x|'s high word, low word zero). */
const absBelow = (x: number, hi: number): Code[] => [get(x), I.f64x2Abs, hiWord(hi), I.f64x2Lt];

const SIGN = I.i64x2Const(-(2 ** 63));
/** copysign(a, x) for a >= 0. */
const withSignOf = (a: number, x: number): Code[] => [C(a), get(x), SIGN, I.v128And, I.v128Or];

const INVLN2 = 1.4426950408889634,
  LN2_HI = 6.9314718036912381649e-1,
  LN2_LO = 1.90821492927058770002e-10;
const P = [1.66666666666666019037e-1, -2.77777777770155933842e-3, 6.61375632143793436117e-5, -1.6533902205465251539e-6, 4.13813679705723846039e-8];
const LP = [6.66666666666673513e-1, 3.999999999940941908e-1, 2.857142874366239149e-1, 2.222219843214978396e-1, 1.818357216161805012e-1, 1.531383769920937332e-1, 1.479819860511658591e-1];

/** Horner's c0 + t (c1 + t (c2 + ...)) as fdlibm nests it (innermost t * c_last first). */
function horner(t: number, cs: readonly number[]): Code[] {
  const out: Code[] = [get(t), C(cs.at(-1)!), I.f64x2Mul];
  for (let i = cs.length - 2; i >= 0; i--) out.push(C(cs[i]!), I.f64x2Add, ...(i > 0 ? [get(t), I.f64x2Mul] : []));
  return out;
}

/** The v128 temporaries `expLanes` uses, from its `tmp` on. */
export const EXP_TEMPS = 6;

/**
 * exp of the f64 lanes of local `x` (|x| <= 30), left on the stack:
 *   k = 0 for |x| <= ln2/2, +-1 below 1.5 ln2, else trunc(x / ln2 +- 1/2);
 *   hi = x - k ln2_hi, lo = k ln2_lo, r = hi - lo, c = r - r^2 P(r^2);
 *   exp = (1 - ((lo - r c / (2 - c)) - hi)) 2^k;  1 + x for |x| < 2^-28;  e for x = 1.
 * (fdlibm's k = 0 form 1 - (r c / (c - 2) - r) is the same bits: both negations are exact.)
 */
export function expLanes(x: number, tmp: number): Code[] {
  const [k, hi, lo, r, t, c] = [tmp, tmp + 1, tmp + 2, tmp + 3, tmp + 4, tmp + 5];
  return [
    [get(x), C(INVLN2), I.f64x2Mul, withSignOf(0.5, x), I.f64x2Add, I.f64x2Trunc, set(k)],
    pick(withSignOf(1, x), get(k), absBelow(x, 0x3ff0a2b2)), // |x| < 1.5 ln2 (high word below 0x3ff0a2b2)
    set(k),
    pick(C(0), get(k), absBelow(x, 0x3fd62e43)), // |x| <= ln2 / 2 (high word at most 0x3fd62e42)
    set(k),
    [get(x), get(k), C(LN2_HI), I.f64x2Mul, I.f64x2Sub, set(hi)],
    [get(k), C(LN2_LO), I.f64x2Mul, set(lo)],
    [get(hi), get(lo), I.f64x2Sub, set(r)],
    [get(r), get(r), I.f64x2Mul, set(t)],
    [get(r), horner(t, P), get(t), I.f64x2Mul, I.f64x2Sub, set(c)],
    // y = 1 - ((lo - r c / (2 - c)) - hi)
    [C(1), get(lo), get(r), get(c), I.f64x2Mul, C(2), get(c), I.f64x2Sub, I.f64x2Div, I.f64x2Sub, get(hi), I.f64x2Sub, I.f64x2Sub],
    // times 2^k: the bits (k + 1023) << 52
    [get(k), I.i32x4TruncSatF64x2SZero, I.i64x2ExtendLowI32x4S, I.i64x2Const(1023), I.i64x2Add, I.i32(52), I.i64x2Shl, I.f64x2Mul, set(c)],
    pick([C(1), get(x), I.f64x2Add], get(c), absBelow(x, 0x3e300000)), // |x| < 2^-28
    set(c),
    pick(C(Math.E), get(c), [get(x), C(1), I.f64x2Eq]),
  ];
}

/** The v128 temporaries `log1pLanes` uses, from its `tmp` on. */
export const LOG1P_TEMPS = 11;

/**
 * log1p of the f64 lanes of local `u` (0 < u < 2^53), left on the stack. fdlibm's two paths:
 * u < 0.41422 (high word below 0x3fda827a): k = 0, c = 0, f = u (u - u^2/2 below 2^-29, u below
 * 2^-54); else 1 + u = 2^k m with m in [sqrt(2)/2, sqrt(2)), c = the rounding error of 1 + u over
 * 1 + u, f = m - 1. Then with hfsq = f^2/2, s = f / (2 + f), R = z Lp(z), z = s^2:
 *   log1p = k ln2_hi - ((hfsq - (s (hfsq + R) + (k ln2_lo + c))) - f)
 * except where m's high mantissa bits are zero (fdlibm's hu == 0): k ln2_hi + (c + k ln2_lo) for
 * f = 0, else k ln2_hi - ((hfsq (1 - 2f/3) - (k ln2_lo + c)) - f).
 */
export function log1pLanes(u: number, tmp: number): Code[] {
  const [u1, hu, k, c, low, f, hu0, hfsq, s, z, res] = Array.from({ length: LOG1P_TEMPS }, (_, i) => tmp + i);
  const MANT = I.i64x2Const(0xfffff * 2 ** 32 + 0xffffffff);
  return [
    [C(1), get(u), I.f64x2Add, set(u1)],
    [get(u1), I.i32(32), I.i64x2ShrU, set(hu)],
    [get(hu), I.i32(20), I.i64x2ShrS, I.i64x2Const(1023), I.i64x2Sub, set(k)],
    // c = (k > 0 ? 1 - (u1 - u) : u - (u1 - 1)) / u1, with k before the adjustment below
    pick([C(1), get(u1), get(u), I.f64x2Sub, I.f64x2Sub], [get(u), get(u1), C(1), I.f64x2Sub, I.f64x2Sub], [get(k), I.i64x2Const(0), I.i64x2GtS]),
    [get(u1), I.f64x2Div, set(c)],
    [get(hu), I.i64x2Const(0xfffff), I.v128And, set(hu)],
    [get(hu), I.i64x2Const(0x6a09e), I.i64x2LtS, set(low)],
    // m: the mantissa with the exponent of 1 (low) or of 1/2 (k + 1)
    [get(u1), MANT, I.v128And, pick(hiWord(0x3ff00000), hiWord(0x3fe00000), get(low)), I.v128Or, C(1), I.f64x2Sub, set(f)],
    [get(k), I.i64x2Const(1), I.i64x2Add, get(low), I.i64x2Add, set(k)], // low lanes are -1
    pick([get(hu), I.i64x2Const(0), I.i64x2Eq], [I.i64x2Const(0x100000), get(hu), I.i64x2Sub, I.i32(2), I.i64x2ShrS, I.i64x2Const(0), I.i64x2Eq], get(low)),
    set(hu0),
    [get(k), get(k), I.shuffle32([0, 2, 0, 2]), I.f64x2ConvertLowI32x4S, set(k)],
    // the small path (u below the high word 0x3fda827a): k = 0, c = 0, f = u, never hu == 0
    [get(u), hiWord(0x3fda827a), I.f64x2Lt, set(low)],
    [pick(C(0), get(k), get(low)), set(k)],
    [pick(C(0), get(c), get(low)), set(c)],
    [pick(get(u), get(f), get(low)), set(f)],
    [pick(I.i64x2Const(0), get(hu0), get(low)), set(hu0)],
    [C(0.5), get(f), I.f64x2Mul, get(f), I.f64x2Mul, set(hfsq)],
    [get(f), C(2), get(f), I.f64x2Add, I.f64x2Div, set(s)],
    [get(s), get(s), I.f64x2Mul, set(z)],
    // res = k ln2_hi - ((hfsq - (s (hfsq + R) + (k ln2_lo + c))) - f), R = z Lp(z)
    [get(k), C(LN2_HI), I.f64x2Mul, get(hfsq), get(s), get(hfsq), horner(z, LP), get(z), I.f64x2Mul, I.f64x2Add, I.f64x2Mul],
    [get(k), C(LN2_LO), I.f64x2Mul, get(c), I.f64x2Add, I.f64x2Add, I.f64x2Sub, get(f), I.f64x2Sub, I.f64x2Sub, set(res)],
    // hu == 0: f = 0 -> k ln2_hi + (c + k ln2_lo); else k ln2_hi - ((hfsq (1 - 2f/3) - (k ln2_lo + c)) - f)
    pick(
      pick(
        [get(k), C(LN2_HI), I.f64x2Mul, get(c), get(k), C(LN2_LO), I.f64x2Mul, I.f64x2Add, I.f64x2Add],
        [
          [get(k), C(LN2_HI), I.f64x2Mul, get(hfsq), C(1), C(0.66666666666666666), get(f), I.f64x2Mul, I.f64x2Sub, I.f64x2Mul],
          [get(k), C(LN2_LO), I.f64x2Mul, get(c), I.f64x2Add, I.f64x2Sub, get(f), I.f64x2Sub, I.f64x2Sub],
        ],
        [get(f), C(0), I.f64x2Eq],
      ),
      get(res),
      get(hu0),
    ),
    set(res),
    // tiny: u - u u / 2 below 2^-29, u below 2^-54
    pick([get(u), get(u), get(u), I.f64x2Mul, C(0.5), I.f64x2Mul, I.f64x2Sub], get(res), [get(u), hiWord(0x3e200000), I.f64x2Lt]),
    set(res),
    pick(get(u), get(res), [get(u), hiWord(0x3c900000), I.f64x2Lt]),
  ];
}
