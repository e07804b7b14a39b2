// Batched MountainCar-v0 (Gymnasium MountainCarEnv semantics), one invocation per env.
// State is struct-of-arrays: state[c * E + e] for c = position, velocity; counters[c * E + e] for
// c = steps, episodes, autoresetPending, terminated, truncated. mode 0 steps, mode 1 resets all.
// An env that ended is reset by the next step (its action ignored, reward 0, both flags false).
// Actions come from actIn[e * actStride + actOffset] as the action index 0, 1, 2 (push left, none,
// right; rounded and clamped); observations (position, velocity) go to
// obsOut[e * obsStride + obsOffset + c]. CPU twin: src/envs/mountain-car.ts (MountainCarCpu).
#include "rng"
#include "common"

struct MountainCarParams {
  numEnvs: u32,
  seed: u32,
  mode: u32,
  actStride: u32,
  actOffset: u32,
  obsStride: u32,
  obsOffset: u32,
  maxEpisodeSteps: u32,
  minPosition: f32,
  maxPosition: f32,
  maxSpeed: f32,
  goalPosition: f32,
  goalVelocity: f32,
  force: f32,
  gravity: f32,
  resetLow: f32,
  resetHigh: f32,
}

const STREAM_ENV_RESET: u32 = 2u;

@group(0) @binding(0) var<uniform> params: MountainCarParams;
@group(0) @binding(1) var<storage, read_write> state: array<f32>;
@group(0) @binding(2) var<storage, read_write> counters: array<u32>;
@group(0) @binding(3) var<storage, read_write> reward: array<f32>;
@group(0) @binding(4) var<storage, read> actIn: array<f32>;
@group(0) @binding(5) var<storage, read_write> obsOut: array<f32>;

override WG: u32 = 64;

fn reset_env(e: u32, E: u32) {
  let episode = counters[E + e];
  let u = rng_uniform(params.seed, STREAM_ENV_RESET, e * 2u, episode);
  state[e] = params.resetLow + (params.resetHigh - params.resetLow) * u;
  state[E + e] = 0.0;
  counters[e] = 0u;
  counters[E + e] = episode + 1u;
  counters[2u * E + e] = 0u;
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = linear_index(gid, nwg, WG);
  let E = params.numEnvs;
  if (e >= E) { return; }
  if (params.mode == 1u) {
    counters[E + e] = 0u;
    reset_env(e, E);
    reward[e] = 0.0;
    counters[3u * E + e] = 0u;
    counters[4u * E + e] = 0u;
  } else if (counters[2u * E + e] != 0u) {
    reset_env(e, E);
    reward[e] = 0.0;
    counters[3u * E + e] = 0u;
    counters[4u * E + e] = 0u;
  } else {
    let pos = state[e];
    let vel = state[E + e];
    let action = u32(clamp(round(actIn[e * params.actStride + params.actOffset]), 0.0, 2.0));
    let push = f32(i32(action) - 1) * params.force;
    let cos3 = sincos(3.0 * pos).y;
    var v = vel + (push + cos3 * (-params.gravity));
    v = min(max(v, -params.maxSpeed), params.maxSpeed);
    let x = min(max(pos + v, params.minPosition), params.maxPosition);
    if (x == params.minPosition && v < 0.0) { v = 0.0; }
    state[e] = x;
    state[E + e] = v;
    let steps = counters[e] + 1u;
    counters[e] = steps;
    let term = x >= params.goalPosition && v >= params.goalVelocity;
    let trunc = steps >= params.maxEpisodeSteps;
    reward[e] = -1.0;
    counters[3u * E + e] = select(0u, 1u, term);
    counters[4u * E + e] = select(0u, 1u, trunc);
    counters[2u * E + e] = select(0u, 1u, term || trunc);
  }
  for (var c = 0u; c < 2u; c++) {
    obsOut[e * params.obsStride + params.obsOffset + c] = state[c * E + e];
  }
}
