// Softmax output of Chung's episodic actor, one invocation per replica r (K actions, K - 1 learned
// logits; the last logit is fixed at 0). theta = [w | b] in the CPU reference layout:
// w[(r * U + k) * F + q], b[r * U + k] after all weights (U = K - 1), dense input x[r * inDim + q].
//   pot_k = (b_k + sum_q w_kq x_q) / temp   (f32, q ascending), pot_U = 0
//   mean = softmax(pot) with the max subtracted and shifted logits clipped at -30
//   action = first k < U with u < cumulative mean (f32 running sum), else U, where
//     u = rng_uniform(seed, spike stream, r * agentStride + agentOffset, clock)
//   values = one-hot(action) [R, K]; charac_k = (values_k - mean_k) / temp for k < U;
//   act[r * actStride + actOffset] = action as f32 (the env's action slot).
// CPU twin: softmaxForward + reinforceCharac (src/chung/forward.ts, learning.ts), which work in f64
// and store f32.
#include "common"
#include "chung-softmax-common"

#struct AcSoftmaxParams

#bindings 0 uniform params: AcSoftmaxParams; read theta: array<f32>; read clock: array<u32>; read x: array<f32>; read_write pot: array<f32>; read_write mean: array<f32>; read_write values: array<f32>; read_write act: array<f32>; read_write charac: array<f32>

const STREAM_SPIKE: u32 = 1u;

#kernel r < R = params.replicas
  let K = params.actions;
  let U = K - 1u;
  let F = params.fanIn;
  let xb = r * params.inDim;
  var z: array<f32, MAX_ACTIONS>;
  var zmax = 0.0;
  for (var k = 0u; k < U; k++) {
    let i = r * U + k;
    var s = theta[R * U * F + i];
    for (var q = 0u; q < F; q++) { s += theta[i * F + q] * x[xb + q]; }
    let a = s / params.temp;
    pot[i] = a;
    z[k] = a;
    if (a > zmax) { zmax = a; }
  }
  softmax_act(r, z, zmax, STREAM_SPIKE);
}
