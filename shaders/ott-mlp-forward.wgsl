// One layer of Ott neuron-agents with the paper's private MLP policy, one invocation per
// (replica, neuron in [nStart, nEnd)): Linear(fan_in, H) -> LeakyReLU -> Linear(H, 2) -> softmax;
// spike = rng_uniform(seed, spike, r*N + n, clock) < P(spike). Parameter block of neuron (r, n) at
// (r*N + n) * P (see ott-mlp-common.wgsl).
// CPU twin: mlpForward in src/ott/mlp-policy.ts.
#include "ott-forward-common"
#include "ott-mlp-common"

fn mlp_input(src: u32, j: u32) -> f32 {
  return signals[j];
}

// Neuron n of replica r at clock step `step`.
fn ott_mlp_forward(r: u32, n: u32, R: u32, step: u32) {
  if (rs[RS_ACTIVE * R + r] == 0u) { return; }
  let agent = r * params.neurons + n;
  let p = mlp_probs(agent * params.paramsPerNeuron, n, wiring[params.offFanInCount + n], r * params.signalSize, MLP_SIGNALS);
  emit_spike(r, n, agent, p.y, step);
}

#kernel i: r < R = params.replicas, q < params.nEnd - params.nStart
  ott_mlp_forward(r, params.nStart + q, R, clock[0]);
}
