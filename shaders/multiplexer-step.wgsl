// Batched Boolean multiplexer as a contextual bandit (Chung's Weight Max task), one invocation per
// env e, with the env kernels' bindings (src/envs/registry.ts): state = [target x E], counters
// [steps | episodes | autoresetPending | terminated | truncated] x E, reward, actIn, obsOut.
// Every episode is one step, scored and followed at once by the next episode's input (no autoreset
// step): mode 0 scores the action (actIn > 0.5 outputs +1, else -1) against the target, reward
// +1 / -1, steps = 1, terminated = 1, then draws the next input; mode 1 (reset) zeroes the
// counters and draws episode 0's input. Bit b of env e's input in episode k is +1 when the top bit
// of rng_u32(seed, STREAM_ENV_RESET, e * obsDim + b, k) is 1, else -1; the first addressBits bits
// address a data bit, which is the target. CPU twin: MultiplexerCpu (src/envs/multiplexer.ts),
// its reset + stepBandit over the same buffers.
#include "common"
#include "rng"

#struct MultiplexerParams

const STREAM_ENV_RESET: u32 = 2u;

#bindings 0 uniform params: MultiplexerParams; read_write state: array<f32>; read_write counters: array<u32>; read_write reward: array<f32>; read actIn: array<f32>; read_write obsOut: array<f32>

fn draw(e: u32, E: u32) {
  let n = params.obsDim;
  let k = counters[E + e];
  var address = 0u;
  var tgt = 0.0;
  let o = e * params.obsStride + params.obsOffset;
  for (var b = 0u; b < n; b++) {
    let bit = rng_u32(params.seed, STREAM_ENV_RESET, e * n + b, k) >> 31u;
    let v = select(-1.0, 1.0, bit == 1u);
    obsOut[o + b] = v;
    // The address bits come first, so the address is complete when the data bits are drawn.
    if (b < params.addressBits) { address = (address << 1u) | bit; } else if (b - params.addressBits == address) { tgt = v; }
  }
  state[e] = tgt;
  counters[E + e] = k + 1u;
}

#kernel e < E = params.numEnvs
  if (params.mode == 1u) {
    counters[e] = 0u;
    counters[E + e] = 0u;
    counters[2u * E + e] = 0u;
    counters[3u * E + e] = 0u;
    counters[4u * E + e] = 0u;
    reward[e] = 0.0;
  } else {
    let out = select(-1.0, 1.0, actIn[e * params.actStride + params.actOffset] > 0.5);
    reward[e] = select(-1.0, 1.0, out == state[e]);
    counters[e] = 1u;
    counters[2u * E + e] = 0u;
    counters[3u * E + e] = 1u;
    counters[4u * E + e] = 0u;
  }
  draw(e, E);
}
