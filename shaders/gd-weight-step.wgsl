// Gradient-descent baseline: the full-batch gradient of one weight and its step, one invocation
// per (replica r, unit j, column q) of a layer (q = 0 the bias, q = 1 + k input k):
//   g = sum_b delta[(r*B + b)*J + j] * x_b[k]   (x = 1 for the bias),
//   w[r*N + wOffset + j*(I+1) + q] -= scale * g,   scale = f32(lr / B).
// x_b is the layer's input: acts[(r*B + b)*I + k], or with GATHER the pool row idx[r*B + b] (the
// MNIST images stay put). Samples are summed in order in f32 (the twin sums in f64, sample-major):
// parity within tolerance. Neighbouring invocations read neighbouring inputs of the same sample.
// CPU twin: GD_WEIGHT_STEP in src/kernels/gd-mlp.ts (sparseInputGradient / denseLayerGradient, then the update).
#include "common"

#struct GdStepParams

#bindings 0 uniform params: GdStepParams; read_write weights: array<f32>; read input: array<f32>; read idx: array<u32>; read delta: array<f32>

override GATHER: bool = false;

#kernel i: r < params.replicas, rem < params.outDim * (params.inDim + 1u)
  let I = params.inDim;
  let J = params.outDim;
  let Q = I + 1u;
  let j = rem / Q;
  let q = rem - j * Q;
  let B = params.batch;
  var g = 0.0;
  for (var b = 0u; b < B; b++) {
    let n = r * B + b;
    let d = delta[n * J + j];
    if (q == 0u) {
      g += d;
    } else {
      var xb = n * I;
      if (GATHER) { xb = idx[n] * I; }
      g += d * input[xb + q - 1u];
    }
  }
  let w = r * params.synapses + params.wOffset + j * Q + q;
  weights[w] = weights[w] - params.scale * g;
}
