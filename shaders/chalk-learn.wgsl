// Chalk sampling learner, per-table part of one step (twins in src/chalk/sampling-learner.ts):
//   invocation k <  N*nV        : chalkActorKernel (i = k / nV, v = k % nV): A += eta (h(v1) - h(v0) - A)
//   invocation N*nV + i (i < N) : chalkMarginalKernel (from step marginalWarmup + 1 on):
//                                 p_i <- clamp((1-beta) p_i + beta mean_r piOne[r, i])
//   invocation N*nV + N         : chalkReferenceKernel: gain = mean_s h[s] (ascending s), the reference
//                                 level the next step's TD errors use.
// None of the three reads what another writes, so they share one dispatch.
#include "common"

#struct ChalkLearnParams

#bindings 0 uniform params: ChalkLearnParams; read clock: array<u32>; read piOne: array<f32>; read_write model: array<f32>

fn insert_bit(rest: u32, i: u32, a: u32) -> u32 {
  let low = rest & ((1u << i) - 1u);
  return low | (a << i) | ((rest >> i) << (i + 1u));
}

#kernel k
  let n = params.neurons;
  let S = 1u << n;
  let half = 1u << (n - 1u);
  let nV = half * params.inputs;
  if (k < n * nV) {
    let i = k / nV;
    let v = k - i * nV;
    let x = v / half;
    let rest = v - x * half;
    let goal = model[x * S + insert_bit(rest, i, 1u)] - model[x * S + insert_bit(rest, i, 0u)];
    let a = params.advOffset + k;
    model[a] = model[a] + params.actorRate * (goal - model[a]);
    return;
  }
  if (k < n * nV + n) {
    if (clock[0] <= params.marginalWarmup) { return; }
    let i = k - n * nV;
    let R = params.chains;
    var sum = 0.0;
    for (var r = 0u; r < R; r++) { sum += piOne[r * n + i]; }
    let beta = params.marginalRate;
    let m = (1.0 - beta) * model[params.margOffset + i] + (beta * sum) / f32(R);
    model[params.margOffset + i] = min(1.0 - params.minMarginal, max(params.minMarginal, m));
    return;
  }
  if (k == n * nV + n) {
    var sum = 0.0;
    for (var s = 0u; s < params.states; s++) { sum += model[s]; }
    model[params.gainOffset] = sum / f32(params.states);
  }
}
