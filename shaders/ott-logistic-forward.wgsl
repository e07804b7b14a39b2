// One layer of Ott neuron-agents with a logistic policy (for scale), one invocation per
// (replica, neuron in [nStart, nEnd)): P(spike) = sigmoid(b + w . x), spike = rng_uniform(seed,
// spike, r*N + n, clock) < P. Parameter block (r*N + n) * (K+1): w[k] | b.
// CPU twin: logisticForward in src/ott/logistic-policy.ts.
#include "ott-forward-common"

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let rn = forward_neuron(gid, nwg);
  if (rn.z == 0u) { return; }
  let r = rn.x;
  let n = rn.y;
    let K = params.fanInK;
  let agent = r * params.neurons + n;
  let base = agent * (K + 1u);
  let cnt = wiring[params.offFanInCount + n];
  let sb = r * params.signalSize;
  var z = theta[base + K];
  for (var k = 0u; k < cnt; k++) { z = z + theta[base + k] * signals[sb + wiring[n * K + k]]; }
  let p1 = sigmoid(z);
  probs[agent] = p1;
  let u = rng_uniform(params.seed, STREAM_SPIKE, agent, clock[0]);
  signals[sb + params.numInputs + n] = select(0.0, 1.0, u < p1);
}
