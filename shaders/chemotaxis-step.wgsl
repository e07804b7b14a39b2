// Batched salt chemotaxis of a point worm, one invocation per env (src/envs/chemotaxis.ts has the
// model and the CPU twin, ChemotaxisCpu, line for line). State is struct-of-arrays: state[c * E + e]
// for c = x, y, heading, C (concentration), dC (its last change), and the motor spikes summed since
// the last move (forward, reversal, turn). The env moves on every `ticks`-th step of an episode
// (neural ticks per move; between moves: no reward, C and dC held). The action is 12 spikes in
// consecutive act slots from actIn[e * actStride + actOffset]: AVB L/R (forward), AVA L/R (reversal),
// SMDD/RMDD L/R (dorsal), SMDV/RMDV L/R (ventral), each read as x > 0.5. Observations
// (max(dC, 0), max(-dC, 0)) x obsGain go to obsOut[e * obsStride + obsOffset + c] (ASEL, ASER).
// The params struct, generated from its ParamsLayout (src/envs/chemotaxis-gpu.ts).
#struct ChemotaxisParams

alias EnvParams = ChemotaxisParams;
#include "env-common"

fn concentration(x: f32, y: f32) -> f32 {
  let dx = x - params.peakX;
  let dy = y - params.peakY;
  return exp_neg((dx * dx + dy * dy) * params.invTwoSigma2);
}

fn draw_reset(e: u32, E: u32, episode: u32) {
  let angle = 6.28318531 * rng_uniform(params.seed, STREAM_ENV_RESET, e * 5u, episode);
  let sc = sincos(angle);
  let x = params.peakX + params.startDistance * sc.y;
  let y = params.peakY + params.startDistance * sc.x;
  state[e] = x;
  state[E + e] = y;
  state[2u * E + e] = 6.28318531 * rng_uniform(params.seed, STREAM_ENV_RESET, e * 5u + 1u, episode) - 3.14159274;
  state[3u * E + e] = concentration(x, y);
  state[4u * E + e] = 0.0;
  state[5u * E + e] = 0.0;
  state[6u * E + e] = 0.0;
  state[7u * E + e] = 0.0;
}

fn spike(e: u32, s: u32) -> i32 {
  return select(0, 1, actIn[e * params.actStride + params.actOffset + s] > 0.5);
}

fn advance(e: u32, E: u32, a: f32) -> vec2<f32> {
  let fwd = state[5u * E + e] + f32(spike(e, 0u) + spike(e, 1u));
  let rev = state[6u * E + e] + f32(spike(e, 2u) + spike(e, 3u));
  let turn = state[7u * E + e] + f32(spike(e, 4u) + spike(e, 5u) + spike(e, 6u) + spike(e, 7u) - (spike(e, 8u) + spike(e, 9u) + spike(e, 10u) + spike(e, 11u)));
  // counters[e]: the steps this episode took before this one.
  let moves = (counters[e] + 1u) % params.ticks == 0u;
  state[5u * E + e] = select(fwd, 0.0, moves);
  state[6u * E + e] = select(rev, 0.0, moves);
  state[7u * E + e] = select(turn, 0.0, moves);
  if (!moves) { return vec2<f32>(0.0, 0.0); }
  var h = state[2u * E + e];
  var v = params.speed;
  if (rev > fwd) {
    h = h + (params.pirouetteAngle + params.steerPerSpike * turn);
    v = -params.reverseSpeed;
  } else {
    h = h + params.steerPerSpike * turn;
  }
  let sc = sincos(h);
  let x = state[e] + v * sc.y;
  let y = state[E + e] + v * sc.x;
  let c = concentration(x, y);
  let dc = c - state[3u * E + e];
  state[e] = x;
  state[E + e] = y;
  state[2u * E + e] = h;
  state[3u * E + e] = c;
  state[4u * E + e] = dc;
  return vec2<f32>(params.rewardGain * dc, 0.0);
}

fn write_obs(e: u32, E: u32) {
  let dc = state[4u * E + e];
  obsOut[e * params.obsStride + params.obsOffset] = max(dc, 0.0) * params.obsGain;
  obsOut[e * params.obsStride + params.obsOffset + 1u] = max(-dc, 0.0) * params.obsGain;
}
