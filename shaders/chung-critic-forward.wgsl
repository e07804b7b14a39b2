// Weight Maximization critic (Chung 2022): forward pass of one dense layer of the softplus MLP,
// one invocation per (replica r, unit j):
//   pot = b_j + sum_q w_jq x_q  (f32, q ascending),  value = softplus(pot) (hidden) or pot (output).
// Layout: w[(r * nOut + j) * nIn + q], b[bOffset + r * nOut + j], pot / values [r * nOut + j],
// x [r * nIn + q]. bOffset = 0 with separate arrays (GpuCritic); a step program packs [w | b] in one
// buffer, binds it as both w and b and sets bOffset = R * nOut * nIn.
// CPU twin: criticForwardLayerCpu in src/kernels/chung-critic-cpu.ts.
#include "common"

#struct CriticForwardParams

#bindings 0 uniform params: CriticForwardParams; read x: array<f32>; read w: array<f32>; read b: array<f32>; read_write pot: array<f32>; read_write values: array<f32>

// log1p(t) for t in [0, ~1e13]: Goldberg's correction keeps small t accurate where log(1 + t) is 0.
fn log1p_pos(t: f32) -> f32 {
  let u = 1.0 + t;
  if (u == 1.0) { return t; }
  return log(u) * (t / (u - 1.0));
}

// The paper's softplus: linear beyond 30, 0 below -30.
fn softplus_code(a: f32) -> f32 {
  if (a > 30.0) { return a; }
  if (a < -30.0) { return 0.0; }
  return log1p_pos(exp(a));
}

#kernel i: r < params.replicas, j < params.nOut
  let nIn = params.nIn;
  let wb = i * nIn;
  let xb = r * nIn;
  var s = b[params.bOffset + i];
  for (var q = 0u; q < nIn; q++) {
    s = s + w[wb + q] * x[xb + q];
  }
  pot[i] = s;
  values[i] = select(s, softplus_code(s), params.softplus != 0u);
}
