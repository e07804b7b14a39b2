// The softmax action of Chung's actor output, shared by chung-ac-softmax and chung-softmax-output
// (they differ in how they get the logits). Given replica r's K - 1 learned logits z[0 .. U) and
// zmax = max(0, z), with the last logit fixed at 0:
//   mean = softmax(z) with the max subtracted and shifted logits clipped at -30
//   action = first k < U with u < cumulative mean (f32 running sum), else U, where
//     u = rng_uniform(seed, stream, r * agentStride + agentOffset, clock)
//   values = one-hot(action) [R, K]; charac_k = (values_k - mean_k) / temp for k < U;
//   act[r * actStride + actOffset] = action as f32 (the env's action slot).
// The includer binds params (actions, seed, agentStride, agentOffset, actStride, actOffset, temp),
// clock, mean, values, act and charac. CPU twin: softmaxForward + reinforceCharac (src/chung/).
#include "rng"

const MAX_ACTIONS: u32 = 16u;

fn softmax_act(r: u32, logits: array<f32, MAX_ACTIONS>, zmax: f32, stream: u32) {
  let K = params.actions;
  let U = K - 1u;
  var z = logits;
  z[U] = 0.0;
  var sum = 0.0;
  for (var k = 0u; k < K; k++) {
    let e = exp(max(z[k] - zmax, -30.0));
    z[k] = e;
    sum += e;
  }
  for (var k = 0u; k < K; k++) { mean[r * K + k] = z[k] / sum; }
  let u = rng_uniform(params.seed, stream, r * params.agentStride + params.agentOffset, clock[0]);
  var a = U;
  var cum = 0.0;
  for (var k = 0u; k < U; k++) {
    cum += mean[r * K + k];
    if (u < cum) { a = k; break; }
  }
  act[r * params.actStride + params.actOffset] = f32(a);
  for (var k = 0u; k < K; k++) {
    let oh = select(0.0, 1.0, k == a);
    values[r * K + k] = oh;
    if (k < U) { charac[r * U + k] = (oh - mean[r * K + k]) / params.temp; }
  }
}
