// Reward term 'task': every neuron's learning reward starts as weight x the env's reward (the
// broadcast task reward). It runs first and writes; later terms add.
#include "reward-term-common"

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  var n: Neuron;
  if (!term_neuron(linear_index(gid, nwg, WG), &n)) { return; }
  rewardOut[reward_slot(n)] = params.weight * n.envReward;
}
