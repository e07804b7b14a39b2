// Synaptic Q-learning, the reference code's TD rule (SynRL's train loop): the synapses of replica r
// in index order, each moving the live table, Q[a, s] += alphaQ (R + gamma max_a' Q[a', s'] - Q[a, s]),
// so later synapses see earlier synapses' updates. Sequential by definition: one invocation per
// replica walks all N synapses (a reference to compare the batched rules of synq-td with, not fast).
// Reads the states before the shift. CPU twin: tdUpdateSequential (src/synq/td-update.ts), which
// computes each update in f64 and rounds once: parity within tolerance.
#include "common"

#struct SynqTdSeqParams

#bindings 0 uniform params: SynqTdSeqParams; read stateWords: array<u32>; read actionWords: array<u32>; read rewardCodes: array<u32>; read_write q: array<f32>

#kernel r < params.replicas
  let off = r * 243u;
  let base = r * params.words;
  let rc = rewardCodes[r];
  for (var i = 0u; i < params.synapses; i++) {
    let sh = 8u * (i & 3u);
    let b = (stateWords[base + (i >> 2u)] >> sh) & 0xffu;
    let a = (actionWords[base + (i >> 2u)] >> sh) & 0xffu;
    // s = a2*27 + a1*9 + r2*3 + r1  ->  s' = a1*27 + a*9 + r1*3 + rc
    let s = ((b >> 6u) & 3u) * 27u + ((b >> 4u) & 3u) * 9u + ((b >> 2u) & 3u) * 3u + (b & 3u);
    let sn = ((b >> 4u) & 3u) * 27u + a * 9u + (b & 3u) * 3u + rc;
    let maxNext = max(max(q[off + sn], q[off + 81u + sn]), q[off + 162u + sn]);
    let e = off + a * 81u + s;
    q[e] = q[e] + params.alphaQ * ((f32(rc) - 1.0) + params.gamma * maxNext - q[e]);
  }
}
