// Reward term 'sparsity' (Ott 2020), hidden layers only: e = the layer's firing fraction this step
// minus target; a neuron that fired gets -weight |e|, a silent one +weight |e|.
#include "reward-term-common"

#kernel i
  var n: Neuron;
  if (!term_neuron(i, &n)) { return; }
  if (layers[4u * n.layer + 3u] == 0u) { return; }
  let first = n.r * params.actStride + layers[4u * n.layer];
  let count = layers[4u * n.layer + 2u];
  var fired = 0.0;
  for (var k = 0u; k < count; k++) { fired += spikes[first + k]; }
  let e = abs(fired / f32(count) - params.goal);
  let s = n.spike;
  rewardOut[reward_slot(n)] += select(params.weight * e, -(params.weight * e), s > 0.5);
}
