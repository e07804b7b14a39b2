// Synaptic Q-learning: the shared table's TD update from all synapses' transitions of this
// iteration, one invocation per (replica r, entry e = a*81 + s). Every visitor of (a, s) in
// replica r has the same target R + gamma * max_a' qOld[a', s'] (s' depends only on s, a, R), so
// only the visit count n matters: rule 'count' q += (1 - (1-alphaQ)^n) (tdTarget - q) (n sequential
// steps toward one target), 'mean' (MEAN) q += alphaQ (tdTarget - q) when n >= 1. Reads qOld, writes
// qNew (double-buffered), and clears counts[e] for the next iteration.
// CPU twin: applyTdUpdate in src/synq/td-update.ts.
#include "common"

#struct SynqTdParams

#bindings 0 uniform params: SynqTdParams; read qOld: array<f32>; read rewardCodes: array<u32>; read_write counts: array<u32>; read_write qNew: array<f32>

override MEAN: bool = false;

// x^n by square-and-multiply (twin: powF32 in td-update.ts); WGSL's pow is too loose for ties.
fn pow_u32(x: f32, n: u32) -> f32 {
  var result = 1.0;
  var base = x;
  var e = n;
  loop {
    if (e == 0u) { break; }
    if ((e & 1u) == 1u) { result = result * base; }
    e = e >> 1u;
    if (e > 0u) { base = base * base; }
  }
  return result;
}

#kernel i: r < params.replicas, e < 243u
  let off = r * 243u;
  let n = counts[i];
  let q = qOld[i];
  if (n == 0u) { qNew[i] = q; return; }
  counts[i] = 0u;
  let rc = rewardCodes[r];
  let a = e / 81u;
  let s = e - a * 81u;
  // s = a2*27 + a1*9 + r2*3 + r1  ->  s' = a1*27 + a*9 + r1*3 + rc
  let a1 = (s / 9u) % 3u;
  let r1 = s % 3u;
  let sn = a1 * 27u + a * 9u + r1 * 3u + rc;
  let maxNext = max(max(qOld[off + sn], qOld[off + 81u + sn]), qOld[off + 162u + sn]);
  let tdTarget = (f32(rc) - 1.0) + params.gamma * maxNext;
  var k = params.alphaQ;
  if (!MEAN) { k = 1.0 - pow_u32(1.0 - params.alphaQ, n); }
  qNew[i] = q + k * (tdTarget - q);
}
