// IEEE binary64 addition of an f32 onto an f64 held as two u32 words (x = lo, y = hi), round to
// nearest even, with integer operations only, so a kernel keeps an f64 accumulator bit for bit as
// the CPU's `acc += x` does. Operands and results are normal or zero (a sum of f32 values is never
// an f64 subnormal); f32 subnormals are normalised. A TypeScript port of these lines is checked
// against native f64 addition on millions of cases (test/chung/soft-f64.test.ts).

fn f64_add_f32(acc: vec2<u32>, xf: f32) -> vec2<u32> {
  let xb = bitcast<u32>(xf);
  let al = acc.x;
  let ah = acc.y;
  var xe = (xb >> 23u) & 0xffu;
  var xm = xb & 0x7fffffu;
  if (xe == 0u && xm == 0u) { return acc; }
  var ye: i32;
  if (xe == 0u) {
    var e = 1;
    while ((xm & 0x800000u) == 0u) { xm = xm << 1u; e -= 1; }
    ye = e - 127 + 1023;
  } else {
    xm = xm | 0x800000u;
    ye = i32(xe) - 127 + 1023;
  }
  var yH = xm << 5u;
  var yL = 0u;
  var ys = xb >> 31u;
  let ae = (ah >> 20u) & 0x7ffu;
  if (ae == 0u) {
    return vec2<u32>(yH << 24u, (ys << 31u) | (u32(ye) << 20u) | ((yH >> 8u) & 0xfffffu));
  }
  var aH = ((((ah & 0xfffffu) | 0x100000u) << 8u) | (al >> 24u));
  var aL = al << 8u;
  var as_ = ah >> 31u;
  var e = i32(ae);
  if (ye > e || (ye == e && (yH > aH || (yH == aH && yL > aL)))) {
    let tH = aH; aH = yH; yH = tH;
    let tL = aL; aL = yL; yL = tL;
    let ts = as_; as_ = ys; ys = ts;
    let te = e; e = ye; ye = te;
  }
  let d = u32(e - ye);
  var lost = 0u;
  if (d >= 64u) {
    lost = yH | yL;
    yH = 0u;
    yL = 0u;
  } else if (d >= 32u) {
    let s = d - 32u;
    if (s == 0u) {
      lost = yL;
      yL = yH;
    } else {
      lost = yL | (yH & ((1u << s) - 1u));
      yL = yH >> s;
    }
    yH = 0u;
  } else if (d > 0u) {
    lost = yL & ((1u << d) - 1u);
    yL = (yL >> d) | (yH << (32u - d));
    yH = yH >> d;
  }
  if (lost != 0u) { yL = yL | 1u; }
  var H: u32;
  var L: u32;
  if (as_ == ys) {
    L = aL + yL;
    let carry = select(0u, 1u, L < aL);
    H = aH + yH + carry;
    if ((H & 0x20000000u) != 0u) {
      let bit = L & 1u;
      L = (L >> 1u) | (H << 31u) | bit;
      H = H >> 1u;
      e += 1;
    }
  } else {
    L = aL - yL;
    let borrow = select(0u, 1u, aL < yL);
    H = aH - yH - borrow;
    if (H == 0u && L == 0u) { return vec2<u32>(0u, 0u); }
    var lz: u32;
    if (H != 0u) { lz = countLeadingZeros(H); } else { lz = 32u + countLeadingZeros(L); }
    let s = lz - 3u;
    if (s > 0u) {
      if (s >= 32u) {
        H = L << (s - 32u);
        L = 0u;
      } else {
        H = (H << s) | (L >> (32u - s));
        L = L << s;
      }
      e -= i32(s);
    }
  }
  let g = L & 0xffu;
  var sL = (L >> 8u) | (H << 24u);
  var sH = H >> 8u;
  if (g > 0x80u || (g == 0x80u && (sL & 1u) == 1u)) {
    sL = sL + 1u;
    if (sL == 0u) { sH = sH + 1u; }
    if (sH >= 0x200000u) {
      sH = 0x100000u;
      e += 1;
    }
  }
  return vec2<u32>(sL, (as_ << 31u) | (u32(e) << 20u) | (sH & 0xfffffu));
}
