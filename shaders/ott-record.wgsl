// Appends this step's signal vector (observation, every neuron's spike) of each active replica to
// its episode history hist[(r*Tmax + t)*S + s], t = the episode's step index; one invocation per
// (replica, signal). Runs before the env step overwrites nothing it reads.
// CPU twin: ottRecordCpu in src/kernels/ott-cpu.ts.
#include "common"
#include "ott-common"

#bindings 1 read rs: array<u32>; read signals: array<f32>; read_write hist: array<f32>

override WG: u32 = 64;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = linear_index(gid, nwg, WG);
  let R = params.replicas;
  let S = params.signalSize;
  if (i >= R * S) { return; }
  let r = i / S;
  if (rs[RS_ACTIVE * R + r] == 0u) { return; }
  let t = rs[RS_STEPS * R + r] - 1u;
  hist[(r * params.horizon + t) * S + (i - r * S)] = signals[i];
}
