// The shared body of every batched env kernel (Gymnasium vector-env semantics), one invocation per
// env. An env file declares its params struct (first fields: numEnvs, seed, mode, actStride,
// actOffset, obsStride, obsOffset, maxEpisodeSteps), `alias EnvParams = ThatStruct;`, includes
// this file, and defines
//   fn draw_reset(e: u32, E: u32, episode: u32)   its initial state for episode `episode` (from 0)
//   fn advance(e: u32, E: u32, action: f32) -> vec2<f32>   one step: (reward, 1.0 if terminated)
//   fn write_obs(e: u32, E: u32)   its observation into obsOut[e * obsStride + obsOffset + c]
// State is struct-of-arrays, state[c * E + e]; counters[c * E + e] for c = steps, episodes,
// autoresetPending, terminated, truncated. mode 0 steps, mode 1 resets all. An env that ended is
// reset by the next step (its action ignored, reward 0, both flags false). The CPU twins share the
// same flow in src/envs/env-twin.ts.
#include "rng"
#include "common"

const STREAM_ENV_RESET: u32 = 2u;

#bindings 0 uniform params: EnvParams; read_write state: array<f32>; read_write counters: array<u32>; read_write reward: array<f32>; read actIn: array<f32>; read_write obsOut: array<f32>

// For draw_reset: state components c < n of env e uniform in [-b, b], draw e * n + c of the reset
// stream (CartPole's and Acrobot's initial state).
fn reset_uniform(e: u32, E: u32, episode: u32, n: u32, b: f32) {
  for (var c = 0u; c < n; c++) {
    let u = rng_uniform(params.seed, STREAM_ENV_RESET, e * n + c, episode);
    state[c * E + e] = -b + (2.0 * b) * u;
  }
}

fn reset_env(e: u32, E: u32) {
  let episode = counters[E + e];
  draw_reset(e, E, episode);
  counters[e] = 0u;
  counters[E + e] = episode + 1u;
  counters[2u * E + e] = 0u;
}

// One env step of env e (or its reset: mode 1, or an episode that ended last step).
fn env_step(e: u32, E: u32) {
  if (params.mode == 1u || counters[2u * E + e] != 0u) {
    if (params.mode == 1u) { counters[E + e] = 0u; }
    reset_env(e, E);
    reward[e] = 0.0;
    counters[3u * E + e] = 0u;
    counters[4u * E + e] = 0u;
  } else {
    let out = advance(e, E, actIn[e * params.actStride + params.actOffset]);
    let steps = counters[e] + 1u;
    counters[e] = steps;
    let term = out.y > 0.5;
    let trunc = steps >= params.maxEpisodeSteps;
    reward[e] = out.x;
    counters[3u * E + e] = select(0u, 1u, term);
    counters[4u * E + e] = select(0u, 1u, trunc);
    counters[2u * E + e] = select(0u, 1u, term || trunc);
  }
  write_obs(e, E);
}

#kernel e < E = params.numEnvs
  env_step(e, E);
}
