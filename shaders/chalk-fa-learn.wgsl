// Chalk logistic learner, per-parameter part of one step (twin: logisticLearnKernel in
// src/chalk/logistic-learner.ts):
//   invocation i <  N         : actor of neuron i (twin: logisticActorScatter, the per-neuron form of the
//                               per-weight logisticLearnKernel, bit-identical): over the chains in ascending
//                               r, the two tent weights of o_i (pre-action others count) times err[r, i]
//                               into num / den of features x_r (B+1) + k0, + 1; then for every feature
//                               w += clamp(eta num / den, +-cap) (cap 0: none). O(R + K) per neuron.
//   invocation N + i (i < N)  : marginal of neuron i (from step marginalWarmup + 1 on):
//                               p_i <- clamp((1 - beta) p_i + beta mean_r piOne[r, i])
//   invocation 2 N            : reference level g = mean_q u[q] (ascending q), after the critic dispatch.
// None of the three reads what another writes, so they share one dispatch.
#include "common"

#struct ChalkFaLearnParams

#bindings 0 uniform params: ChalkFaLearnParams; read clock: array<u32>; read chain: array<u32>; read spk: array<u32>; read scratch: array<f32>; read_write model: array<f32>

// Most features per neuron: nX (B + 1) with nX = 2, B <= 256 (checked on the host).
const MAX_FEATURES: u32 = 514u;

#kernel k
  let n = params.neurons;
  let B = params.bins;
  let K = params.inputs * (B + 1u);
  let R = params.chains;
  if (k < n) {
    let i = k;
    let errOff = R * n;
    var num: array<f32, MAX_FEATURES>;
    var den: array<f32, MAX_FEATURES>;
    for (var r = 0u; r < R; r++) {
      let o = chain[3u * R + r] - ((spk[r * n + i] >> 1u) & 1u);
      var k0 = (o * B) / n;
      var frac = f32(o * B - k0 * n) * params.invNeurons;
      if (k0 >= B) { k0 = B - 1u; frac = 1.0; }
      let e = scratch[errOff + r * n + i];
      let a = chain[r] * (B + 1u) + k0;
      let w0 = 1.0 - frac;
      if (w0 > 0.0) {
        num[a] = num[a] + w0 * e;
        den[a] = den[a] + w0;
      }
      if (frac > 0.0) {
        num[a + 1u] = num[a + 1u] + frac * e;
        den[a + 1u] = den[a + 1u] + frac;
      }
    }
    for (var q = 0u; q < K; q++) {
      if (den[q] > 0.0) {
        var d = (params.actorRate * num[q]) / den[q];
        if (params.actorCap > 0.0) { d = clamp(d, -params.actorCap, params.actorCap); }
        let a = params.wOffset + i * K + q;
        model[a] = model[a] + d;
      }
    }
    return;
  }
  if (k < 2u * n) {
    if (clock[0] <= params.marginalWarmup) { return; }
    let i = k - n;
    var sum = 0.0;
    for (var r = 0u; r < R; r++) { sum = sum + scratch[r * n + i]; }
    let beta = params.marginalRate;
    let m = (1.0 - beta) * model[params.margOffset + i] + (beta * sum) / f32(R);
    model[params.margOffset + i] = min(1.0 - params.minMarginal, max(params.minMarginal, m));
    return;
  }
  if (k == 2u * n) {
    var sum = 0.0;
    for (var q = 0u; q < K; q++) { sum = sum + model[q]; }
    model[params.gainOffset] = sum / f32(K);
  }
}
