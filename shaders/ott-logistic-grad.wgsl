// Per-neuron REINFORCE gradient of the logistic policy over the replica's finished episode, one
// invocation per (replica that learns this step, neuron): sum_t G_t (p1 - a_t) [x_t, 1], in
// episode order, into the neuron's grads block (overwritten).
// CPU twin: logisticEpisodeGradients in src/ott/logistic-policy.ts.
#include "common"
#include "ott-common"

#bindings 1 read wiring: array<u32>; read rs: array<u32>; read theta: array<f32>; read hist: array<f32>; read returns: array<f32>; read_write grads: array<f32>

#kernel i: r < R = params.replicas, n < N = params.neurons
  if (rs[RS_LEARN * R + r] == 0u) { return; }
  let K = params.fanInK;
  let S = params.signalSize;
  let base = i * (K + 1u);
  let cnt = wiring[params.offFanInCount + n];
  for (var j = 0u; j <= K; j++) { grads[base + j] = 0.0; }
  let T = rs[RS_STEPS * R + r];
  for (var t = 0u; t < T; t++) {
    let sb = (r * params.horizon + t) * S;
    let G = returns[(r * params.horizon + t) * N + n];
    var z = theta[base + K];
    for (var k = 0u; k < cnt; k++) { z = z + theta[base + k] * hist[sb + wiring[n * K + k]]; }
    let dz = G * (sigmoid(z) - hist[sb + params.numInputs + n]);
    grads[base + K] = grads[base + K] + dz;
    for (var k = 0u; k < cnt; k++) { grads[base + k] = grads[base + k] + dz * hist[sb + wiring[n * K + k]]; }
  }
}
