// The bindings of the Ott forward kernels (ott-logistic-forward, ott-mlp-forward) and the
// invocation's (replica, neuron) of the layer [nStart, nEnd): the policies differ only in how a
// neuron turns its inputs into P(spike).
#include "rng"
#include "common"
#include "ott-common"

#bindings 1 read wiring: array<u32>; read rs: array<u32>; read clock: array<u32>; read theta: array<f32>; read_write signals: array<f32>; read_write probs: array<f32>

override WG: u32 = 64;

// (replica, neuron, 1) of invocation i, or z = 0 past the layer or for a replica that has stopped.
fn forward_neuron(gid: vec3<u32>, nwg: vec3<u32>) -> vec3<u32> {
  let i = linear_index(gid, nwg, WG);
  let R = params.replicas;
  let width = params.nEnd - params.nStart;
  if (i >= R * width) { return vec3<u32>(0u, 0u, 0u); }
  let r = i / width;
  let n = params.nStart + (i - r * width);
  if (rs[RS_ACTIVE * R + r] == 0u) { return vec3<u32>(0u, 0u, 0u); }
  return vec3<u32>(r, n, 1u);
}
