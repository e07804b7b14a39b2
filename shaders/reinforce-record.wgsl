// Appends this step to each replica's episode trajectory, after the env step. Invocation (r, j):
// traj[(r*T + t)*W + j] = activity row (j < S), probability row (S <= j < S + P) or, with reward
// terms (neuronRewards = P), each neuron's learning reward (j >= S + P) of this step, where
// t = steps[r] - 1 is the step's index in the episode; j == 0 also stores the reward. Steps that
// were autoresets (steps[r] == 0 afterwards) are not part of any episode and are skipped.
// CPU twin: reinforceRecordCpu in src/kernels/reinforce-cpu.ts.
#include "common"

#struct RecordParams

#bindings 0 uniform params: RecordParams; read counters: array<u32>; read act: array<f32>; read prob: array<f32>; read reward: array<f32>; read_write traj: array<f32>; read_write rewards: array<f32>; read neuronReward: array<f32>

#kernel i: r < params.replicas, j < W = params.actStride + params.probStride + params.neuronRewards
  let S = params.actStride;
  let P = params.probStride;
  let steps = counters[r];
  if (steps == 0u || steps > params.horizon) { return; }
  let t = steps - 1u;
  let base = (r * params.horizon + t) * W;
  if (j < S) {
    traj[base + j] = act[r * S + j];
  } else if (j < S + P) {
    traj[base + j] = prob[r * P + j - S];
  } else {
    traj[base + j] = neuronReward[r * params.neuronRewards + j - S - P];
  }
  if (j == 0u) {
    rewards[r * params.horizon + t] = reward[r];
  }
}
