// Per-replica bookkeeping after the rewards, one invocation per active replica: adds this step to
// the episode's return, firing-fraction sums and reward-term sums (each term's mean over neurons,
// summed in neuron order); a replica whose env just ended is marked to learn and its Adam step
// count advances. CPU twin: ottReplicaStepCpu in src/kernels/ott-cpu.ts.
#include "common"
#include "ott-common"

#bindings 1 read counters: array<u32>; read envReward: array<f32>; read fractions: array<f32>; read terms: array<f32>; read_write rs: array<u32>; read_write rf: array<f32>

fn ott_replica_step(r: u32, R: u32) {
  if (rs[RS_ACTIVE * R + r] == 0u) { return; }
  let N = params.neurons;
  let nl = params.layers + 1u;
  rf[RF_RETURN * R + r] = rf[RF_RETURN * R + r] + envReward[r];
  for (var l = 0u; l < nl; l++) {
    rf[(RF_FIRE + l) * R + r] = rf[(RF_FIRE + l) * R + r] + fractions[r * nl + l];
  }
  for (var k = 0u; k < 5u; k++) {
    var s = 0.0;
    for (var n = 0u; n < N; n++) { s = s + terms[k * R * N + r * N + n]; }
    let f = (RF_FIRE + nl + k) * R + r;
    rf[f] = rf[f] + s / f32(N);
  }
  if (counters[3u * R + r] != 0u || counters[4u * R + r] != 0u) {
    rs[RS_LEARN * R + r] = 1u;
    rs[RS_ADAM_T * R + r] = rs[RS_ADAM_T * R + r] + 1u;
  }
}

#kernel r < R = params.replicas
  ott_replica_step(r, R);
}
