// Chalk sampling learner, critic step (twin: chalkCriticScatter / chalkCriticApplyKernel in
// src/chalk/sampling-learner.ts): h[s] += alpha_t * mean of tdDelta over the chains with tdIndex == s,
// summed in ascending r. Invocation r is the leader of its state s when no lower chain visited s;
// only the leader sums (over r' >= r, ascending) and writes h[s], so no atomics and a fixed order.
// Cost O(R^2) per step, independent of the number of states. alpha_t = rate / (1 + t / decay).
#include "common"

#struct ChalkCriticParams

#bindings 0 uniform params: ChalkCriticParams; read clock: array<u32>; read chain: array<u32>; read tdDelta: array<f32>; read_write model: array<f32>

#kernel r < R = params.chains
  let base = 2u * R;
  let s = chain[base + r];
  for (var q = 0u; q < r; q++) {
    if (chain[base + q] == s) { return; }
  }
  var sum = 0.0;
  var count = 0u;
  for (var q = r; q < R; q++) {
    if (chain[base + q] == s) {
      sum += tdDelta[q];
      count += 1u;
    }
  }
  let alpha = params.criticRate / (1.0 + f32(clock[0]) / params.criticDecay);
  model[s] = model[s] + (alpha * sum) / f32(count);
}
