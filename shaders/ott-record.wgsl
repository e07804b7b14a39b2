// Appends this step's signal vector (observation, every neuron's spike) of each active replica to
// its episode history hist[(r*Tmax + t)*S + s], t = the episode's step index; one invocation per
// (replica, signal). Runs before the env step overwrites nothing it reads.
// CPU twin: ottRecordCpu in src/kernels/ott-cpu.ts.
#include "common"
#include "ott-common"

#bindings 1 read rs: array<u32>; read signals: array<f32>; read_write hist: array<f32>

fn ott_record(i: u32, r: u32, s: u32, R: u32, S: u32) {
  if (rs[RS_ACTIVE * R + r] == 0u) { return; }
  let t = rs[RS_STEPS * R + r] - 1u;
  hist[(r * params.horizon + t) * S + s] = signals[i];
}

#kernel i: r < R = params.replicas, s < S = params.signalSize
  ott_record(i, r, s, R, S);
}
