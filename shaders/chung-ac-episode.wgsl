// Episode bookkeeping of Chung's actor-critic, one invocation per replica r, after the env step:
//   prevIsEnd = isEnd (of the step before); isEnd = terminated || truncated;
//   truncOnly = truncated && !terminated (old gym's TimeLimit reports a cut only when the step did
//   not also terminate); return += reward; length += 1 unless this step was the autoreset (with
//   `bandit` set, one-step episodes whose env draws the next input in the same step, every step counts);
//   an ended episode appends (return lo, return hi, length, clock + 1) to the replica's ring in
//   `metrics` and starts the next at 0. metrics = [env steps done | count x R | (return as f64
//   words, length, steps) x cap x R] (u32; replica 0 writes the step count). Returns accumulate in
//   f64 (two u32 words per replica, f64.wgsl's integer-only addition), bit for bit as the CPU
//   trainer's `return += reward`. flags = [prevIsEnd | isEnd | truncOnly] x R.
// CPU twin: the per-replica loop after env.step in the CPU trainer (src/kernels/chung-ac-cpu.ts).
#include "common"
#include "f64"

#struct AcEpisodeParams

#bindings 0 uniform params: AcEpisodeParams; read counters: array<u32>; read reward: array<f32>; read clock: array<u32>; read_write flags: array<u32>; read_write epReturn: array<vec2<u32>>; read_write epLength: array<u32>; read_write metrics: array<u32>

#kernel r < R = params.replicas
  let prev = flags[R + r];
  flags[r] = prev;
  let term = counters[3u * R + r] != 0u;
  let trunc = counters[4u * R + r] != 0u;
  let isEnd = term || trunc;
  flags[R + r] = select(0u, 1u, isEnd);
  flags[2u * R + r] = select(0u, 1u, trunc && !term);
  let ret = f64_add_f32(epReturn[r], reward[r]);
  var len = epLength[r];
  if (prev == 0u || params.bandit != 0u) { len += 1u; }
  let steps = clock[0] + 1u;
  if (isEnd) {
    let c = metrics[1u + r];
    let at = 1u + R + 4u * (r * params.cap + c % params.cap);
    metrics[at] = ret.x;
    metrics[at + 1u] = ret.y;
    metrics[at + 2u] = len;
    metrics[at + 3u] = steps;
    metrics[1u + r] = c + 1u;
    epReturn[r] = vec2<u32>(0u, 0u);
    epLength[r] = 0u;
  } else {
    epReturn[r] = ret;
    epLength[r] = len;
  }
  if (r == 0u) { metrics[0] = steps; }
}
