// Reward term 'activity' (Ott 2020): + weight when the neuron spiked this step.
#include "reward-term-common"

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  var n: Neuron;
  if (!term_neuron(linear_index(gid, nwg, WG), &n)) { return; }
  let s = n.spike;
  rewardOut[reward_slot(n)] += params.weight * s;
}
