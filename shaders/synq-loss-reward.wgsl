// Synaptic Q-learning: each replica's scalar loss and its global reward. Serial: one invocation
// per replica r walks the tree (no barriers: the fast form on SwiftShader). PARALLEL: below.
// perSample[r*stride ..] is zero-padded to stride (a power of two) and summed by the documented
// pairwise tree (v[i] += v[i + h], h = stride/2 .. 1), in place; loss = s * f32(1/B) ('mean') or
// sqrt(s) * f32(1/B) ('euclidean'). Unless `init`: reward code 2 if loss < prevLoss else 0;
// positives[r] counts the +1 rewards. Then prevLoss = loss.
// Layout of `loss`: [newLoss R | prevLoss R]. CPU twins: reduceLoss, computeRewards (loss.ts).
#include "common"

#struct SynqRewardParams

#bindings 0 uniform params: SynqRewardParams; read_write perSample: array<f32>; read_write loss: array<f32>; read_write rewardCodes: array<u32>; read_write positives: array<u32>

// PARALLEL: one workgroup of WG invocations per replica; each tree level's adds are split over the
// workgroup and a storageBarrier separates the levels. The same adds in the same order as the
// serial loop, so the same bits; on a hardware GPU a single thread walking 8k adds in dependent
// global-memory levels is what bounds the whole iteration, on SwiftShader the barriers cost more.
override PARALLEL: bool = false;

fn finish(r: u32, R: u32, s: f32) {
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

#kernel with workgroup_id wid, local_invocation_index lid
  let R = params.replicas;
  let P = params.stride;
  if (PARALLEL) {
    let r = wid.x + wid.y * nwg.x;
    if (r >= R) { return; }
    let base = r * P;
    for (var i = params.batch + lid; i < P; i += WG) { perSample[base + i] = 0.0; }
    storageBarrier();
    for (var h = P / 2u; h >= 1u; h = h / 2u) {
      for (var i = lid; i < h; i += WG) { perSample[base + i] = perSample[base + i] + perSample[base + i + h]; }
      storageBarrier();
    }
    if (lid == 0u) { finish(r, R, perSample[base]); }
    return;
  }
  #index r < R
  let base = r * P;
  for (var i = params.batch; i < P; i++) { perSample[base + i] = 0.0; }
  for (var h = P / 2u; h >= 1u; h = h / 2u) {
    for (var i = 0u; i < h; i++) { perSample[base + i] = perSample[base + i] + perSample[base + i + h]; }
  }
  finish(r, R, perSample[base]);
}
