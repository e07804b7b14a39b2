// Dale's law: after a learning step, a weight whose sign disagrees with its presynaptic unit's
// sign (+1 excitatory, -1 inhibitory) is set to 0. One invocation per (r, k, n) synapse of a
// fan-in layer; theta is [R, K+1, N] (bias row k = K untouched). CPU twin: daleProjectCpu in
// src/connectivity/fan-in.ts.
#include "common"

#struct DaleParams

#bindings 0 uniform params: DaleParams; read fanInIndex: array<u32>; read sign: array<i32>; read_write theta: array<f32>

#kernel i: r < params.replicas, s < params.fanIn * params.neurons
  let j = fanInIndex[s];
  if (j >= params.presynaptic) { return; }
  let w = r * (params.fanIn + 1u) * params.neurons + s;
  if (theta[w] * f32(sign[j]) < 0.0) { theta[w] = 0.0; }
}
