// Shared prologue of the per-neuron reward terms (shaders/reward-*.wgsl). One invocation per
// (replica r, neuron p of the population, p < P). Each term writes (the first) or adds its weighted
// value into neuron p's learning reward, rewardOut[r * rewardStride + rewardCol + p], reading the
// spikes from `spikes` (row stride actStride). The reinforce rule gives every neuron of its
// activity rows a reward in `neuron-reward`, which reinforce-record puts in the trajectory; the
// weight-max rule adds terms to one hidden layer's Weight Max reward.
// `layers` holds 4 words per layer: activity column of its first neuron, probability column of its
// first neuron (= its neurons' index p), neuron count, 1 if hidden (not the action layer).
// CPU twins: src/rules/reward-terms.ts.
#include "common"

#struct TermParams

#bindings 0 uniform params: TermParams; read envReward: array<f32>; read layers: array<u32>; read spikes: array<f32>; read_write rewardOut: array<f32>

struct Neuron {
  r: u32,
  p: u32,
  layer: u32,
  // Activity column of this neuron's spike.
  col: u32,
  // The env's reward this step, and this neuron's spike (read here, so every term binds the same buffers).
  envReward: f32,
  spike: f32,
}

// The (replica, neuron) of an invocation and its layer; false past the end.
fn term_neuron(i: u32, out: ptr<function, Neuron>) -> bool {
  let P = params.neurons;
  if (i >= params.replicas * P) { return false; }
  let r = i / P;
  let p = i - r * P;
  var l = 0u;
  for (var k = 0u; k < params.layerCount; k++) {
    if (p >= layers[4u * k + 1u]) { l = k; }
  }
  (*out).r = r;
  (*out).p = p;
  (*out).layer = l;
  (*out).col = layers[4u * l] + (p - layers[4u * l + 1u]);
  (*out).envReward = envReward[r];
  (*out).spike = spikes[r * params.actStride + (*out).col];
  return true;
}

fn reward_slot(n: Neuron) -> u32 {
  return n.r * params.rewardStride + params.rewardCol + n.p;
}
