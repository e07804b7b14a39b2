// Fills an array with counter-RNG draws: out[i] = rng_u32(seed, stream, i, step). The parity test
// compares it with src/rng/counter-rng.ts word for word.
#include "rng"
#include "common"

#struct RngStreamParams

#bindings 0 uniform params: RngStreamParams; read_write words: array<u32>; read_write uniforms: array<f32>

#kernel i < params.count
  words[i] = rng_u32(params.seed, params.stream, i, params.step);
  uniforms[i] = rng_uniform(params.seed, params.stream, i, params.step);
}
