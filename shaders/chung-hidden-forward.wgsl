// Bernoulli-logistic hidden layer of Chung's actor, one invocation per (replica r, unit j):
//   drive = b_j + sum_q w_jq x[r, pre(j, q)],  pot = drive / temp,  mean = sigmoid(pot) (exact
//   0 / 1 beyond |pot| >= 20, as the paper's code), value = [u < mean] with
//   u = rng_uniform(seed, stream, r * agentStride + agentOffset + j, clock),
//   charac = (value - mean) / temp  (REINFORCE characteristic eligibility, reinforce_charac).
// theta is k-major [R, K+1, N] with the bias at k = K; pre(j, q) = q (dense) or pre[q * N + j].
// CPU twins: hiddenForward + reinforceCharac (src/chung/forward.ts, learning.ts).
#include "common"
#include "chung-common"
#include "rng"

#struct ChungForwardParams

#bindings 0 uniform params: ChungForwardParams; read theta: array<f32>; read pre: array<u32>; read clock: array<u32>; read x: array<f32>; read_write mean: array<f32>; read_write values: array<f32>; read_write charac: array<f32>

override SPARSE: bool = false;

// SLICES > 1 (the hardware form; WG = 256): a workgroup serves WG / SLICES consecutive units of
// one replica; invocation (lane, slice) sums the fan-in terms q = slice, slice + SLICES, ... of
// unit lane (loads stay coalesced across lanes: theta is k-major), and lane's slice-0 invocation
// adds bias + slice 0 + slice 1 + ... in order. On an H100 the plain walk left a 1024-input layer
// of 2048 (replica, unit) threads 1024 dependent steps long.
override SLICES: u32 = 1u;
var<workgroup> part: array<f32, 256>;

fn finish(i: u32, r: u32, j: u32, s: f32) {
  let pot = s / params.temp;
  let m = code_sigmoid(pot);
  let u = rng_uniform(params.seed, params.stream, r * params.agentStride + params.agentOffset + j, clock[0]);
  let v = select(0.0, 1.0, u < m);
  mean[i] = m;
  values[i] = v;
  charac[i] = (v - m) / params.temp;
}

fn split_main(g: u32, lid: u32) {
  let N = params.units;
  let K = params.fanIn;
  let L = WG / SLICES;
  let gpr = (N + L - 1u) / L;
  let r = g / gpr;
  let j = (g - r * gpr) * L + lid % L;
  let slice = lid / L;
  let valid = r < params.replicas && j < N;
  let wBase = r * (K + 1u) * N + j;
  var s = 0.0;
  if (valid) {
    let xb = r * params.inDim;
    for (var q = slice; q < K; q += SLICES) {
      var p = q;
      if (SPARSE) { p = pre[q * N + j]; }
      s += theta[wBase + q * N] * x[xb + p];
    }
  }
  part[lid] = s;
  workgroupBarrier();
  if (valid && slice == 0u) {
    var t = theta[wBase + K * N];
    for (var k = 0u; k < SLICES; k++) { t += part[k * L + lid]; }
    finish(r * N + j, r, j, t);
  }
}

#kernel with workgroup_id wid, local_invocation_index lid
  if (SLICES > 1u) {
    split_main(wid.x + wid.y * nwg.x, lid);
    return;
  }
  #index i: r < params.replicas, j < N = params.units
  let K = params.fanIn;
  let wBase = r * (K + 1u) * N + j;
  let xb = r * params.inDim;
  var s = theta[wBase + K * N];
  for (var q = 0u; q < K; q++) {
    var p = q;
    if (SPARSE) { p = pre[q * N + j]; }
    s += theta[wBase + q * N] * x[xb + p];
  }
  finish(i, r, j, s);
}
