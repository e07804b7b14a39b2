// Batched MountainCar-v0 (Gymnasium MountainCarEnv semantics), one invocation per env.
// State is struct-of-arrays: state[c * E + e] for c = position, velocity; counters[c * E + e] for
// c = steps, episodes, autoresetPending, terminated, truncated. mode 0 steps, mode 1 resets all.
// An env that ended is reset by the next step (its action ignored, reward 0, both flags false).
// Actions come from actIn[e * actStride + actOffset] as the action index 0, 1, 2 (push left, none,
// right; rounded and clamped); observations (position, velocity) go to
// obsOut[e * obsStride + obsOffset + c]. CPU twin: src/envs/mountain-car.ts (MountainCarCpu).
// The params struct, generated from its ParamsLayout (src/envs/mountain-car-gpu.ts).
#struct MountainCarParams

alias EnvParams = MountainCarParams;
#include "env-common"

fn draw_reset(e: u32, E: u32, episode: u32) {
  let u = rng_uniform(params.seed, STREAM_ENV_RESET, e * 2u, episode);
  state[e] = params.resetLow + (params.resetHigh - params.resetLow) * u;
  state[E + e] = 0.0;
}

fn advance(e: u32, E: u32, a: f32) -> vec2<f32> {
  let pos = state[e];
  let vel = state[E + e];
  let action = u32(clamp(round(a), 0.0, 2.0));
  let push = f32(i32(action) - 1) * params.force;
  let cos3 = sincos(3.0 * pos).y;
  var v = vel + (push + cos3 * (-params.gravity));
  v = min(max(v, -params.maxSpeed), params.maxSpeed);
  let x = min(max(pos + v, params.minPosition), params.maxPosition);
  if (x == params.minPosition && v < 0.0) { v = 0.0; }
  state[e] = x;
  state[E + e] = v;
  return vec2<f32>(-1.0, select(0.0, 1.0, x >= params.goalPosition && v >= params.goalVelocity));
}

fn write_obs(e: u32, E: u32) {
  for (var c = 0u; c < 2u; c++) {
    obsOut[e * params.obsStride + params.obsOffset + c] = state[c * E + e];
  }
}
