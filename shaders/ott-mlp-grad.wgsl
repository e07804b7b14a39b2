// Per-neuron REINFORCE gradient of the MLP policy over the replica's finished episode, one
// invocation per (replica that learns this step, neuron): grads = sum_t d(-G_t log pi(a_t|x_t)),
// t in episode order, accumulated in the neuron's own grads block (overwritten). The forward pass
// is recomputed per step: once for the logits, then once per hidden unit during the backward pass
// (same operations, same bits), so no per-thread array of width H is needed.
// CPU twin: mlpEpisodeGradients in src/ott/mlp-policy.ts.
#include "common"
#include "ott-common"

#bindings 1 read wiring: array<u32>; read rs: array<u32>; read theta: array<f32>; read hist: array<f32>; read returns: array<f32>; read_write grads: array<f32>

override WG: u32 = 64;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = linear_index(gid, nwg, WG);
  let R = params.replicas;
  let N = params.neurons;
  if (i >= R * N) { return; }
  let r = i / N;
  let n = i - r * N;
  if (rs[RS_LEARN * R + r] == 0u) { return; }
  let H = params.hidden;
  let K = params.fanInK;
  let S = params.signalSize;
  let P = params.paramsPerNeuron;
  let base = i * P;
  let b1 = base + H * K;
  let w2 = b1 + H;
  let b2 = w2 + 2u * H;
  let cnt = wiring[params.offFanInCount + n];
  let slope = params.slope;
  for (var j = 0u; j < P; j++) { grads[base + j] = 0.0; }
  let T = rs[RS_STEPS * R + r];
  for (var t = 0u; t < T; t++) {
    let sb = (r * params.horizon + t) * S;
    let G = returns[(r * params.horizon + t) * N + n];
    var z0 = theta[b2];
    var z1 = theta[b2 + 1u];
    for (var h = 0u; h < H; h++) {
      var s = theta[b1 + h];
      let row = base + h * K;
      for (var k = 0u; k < cnt; k++) { s = s + theta[row + k] * hist[sb + wiring[n * K + k]]; }
      let a = select(slope * s, s, s > 0.0);
      z0 = z0 + theta[w2 + h] * a;
      z1 = z1 + theta[w2 + H + h] * a;
    }
    let mx = select(z1, z0, z0 > z1);
    let e0 = exp(z0 - mx);
    let e1 = exp(z1 - mx);
    let sum = e0 + e1;
    let p0 = e0 / sum;
    let p1 = e1 / sum;
    let act = hist[sb + params.numInputs + n];
    let dz0 = G * (p0 - select(0.0, 1.0, act == 0.0));
    let dz1 = G * (p1 - select(0.0, 1.0, act == 1.0));
    grads[b2] = grads[b2] + dz0;
    grads[b2 + 1u] = grads[b2 + 1u] + dz1;
    for (var h = 0u; h < H; h++) {
      var s = theta[b1 + h];
      let row = base + h * K;
      for (var k = 0u; k < cnt; k++) { s = s + theta[row + k] * hist[sb + wiring[n * K + k]]; }
      let ah = select(slope * s, s, s > 0.0);
      grads[w2 + h] = grads[w2 + h] + dz0 * ah;
      grads[w2 + H + h] = grads[w2 + H + h] + dz1 * ah;
      let da = dz0 * theta[w2 + h] + dz1 * theta[w2 + H + h];
      let dpre = select(slope * da, da, s > 0.0);
      grads[b1 + h] = grads[b1 + h] + dpre;
      for (var k = 0u; k < cnt; k++) {
        grads[row + k] = grads[row + k] + dpre * hist[sb + wiring[n * K + k]];
      }
    }
  }
}
