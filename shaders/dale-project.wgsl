// Dale's law: after a learning step, a weight whose sign disagrees with its presynaptic unit's
// sign (+1 excitatory, -1 inhibitory) is set to 0. One invocation per (r, k, n) synapse of a
// fan-in layer; theta is [R, K+1, N] (bias row k = K untouched). CPU twin: daleProjectCpu in
// src/connectivity/fan-in.ts.
#include "common"

#struct DaleParams

#bindings 0 uniform params: DaleParams; read fanInIndex: array<u32>; read sign: array<i32>; read_write theta: array<f32>

override WG: u32 = 64;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = linear_index(gid, nwg, WG);
  let N = params.neurons;
  let K = params.fanIn;
  if (i >= params.replicas * K * N) { return; }
  let r = i / (K * N);
  let s = i - r * K * N;
  let j = fanInIndex[s];
  if (j >= params.presynaptic) { return; }
  let w = r * (K + 1u) * N + s;
  if (theta[w] * f32(sign[j]) < 0.0) { theta[w] = 0.0; }
}
