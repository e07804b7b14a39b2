// One layer of Ott neuron-agents with a logistic policy (for scale), one invocation per
// (replica, neuron in [nStart, nEnd)): P(spike) = sigmoid(b + w . x), spike = rng_uniform(seed,
// spike, r*N + n, clock) < P. Parameter block (r*N + n) * (K+1): w[k] | b.
// CPU twin: logisticForward in src/ott/logistic-policy.ts.
#include "rng"
#include "common"
#include "ott-common"

@group(0) @binding(1) var<storage, read> wiring: array<u32>;
@group(0) @binding(2) var<storage, read> rs: array<u32>;
@group(0) @binding(3) var<storage, read> clock: array<u32>;
@group(0) @binding(4) var<storage, read> theta: array<f32>;
@group(0) @binding(5) var<storage, read_write> signals: array<f32>;
@group(0) @binding(6) var<storage, read_write> probs: array<f32>;

override WG: u32 = 64;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = linear_index(gid, nwg, WG);
  let R = params.replicas;
  let width = params.nEnd - params.nStart;
  if (i >= R * width) { return; }
  let r = i / width;
  let n = params.nStart + (i - r * width);
  if (rs[RS_ACTIVE * R + r] == 0u) { return; }
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
