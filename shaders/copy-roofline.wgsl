// The bandwidth roofline: a plain copy of `count` vec4<f32> words, nothing else. Invocation i copies
// words i, i + threads, i + 2 threads, ... (PER_THREAD of them, so neighbouring invocations touch
// neighbouring words on every pass). Whatever the best variant reaches in bytes (read + write) per
// second is the most a memory-bound kernel can move on this adapter; the benchmarks report every
// kernel as a fraction of it. Several words per invocation matter on software adapters, where the
// cost of an invocation rivals the cost of the bytes it moves.
// CPU twin: dst.set(src) (src/bench/copy-roofline.ts checks it bit for bit).
#include "common"

#struct CopyParams

#bindings 0 uniform params: CopyParams; read src: array<vec4<f32>>; read_write dst: array<vec4<f32>>

override PER_THREAD: u32 = 1u;

#kernel i < params.threads
  for (var j = 0u; j < PER_THREAD; j++) {
    let w = i + j * params.threads;
    if (w < params.count) { dst[w] = src[w]; }
  }
}
