// Reward term 'metabolic' (Singh's metabolic cost): a spike costs energy for the neuron and for
// every synapse it drives: - weight x spike x (1 + the next layer's neuron count), 0 for the action
// layer's outgoing synapses (the env reads it, no synapse).
#include "reward-term-common"

#kernel i
  var n: Neuron;
  if (!term_neuron(i, &n)) { return; }
  var fanOut = 0u;
  if (n.layer + 1u < params.layerCount) { fanOut = layers[4u * (n.layer + 1u) + 2u]; }
  let s = n.spike;
  rewardOut[reward_slot(n)] -= params.weight * s * f32(1u + fanOut);
}
