// Helpers shared by Chung's kernels (chung-*.wgsl); CPU twins in src/chung/.

// The paper's sigmoid: exactly 0 / 1 outside (-20, 20).
fn code_sigmoid(a: f32) -> f32 {
  if (a >= 20.0) { return 1.0; }
  if (a <= -20.0) { return 0.0; }
  return 1.0 / (1.0 + exp(-a));
}

// The gradient of |w|^p (Weight Max's norm of a weight), 2 w for p = 2.
fn norm_grad(w: f32, p: f32) -> f32 {
  if (w == 0.0) { return 0.0; }
  if (p == 2.0) { return 2.0 * w; }
  return p * pow(abs(w), p - 1.0) * sign(w);
}
