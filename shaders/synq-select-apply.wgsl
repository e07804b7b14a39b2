// Synaptic Q-learning, acting: every synapse picks a_t epsilon-greedily from its replica's shared
// Q-table and moves its weight by (a_t - 1) * alphaS * stepScale. One invocation per packed word
// (4 synapses, see src/synq/packed-state.ts), so no two invocations touch the same word.
// Iteration t = clock[0] (1-based). Exploration draws: rng_uniform(seed, stream, r*N + i, 2t) < eps,
// random action ((rng_u32(.., 2t+1) >> 8) * 3) >> 24; greedy = first argmax (strict >).
// The step is alphaS, or alphaS2 from iteration switchAt on (switchAt 0: never; alphaSAt in
// src/synq/config.ts).
// CPU twins: selectActions + applyActions in src/synq/policy-kernels.ts.
#include "rng"
#include "common"

#struct SynqSelectParams

#bindings 0 uniform params: SynqSelectParams; read q: array<f32>; read stepScale: array<f32>; read clock: array<u32>; read stateWords: array<u32>; read_write actionWords: array<u32>; read_write weights: array<f32>

#kernel idx: r < params.replicas, w < W = params.words
  let N = params.synapses;
  let tOff = r * 243u;
  let t = clock[0];
  let step = 2u * t;
  let alpha = select(params.alphaS, params.alphaS2, params.switchAt > 0u && t >= params.switchAt);
  let sw = stateWords[idx];
  var aw = actionWords[idx];
  for (var k = 0u; k < 4u; k++) {
    let i = 4u * w + k;
    if (i >= N) { break; }
    let agent = r * N + i;
    var a: u32;
    if (rng_uniform(params.seed, params.stream, agent, step) < params.epsilon) {
      a = ((rng_u32(params.seed, params.stream, agent, step + 1u) >> 8u) * 3u) >> 24u;
    } else {
      let b = (sw >> (8u * k)) & 0xffu;
      let s = ((b >> 6u) & 3u) * 27u + ((b >> 4u) & 3u) * 9u + ((b >> 2u) & 3u) * 3u + (b & 3u);
      a = 0u;
      var best = q[tOff + s];
      for (var c = 1u; c < 3u; c++) {
        let v = q[tOff + c * 81u + s];
        if (v > best) { best = v; a = c; }
      }
    }
    aw = (aw & ~(0xffu << (8u * k))) | (a << (8u * k));
    if (a != 1u) {
      let st = alpha * stepScale[i];
      weights[agent] = weights[agent] + select(-st, st, a == 2u);
    }
  }
  actionWords[idx] = aw;
}
