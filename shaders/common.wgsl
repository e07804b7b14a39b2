// Helpers shared by the engine's 1-D kernels.

// Linear invocation index of a 1-D kernel whose grid may fold into y (see dispatchGrid in kernel.ts).
fn linear_index(gid: vec3<u32>, nwg: vec3<u32>, wg: u32) -> u32 {
  return gid.x + gid.y * nwg.x * wg;
}

fn sigmoid(a: f32) -> f32 {
  return 1.0 / (1.0 + exp(-a));
}

// sin and cos to ~1 ulp from + and * only (both correctly rounded in WGSL), so the TypeScript twin
// (src/kernels/f32-math.ts) gets the same bits. The builtins are only specified to 2^-11 absolute
// error, which SwiftShader uses fully. Cephes sinf/cosf: octant reduction, then minimax polynomials.
// Returns vec2(sin x, cos x); accurate for |x| < 8192.
fn sincos(x: f32) -> vec2<f32> {
  let ax = abs(x);
  var j = u32(ax * 1.27323954473516);
  if ((j & 1u) == 1u) { j += 1u; }
  let y = f32(j);
  let r = ((ax - y * 0.78515625) - y * 2.4187564849853515625e-4) - y * 3.77489497744594108e-8;
  let z = r * r;
  let sp = ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * r + r;
  let cp = (((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z - 0.5 * z) + 1.0;
  var js = j & 7u;
  var ss = select(1.0, -1.0, x < 0.0);
  var cs = 1.0;
  if (js > 3u) { js -= 4u; ss = -ss; cs = -cs; }
  if (js > 1u) { cs = -cs; }
  let swap = js == 1u || js == 2u;
  return vec2<f32>(ss * select(sp, cp, swap), cs * select(cp, sp, swap));
}

// exp(-u) for u in [0, 80] from + and * only (and exact floor / ldexp), so the TypeScript twin
// (expNegF32 in src/kernels/f32-math.ts) gets the same bits: exp(-u) = 2^-k * e^-(f ln 2), k =
// floor(u log2 e), f the fraction, e^-z by its Taylor polynomial to z^8 (relative error < 2e-7 on
// [0, ln 2); overall < 1e-6 relative for u < 8, < 1e-5 up to 80). u outside [0, 80] is clamped.
fn exp_neg(uIn: f32) -> f32 {
  let u = min(max(uIn, 0.0), 80.0);
  let t = u * 1.44269504;
  let k = floor(t);
  let z = (t - k) * 0.693147182;
  let p = ((((((((2.48015873e-5 * z - 1.98412698e-4) * z + 1.38888889e-3) * z - 8.33333333e-3) * z + 4.16666667e-2) * z - 1.66666667e-1) * z + 0.5) * z - 1.0) * z) + 1.0;
  return ldexp(p, -i32(k));
}
