/**
 * A line-by-line TypeScript port of shaders/f64.wgsl's `f64_add_f32` (IEEE binary64 addition of an
 * f32 onto an f64 held as two u32 words, round to nearest even, integer operations only), so the
 * algorithm can be checked against native f64 addition on millions of cases (soft-f64.test.ts).
 */
const u = (x: number) => x >>> 0;
const clz = (x: number) => Math.clz32(x);

/** acc = [lo, hi] words of an f64; x an f32 (as a number); returns the words of acc + x. */
export function f64AddF32(acc: readonly [number, number], xf: number): [number, number] {
  const xb = new Uint32Array(new Float32Array([xf]).buffer)[0]!;
  const al = u(acc[0]),
    ah = u(acc[1]);
  // x as (sign, exponent, 64-bit significand with the leading one at bit 60)
  const xs = xb >>> 31;
  let xe = (xb >>> 23) & 0xff;
  let xm = xb & 0x7fffff;
  if (xe === 0 && xm === 0) return [al, ah];
  if (xe === 0) {
    // f32 subnormal: normalise
    xe = 1;
    while ((xm & 0x800000) === 0) {
      xm = u(xm << 1);
      xe -= 1;
    }
  } else xm = u(xm | 0x800000);
  let ye = xe - 127 + 1023;
  let yH = u(xm << 5),
    yL = 0;
  let ys = xs;
  const ae = (ah >>> 20) & 0x7ff;
  if (ae === 0) {
    // acc is zero (never subnormal here): the result is x, exact
    return [u(yH << 24), u((ys << 31) | (ye << 20) | ((yH >>> 8) & 0xfffff))];
  }
  let aH = u((((ah & 0xfffff) | 0x100000) << 8) | (al >>> 24)),
    aL = u(al << 8);
  let as = ah >>> 31,
    e = ae;
  // order so that |a| >= |y|
  if (ye > e || (ye === e && (yH > aH || (yH === aH && yL > aL)))) {
    [aH, yH] = [yH, aH];
    [aL, yL] = [yL, aL];
    [as, ys] = [ys, as];
    [e, ye] = [ye, e];
  }
  const d = e - ye;
  // y >>= d with sticky
  let lost = 0;
  if (d >= 64) {
    lost = yH | yL;
    yH = 0;
    yL = 0;
  } else if (d >= 32) {
    const s = d - 32;
    lost = s === 0 ? yL : u(yL | (yH & ((1 << s) - 1)));
    yL = s === 0 ? yH : yH >>> s;
    yH = 0;
  } else if (d > 0) {
    lost = yL & ((1 << d) - 1);
    yL = u((yL >>> d) | (yH << (32 - d)));
    yH = yH >>> d;
  }
  if (lost !== 0) yL = u(yL | 1);
  let H: number, L: number;
  if (as === ys) {
    L = u(aL + yL);
    const carry = L < aL ? 1 : 0;
    H = u(aH + yH + carry);
    if ((H & 0x20000000) !== 0) {
      const bit = L & 1;
      L = u((L >>> 1) | (H << 31) | bit);
      H = H >>> 1;
      e += 1;
    }
  } else {
    L = u(aL - yL);
    const borrow = aL < yL ? 1 : 0;
    H = u(aH - yH - borrow);
    if (H === 0 && L === 0) return [0, 0];
    const lz = H !== 0 ? clz(H) : 32 + clz(L);
    const s = lz - 3;
    if (s > 0) {
      if (s >= 32) {
        H = u(L << (s - 32));
        L = 0;
      } else {
        H = u((H << s) | (L >>> (32 - s)));
        L = u(L << s);
      }
      e -= s;
    }
  }
  // round to nearest even at bit 8
  const g = L & 0xff;
  let sL = u((L >>> 8) | (H << 24)),
    sH = H >>> 8;
  if (g > 0x80 || (g === 0x80 && (sL & 1) === 1)) {
    sL = u(sL + 1);
    if (sL === 0) sH = u(sH + 1);
    if (sH >= 0x200000) {
      sH = 0x100000;
      e += 1;
    }
  }
  return [sL, u((as << 31) | (e << 20) | (sH & 0xfffff))];
}
