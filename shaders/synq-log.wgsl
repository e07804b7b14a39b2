// The per-iteration metrics log of synaptic Q-learning and the GD baseline. One invocation per
// replica r at iteration t = clock[0]: its loss, as the two words of an f64 (the f32 widened
// exactly, so the host reads one format from both backends: the GD twin keeps its loss in f64),
// and its reward code go to slot (t - 1) % cap of a ring; metrics[0] = t.
// metrics: [t | 0 | ring: cap x R x (loss lo, loss hi, reward) | snapshots (synq-snapshot)].
// CPU twin: synqLogCpu (src/kernels/synq-log.ts).
#include "common"

#struct SynqLogParams

#bindings 0 uniform params: SynqLogParams; read clock: array<u32>; read loss: array<f32>; read rewardCodes: array<u32>; read_write metrics: array<u32>

// The bits of the f64 equal to x, as (low word, high word).
fn f64_bits(x: f32) -> vec2<u32> {
  let b = bitcast<u32>(x);
  let s = b & 0x80000000u;
  let e = (b >> 23u) & 0xffu;
  let m = b & 0x7fffffu;
  if (e == 255u) { return vec2<u32>(m << 29u, s | 0x7ff00000u | (m >> 3u)); }
  if (e != 0u) { return vec2<u32>(m << 29u, s | ((e + 896u) << 20u) | (m >> 3u)); }
  if (m == 0u) { return vec2<u32>(0u, s); }
  // Subnormal m * 2^-149 with leading bit p: a normal f64 of exponent p - 149, fraction f * 2^(52 - p).
  let p = firstLeadingBit(m);
  let f = m ^ (1u << p);
  let ex = (p + 874u) << 20u;
  if (p <= 20u) { return vec2<u32>(0u, s | ex | (f << (20u - p))); }
  return vec2<u32>(f << (52u - p), s | ex | (f >> (p - 20u)));
}

#kernel r < R = params.replicas
  let t = clock[0];
  let base = 2u + (((t - 1u) % params.cap) * R + r) * 3u;
  let w = f64_bits(loss[r]);
  metrics[base] = w.x;
  metrics[base + 1u] = w.y;
  metrics[base + 2u] = select(0u, rewardCodes[r], params.rewards == 1u);
  if (r == 0u) { metrics[0] = t; }
}
