// Reward term 'activity' (Ott 2020): + weight when the neuron spiked this step.
#include "reward-term-common"

#kernel i
  var n: Neuron;
  if (!term_neuron(i, &n)) { return; }
  let s = n.spike;
  rewardOut[reward_slot(n)] += params.weight * s;
}
