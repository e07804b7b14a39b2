// Batched Boolean multiplexer in contextual-bandit mode (Chung's Weight Max task), one invocation
// per env i. CPU twin: MultiplexerCpu (src/envs/multiplexer.ts), its reset + stepBandit.
// MODE 0 (draw): bit b of env i's next input is +1 when the top bit of
//   rng_u32(seed, stream, i * obsDim + b, episodes[i]) is 1, else -1; tgt = data[address];
//   episodes[i] += 1. Reset = one draw with episodes = 0.
// MODE 1 (score): reward[i] = +1 when the action (1 -> +1, else -1) equals the tgt, else -1;
//   the reward is added (integer) to log[clock % logSlots] and to sums[i].
#include "common"
#include "rng"

struct MuxParams {
  envs: u32,
  addressBits: u32,
  obsDim: u32,
  seed: u32,
  stream: u32,
  logSlots: u32,
}

@group(0) @binding(0) var<uniform> params: MuxParams;
@group(0) @binding(1) var<storage, read> actions: array<u32>;
@group(0) @binding(2) var<storage, read> clock: array<u32>;
@group(0) @binding(3) var<storage, read_write> obs: array<f32>;
@group(0) @binding(4) var<storage, read_write> tgt: array<f32>;
@group(0) @binding(5) var<storage, read_write> reward: array<f32>;
@group(0) @binding(6) var<storage, read_write> episodes: array<u32>;
@group(0) @binding(7) var<storage, read_write> rewardLog: array<atomic<i32>>;
@group(0) @binding(8) var<storage, read_write> sums: array<i32>;

override WG: u32 = 64;
override MODE: u32 = 0u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = linear_index(gid, nwg, WG);
  if (i >= params.envs) { return; }
  let n = params.obsDim;
  if (MODE == 1u) {
    let out = select(-1.0, 1.0, actions[i] == 1u);
    let rw = select(-1, 1, out == tgt[i]);
    reward[i] = f32(rw);
    atomicAdd(&rewardLog[clock[0] % params.logSlots], rw);
    sums[i] = sums[i] + rw;
    return;
  }
  let e = episodes[i];
  var address = 0u;
  for (var b = 0u; b < n; b++) {
    let bit = rng_u32(params.seed, params.stream, i * n + b, e) >> 31u;
    obs[i * n + b] = select(-1.0, 1.0, bit == 1u);
    if (b < params.addressBits) { address = (address << 1u) | bit; }
  }
  tgt[i] = obs[i * n + params.addressBits + address];
  episodes[i] = e + 1u;
}
