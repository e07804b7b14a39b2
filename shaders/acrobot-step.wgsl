// Batched Acrobot-v1 (Gymnasium AcrobotEnv, "book" dynamics, one RK4 step of dt per env step), one
// invocation per env. State is struct-of-arrays: state[c * E + e] for c = theta1, theta2, dtheta1,
// dtheta2; counters[c * E + e] for c = steps, episodes, autoresetPending, terminated, truncated.
// mode 0 steps, mode 1 resets all. An env that ended is reset by the next step (its action ignored,
// reward 0, both flags false). Reward -1 per step, 0 on the terminal step; terminated when
// -cos(t1) - cos(t1 + t2) > 1, truncated at maxEpisodeSteps.
// Actions come from actIn[e * actStride + actOffset] as the action index 0, 1, 2 (torque0..2);
// observations (cos t1, sin t1, cos t2, sin t2, dt1, dt2) go to obsOut[e * obsStride + obsOffset + c].
// Only + - * / and the shared `sincos` (common.wgsl), never the builtin sin/cos, in the order of the
// CPU twin: src/envs/acrobot.ts (AcrobotCpu), whose `acrobotConsts` folds the constants below.

// The params struct, generated from its ParamsLayout (src/envs/acrobot-gpu.ts).
#struct AcrobotStepParams

alias EnvParams = AcrobotStepParams;
#include "env-common"

fn draw_reset(e: u32, E: u32, episode: u32) {
  reset_uniform(e, E, episode, 4u, params.resetBound);
}

// d/dt of s = (t1, t2, dt1, dt2) under torque a: (dt1, dt2, ddt1, ddt2) (acrobotDerivs in the twin).
fn derivs(s: vec4<f32>, a: f32) -> vec4<f32> {
  let t1 = s.x;
  let t2 = s.y;
  let dt1 = s.z;
  let dt2 = s.w;
  let sc2 = sincos(t2);
  let sin2 = sc2.x;
  let cos2 = sc2.y;
  let d1 = params.d1c + params.twoB * cos2;
  let d2 = params.d2c + params.b * cos2;
  let phi2 = params.phi2c * sincos((t1 + t2) - params.halfPi).y;
  let phi1 = ((-params.b * ((dt2 * dt2) * sin2) - params.twoB * ((dt2 * dt1) * sin2)) +
    params.phi1c * sincos(t1 - params.halfPi).y) + phi2;
  let num = ((a + (d2 / d1) * phi1) - params.b * ((dt1 * dt1) * sin2)) - phi2;
  let ddt2 = num / (params.d2c - (d2 * d2) / d1);
  let ddt1 = -((d2 * ddt2 + phi1) / d1);
  return vec4<f32>(dt1, dt2, ddt1, ddt2);
}

// Gymnasium's wrap(x, -pi, pi); a step that no longer moves x (+-inf, huge |x|) ends the loop.
fn wrap_angle(xIn: f32) -> f32 {
  var x = xIn;
  loop {
    if (!(x > params.pi)) { break; }
    let n = x - params.twoPi;
    if (n == x) { break; }
    x = n;
  }
  loop {
    if (!(x < -params.pi)) { break; }
    let n = x + params.twoPi;
    if (n == x) { break; }
    x = n;
  }
  return x;
}

fn advance(e: u32, E: u32, a: f32) -> vec2<f32> {
  let s = vec4<f32>(state[e], state[E + e], state[2u * E + e], state[3u * E + e]);
  let action = u32(clamp(round(a), 0.0, 2.0));
  let torque = select(select(params.torque0, params.torque1, action == 1u), params.torque2, action == 2u);
  // rk4(derivs, s, [0, dt]) from gymnasium/envs/classic_control/acrobot.py, one interval.
  let k1 = derivs(s, torque);
  let k2 = derivs(s + params.halfDt * k1, torque);
  let k3 = derivs(s + params.halfDt * k2, torque);
  let k4 = derivs(s + params.dt * k3, torque);
  // y0 + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4), summed left to right as numpy does.
  let ns = s + params.sixthDt * (((k1 + 2.0 * k2) + 2.0 * k3) + k4);
  let t1 = wrap_angle(ns.x);
  let t2 = wrap_angle(ns.y);
  state[e] = t1;
  state[E + e] = t2;
  state[2u * E + e] = min(max(ns.z, -params.maxVel1), params.maxVel1);
  state[3u * E + e] = min(max(ns.w, -params.maxVel2), params.maxVel2);
  let term = -sincos(t1).y - sincos(t1 + t2).y > 1.0;
  return vec2<f32>(select(-1.0, 0.0, term), select(0.0, 1.0, term));
}

fn write_obs(e: u32, E: u32) {
  let sc1 = sincos(state[e]);
  let sc2 = sincos(state[E + e]);
  let o = e * params.obsStride + params.obsOffset;
  obsOut[o] = sc1.y;
  obsOut[o + 1u] = sc1.x;
  obsOut[o + 2u] = sc2.y;
  obsOut[o + 3u] = sc2.x;
  obsOut[o + 4u] = state[2u * E + e];
  obsOut[o + 5u] = state[3u * E + e];
}
