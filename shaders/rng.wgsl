// Counter-based RNG shared with src/rng/counter-rng.ts: a hash of (seed, stream, agent, step).
// Bit-identical to the TypeScript twin; every stochastic choice in the engine draws from it.

fn rng_mix32(x: u32) -> u32 {
  // lowbias32 (Chris Wellons' hash-prospector): full avalanche, cheap on GPUs and in JS.
  var h = x;
  h ^= h >> 16u;
  h *= 0x7feb352du;
  h ^= h >> 15u;
  h *= 0x846ca68bu;
  h ^= h >> 16u;
  return h;
}

fn rng_u32(seed: u32, stream: u32, agent: u32, step: u32) -> u32 {
  var h = rng_mix32(seed ^ 0x9e3779b9u);
  h = rng_mix32(h ^ stream);
  h = rng_mix32(h ^ agent);
  h = rng_mix32(h ^ step);
  return h;
}

// Uniform in [0, 1) on a 2^-24 grid: exact in f32 and in f64, so both sides see the same number.
fn rng_uniform(seed: u32, stream: u32, agent: u32, step: u32) -> f32 {
  return f32(rng_u32(seed, stream, agent, step) >> 8u) * (1.0 / 16777216.0);
}
