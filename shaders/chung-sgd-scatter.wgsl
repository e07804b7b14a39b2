// A sparse SGD layer's learning step fused with the Weight Max gather of the layer below it
// (chung-param-update OPT 1 followed by chung-unit-reward MODE 3, in one walk over the synapses).
// One invocation per (replica r, block b of `chunk` units k of the sparse layer), walking its
// units and their synapses q in storage order:
//   g = (x[r, i] * c_k) * rho_k,  i = pre[q * Na + k]     (raw update, x = the below layer's values)
//   w = theta[(r (F + 1) + q) Na + k] + lr * g  -> theta   (plain SGD, as chung-param-update OPT 1)
//   acc[i] += normGrad(w, p) * g                            (Weight Max, as chung-unit-reward MODE 3)
// and the bias theta[(r (F + 1) + F) Na + k] += lr * ((1 * c_k) * rho_k). The 256 private partials
// go to reward[(r * chunks + b) * N + i]; chung-reward-sum (LAYOUT 1) adds the blocks in order.
// Same f32 expressions as the two kernels it replaces, so the same CPU twins: sgdStep +
// weightMaxReward. Saves one full pass over the sparse layer's weights and wiring.
#include "common"
#include "chung-common"
#include "chung-scatter-common"

#struct SgdScatterParams

#bindings 0 uniform params: SgdScatterParams; read_write aboveTheta: array<f32>; read aboveCharac: array<f32>; read aboveReward: array<f32>; read x: array<f32>; read pre: array<u32>; read_write reward: array<f32>

fn scatter_pre(j: u32) -> u32 {
  return pre[j];
}

// Plain SGD on the weight first; Weight Max weighs u with the updated weight.
fn scatter_weight(pw: u32, g: f32) -> f32 {
  let w = aboveTheta[pw] + params.lr * g;
  aboveTheta[pw] = w;
  return w;
}

fn scatter_unit_done(pb: u32, c: f32, rho: f32) {
  aboveTheta[pb] = aboveTheta[pb] + params.lr * ((1.0 * c) * rho);
}

#kernel t: r < params.replicas, b < params.chunks
  scatter_block(r, b);
}
