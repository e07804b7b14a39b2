// Weight Maximization critic (Chung 2022): TD(lambda) step with Adam (the code's adam_optimizer,
// ascent) on one parameter array (weights or biases of one layer, all replicas), one invocation
// per parameter i, replica r = i / perReplica:
//   g = e_i delta_r;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g g;
//   p += lr (m c1) / (sqrt(v c2) + eps)
// c1, c2 are the bias corrections (1 once t reaches the code's 1000), computed on the host.
// CPU twin: criticAdamCpu in src/kernels/chung-critic-cpu.ts.
#include "common"

#struct CriticAdamParams

#bindings 0 uniform params: CriticAdamParams; read_write p: array<f32>; read e: array<f32>; read_write m: array<f32>; read_write v: array<f32>; read delta: array<f32>

#kernel i < params.count
  let g = e[i] * delta[i / params.perReplica];
  let mi = params.beta1 * m[i] + params.oneMinusBeta1 * g;
  let vi = params.beta2 * v[i] + (params.oneMinusBeta2 * g) * g;
  m[i] = mi;
  v[i] = vi;
  p[i] = p[i] + (params.lr * (mi * params.c1)) / (sqrt(vi * params.c2) + params.eps);
}
