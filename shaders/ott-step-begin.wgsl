// Start of one environment step, one invocation per replica: a replica is isActive unless it has
// finished the protocol or its env ended last step (it sits out the step while CartPole
// autoresets). Active replicas count the step and copy the observation into their signal vector.
// CPU twin: ottStepBeginCpu in src/kernels/ott-cpu.ts.
#include "common"
#include "ott-common"

#bindings 1 read counters: array<u32>; read obs: array<f32>; read_write rs: array<u32>; read_write signals: array<f32>

fn ott_step_begin(r: u32, R: u32) {
  rs[RS_LEARN * R + r] = 0u;
  let isActive = rs[RS_FINISHED * R + r] == 0u && counters[2u * R + r] == 0u;
  rs[RS_ACTIVE * R + r] = select(0u, 1u, isActive);
  if (!isActive) { return; }
  rs[RS_STEPS * R + r] = rs[RS_STEPS * R + r] + 1u;
  let S = params.signalSize;
  for (var k = 0u; k < params.numInputs; k++) { signals[r * S + k] = obs[r * params.numInputs + k]; }
}

#kernel r < R = params.replicas
  ott_step_begin(r, R);
}
