// Shared prologue of the per-neuron reward terms (shaders/reward-*.wgsl). One invocation per
// (replica r, neuron p of the population, p < P). Each term writes (the first) or adds its weighted
// value into neuron p's learning reward, act[r * rewardStride + rewardCol + p]: the reinforce rule
// keeps it in a block of this step's activity row, so the trajectory records it with the spikes
// (WebGPU forbids binding one buffer twice as writable, so rewards live in the spikes' buffer).
// `layers` holds 4 words per layer: activity column of its first neuron, probability column of its
// first neuron (= its neurons' index p), neuron count, 1 if hidden (not the action layer).
// CPU twins: src/rules/reward-terms.ts.
#include "common"

struct TermParams {
  replicas: u32,
  actStride: u32,
  neurons: u32,
  layerCount: u32,
  rewardCol: u32,
  rewardStride: u32,
  weight: f32,
  goal: f32,
}

@group(0) @binding(0) var<uniform> params: TermParams;
@group(0) @binding(1) var<storage, read> envReward: array<f32>;
@group(0) @binding(2) var<storage, read> layers: array<u32>;
@group(0) @binding(3) var<storage, read_write> act: array<f32>;

override WG: u32 = 64;

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
  (*out).spike = act[r * params.actStride + (*out).col];
  return true;
}

fn reward_slot(n: Neuron) -> u32 {
  return n.r * params.rewardStride + params.rewardCol + n.p;
}
