// Reward term 'task': every neuron's learning reward starts as weight x the env's reward (the
// broadcast task reward). It runs first and writes; later terms add.
#include "reward-term-common"

#kernel i
  var n: Neuron;
  if (!term_neuron(i, &n)) { return; }
  rewardOut[reward_slot(n)] = params.weight * n.envReward;
}
