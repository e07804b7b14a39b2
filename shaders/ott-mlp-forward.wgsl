// One layer of Ott neuron-agents with the paper's private MLP policy, one invocation per
// (replica, neuron in [nStart, nEnd)): Linear(fan_in, H) -> LeakyReLU -> Linear(H, 2) -> softmax;
// spike = rng_uniform(seed, spike, r*N + n, clock) < P(spike). Parameter block of neuron (r, n) at
// (r*N + n) * P: W1[h*K + k] | b1[h] | W2[o*H + h] | b2[o]. The hidden activations are not kept:
// each is folded into both logits as it is computed (the twin's order of additions).
// CPU twin: mlpForward in src/ott/mlp-policy.ts.
#include "ott-forward-common"

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let rn = forward_neuron(gid, nwg);
  if (rn.z == 0u) { return; }
  let r = rn.x;
  let n = rn.y;
    let N = params.neurons;
  let H = params.hidden;
  let K = params.fanInK;
  let agent = r * N + n;
  let base = agent * params.paramsPerNeuron;
  let b1 = base + H * K;
  let w2 = b1 + H;
  let b2 = w2 + 2u * H;
  let cnt = wiring[params.offFanInCount + n];
  let sb = r * params.signalSize;
  var z0 = theta[b2];
  var z1 = theta[b2 + 1u];
  for (var h = 0u; h < H; h++) {
    var s = theta[b1 + h];
    let row = base + h * K;
    for (var k = 0u; k < cnt; k++) { s = s + theta[row + k] * signals[sb + wiring[n * K + k]]; }
    let a = select(params.slope * s, s, s > 0.0);
    z0 = z0 + theta[w2 + h] * a;
    z1 = z1 + theta[w2 + H + h] * a;
  }
  let mx = select(z1, z0, z0 > z1);
  let e0 = exp(z0 - mx);
  let e1 = exp(z1 - mx);
  let p1 = e1 / (e0 + e1);
  probs[agent] = p1;
  let u = rng_uniform(params.seed, STREAM_SPIKE, agent, clock[0]);
  signals[sb + params.numInputs + n] = select(0.0, 1.0, u < p1);
}
