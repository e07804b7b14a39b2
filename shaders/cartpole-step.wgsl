// Batched CartPole-v1 (Gymnasium CartPoleVectorEnv semantics), one invocation per env.
// State is struct-of-arrays: state[c * E + e] for c = x, xDot, theta, thetaDot; counters[c * E + e]
// for c = steps, episodes, autoresetPending, terminated, truncated. mode 0 steps, mode 1 resets all.
// An env that ended is reset by the next step (its action ignored, reward 0, both flags false).
// Actions come from actIn[e * actStride + actOffset] (> 0.5 pushes right); observations go to
// obsOut[e * obsStride + obsOffset + c]. CPU twin: src/envs/cartpole.ts.
#include "rng"
#include "common"

struct CartPoleParams {
  numEnvs: u32,
  seed: u32,
  mode: u32,
  actStride: u32,
  actOffset: u32,
  obsStride: u32,
  obsOffset: u32,
  maxEpisodeSteps: u32,
  gravity: f32,
  massCart: f32,
  massPole: f32,
  length: f32,
  forceMag: f32,
  tau: f32,
  thetaThreshold: f32,
  xThreshold: f32,
  resetBound: f32,
}

const STREAM_ENV_RESET: u32 = 2u;

@group(0) @binding(0) var<uniform> params: CartPoleParams;
@group(0) @binding(1) var<storage, read_write> state: array<f32>;
@group(0) @binding(2) var<storage, read_write> counters: array<u32>;
@group(0) @binding(3) var<storage, read_write> reward: array<f32>;
@group(0) @binding(4) var<storage, read> actIn: array<f32>;
@group(0) @binding(5) var<storage, read_write> obsOut: array<f32>;

override WG: u32 = 64;

fn reset_env(e: u32, E: u32) {
  let episode = counters[E + e];
  let b = params.resetBound;
  for (var c = 0u; c < 4u; c++) {
    let u = rng_uniform(params.seed, STREAM_ENV_RESET, e * 4u + c, episode);
    state[c * E + e] = -b + (2.0 * b) * u;
  }
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
    let x = state[e];
    let xDot = state[E + e];
    let theta = state[2u * E + e];
    let thetaDot = state[3u * E + e];
    let force = select(-params.forceMag, params.forceMag, actIn[e * params.actStride + params.actOffset] > 0.5);
    let totalMass = params.massPole + params.massCart;
    let pml = params.massPole * params.length;
    let sc = sincos(theta);
    let sinT = sc.x;
    let cosT = sc.y;
    let temp = (force + pml * (thetaDot * thetaDot) * sinT) / totalMass;
    let thetaAcc = (params.gravity * sinT - cosT * temp) /
      (params.length * (4.0 / 3.0 - params.massPole * (cosT * cosT) / totalMass));
    let xAcc = temp - pml * thetaAcc * cosT / totalMass;
    let nx = x + params.tau * xDot;
    let nt = theta + params.tau * thetaDot;
    state[e] = nx;
    state[E + e] = xDot + params.tau * xAcc;
    state[2u * E + e] = nt;
    state[3u * E + e] = thetaDot + params.tau * thetaAcc;
    let steps = counters[e] + 1u;
    counters[e] = steps;
    let term = nx < -params.xThreshold || nx > params.xThreshold || nt < -params.thetaThreshold || nt > params.thetaThreshold;
    let trunc = steps >= params.maxEpisodeSteps;
    reward[e] = 1.0;
    counters[3u * E + e] = select(0u, 1u, term);
    counters[4u * E + e] = select(0u, 1u, trunc);
    counters[2u * E + e] = select(0u, 1u, term || trunc);
  }
  for (var c = 0u; c < 4u; c++) {
    obsOut[e * params.obsStride + params.obsOffset + c] = state[c * E + e];
  }
}
