// Synaptic Q-learning: each replica's scalar loss and its global reward. One invocation per
// replica r (the tree is serial: B adds, cheap next to the forward pass, and no barriers).
// perSample[r*stride ..] is zero-padded to stride (a power of two) and summed by the documented
// pairwise tree (v[i] += v[i + h], h = stride/2 .. 1), in place; loss = s * f32(1/B) ('mean') or
// sqrt(s) * f32(1/B) ('euclidean'). Unless `init`: reward code 2 if loss < prevLoss else 0;
// positives[r] counts the +1 rewards. Then prevLoss = loss.
// Layout of `loss`: [newLoss R | prevLoss R]. CPU twins: reduceLoss, computeRewards (loss.ts).
#include "common"

struct SynqRewardParams {
  replicas: u32,
  batch: u32,
  stride: u32,
  euclidean: u32,
  init: u32,
  invBatch: f32,
}

@group(0) @binding(0) var<uniform> params: SynqRewardParams;
@group(0) @binding(1) var<storage, read_write> perSample: array<f32>;
@group(0) @binding(2) var<storage, read_write> loss: array<f32>;
@group(0) @binding(3) var<storage, read_write> rewardCodes: array<u32>;
@group(0) @binding(4) var<storage, read_write> positives: array<u32>;

override WG: u32 = 64;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = linear_index(gid, nwg, WG);
  let R = params.replicas;
  if (r >= R) { return; }
  let P = params.stride;
  let base = r * P;
  for (var i = params.batch; i < P; i++) { perSample[base + i] = 0.0; }
  for (var h = P / 2u; h >= 1u; h = h / 2u) {
    for (var i = 0u; i < h; i++) { perSample[base + i] = perSample[base + i] + perSample[base + i + h]; }
  }
  let s = perSample[base];
  var l = s * params.invBatch;
  if (params.euclidean == 1u) { l = sqrt(s) * params.invBatch; }
  loss[r] = l;
  if (params.init == 0u) {
    let better = l < loss[R + r];
    rewardCodes[r] = select(0u, 2u, better);
    if (better) { positives[r] = positives[r] + 1u; }
  }
  loss[R + r] = l;
}
