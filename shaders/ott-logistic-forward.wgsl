// One layer of Ott neuron-agents with a logistic policy (for scale), one invocation per
// (replica, neuron in [nStart, nEnd)): P(spike) = sigmoid(b + w . x), spike = rng_uniform(seed,
// spike, r*N + n, clock) < P. Parameter block (r*N + n) * (K+1): w[k] | b.
// CPU twin: logisticForward in src/ott/logistic-policy.ts.
#include "ott-forward-common"

#kernel i: r < R = params.replicas, q < params.nEnd - params.nStart
  let n = params.nStart + q;
  if (rs[RS_ACTIVE * R + r] == 0u) { return; }
  let K = params.fanInK;
  let agent = r * params.neurons + n;
  let base = agent * (K + 1u);
  let cnt = wiring[params.offFanInCount + n];
  let sb = r * params.signalSize;
  var z = theta[base + K];
  for (var k = 0u; k < cnt; k++) { z = z + theta[base + k] * signals[sb + wiring[n * K + k]]; }
  emit_spike(r, n, agent, sigmoid(z), clock[0]);
}
