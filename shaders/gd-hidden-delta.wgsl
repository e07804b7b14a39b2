// Gradient-descent baseline: back-propagates the pre-activation gradient of layer l + 1 (J units)
// to layer l's (I units), one invocation per (replica r, sample b, unit k):
//   prev[(r*B + b)*I + k] = act'(h) * sum_j w[r*N + wOffset + j*(I+1) + 1 + k] * delta[(r*B + b)*J + j]
// with h = acts[(r*B + b)*I + k] (layer l's output) and act' by ACT (0 identity, 1 tanh: 1 - h^2,
// 2 relu: h > 0). Reads the weights before this step's update. CPU twin: hiddenDelta (src/synq/gradient.ts).
#include "common"

#struct GdHiddenParams

#bindings 0 uniform params: GdHiddenParams; read weights: array<f32>; read acts: array<f32>; read delta: array<f32>; read_write prev: array<f32>

override ACT: u32 = 2;

#kernel i: n < params.replicas * params.batch, k < I = params.inDim
  let r = n / params.batch;
  let J = params.outDim;
  let h = acts[i];
  var d = 1.0;
  if (ACT == 1u) { d = 1.0 - h * h; }
  if (ACT == 2u) { d = select(0.0, 1.0, h > 0.0); }
  var s = 0.0;
  if (d != 0.0) {
    let wb = r * params.synapses + params.wOffset + 1u + k;
    for (var j = 0u; j < J; j++) { s += weights[wb + j * (I + 1u)] * delta[n * J + j]; }
  }
  prev[i] = s * d;
}
