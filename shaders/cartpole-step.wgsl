// Batched CartPole-v1 (Gymnasium CartPoleVectorEnv semantics), one invocation per env.
// State is struct-of-arrays: state[c * E + e] for c = x, xDot, theta, thetaDot; counters[c * E + e]
// for c = steps, episodes, autoresetPending, terminated, truncated. mode 0 steps, mode 1 resets all.
// An env that ended is reset by the next step (its action ignored, reward 0, both flags false).
// Actions come from actIn[e * actStride + actOffset] (> 0.5 pushes right); observations go to
// obsOut[e * obsStride + obsOffset + c]. CPU twin: src/envs/cartpole.ts.
// The params struct, generated from its ParamsLayout (src/envs/cartpole-gpu.ts).
#struct CartPoleParams

alias EnvParams = CartPoleParams;
#include "env-common"

fn draw_reset(e: u32, E: u32, episode: u32) {
  reset_uniform(e, E, episode, 4u, params.resetBound);
}

fn advance(e: u32, E: u32, action: f32) -> vec2<f32> {
  let x = state[e];
  let xDot = state[E + e];
  let theta = state[2u * E + e];
  let thetaDot = state[3u * E + e];
  let force = select(-params.forceMag, params.forceMag, action > 0.5);
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
  let term = nx < -params.xThreshold || nx > params.xThreshold || nt < -params.thetaThreshold || nt > params.thetaThreshold;
  return vec2<f32>(1.0, select(0.0, 1.0, term));
}

fn write_obs(e: u32, E: u32) {
  for (var c = 0u; c < 4u; c++) {
    obsOut[e * params.obsStride + params.obsOffset + c] = state[c * E + e];
  }
}
