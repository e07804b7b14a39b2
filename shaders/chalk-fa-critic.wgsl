// Chalk logistic learner, critic step (twin: logisticCriticKernel in src/chalk/logistic-learner.ts).
// Invocation q = x (B+1) + k owns critic weight u[q]: it sums, over the chains in ascending r whose
// previous post-action state (tdIndex = x (N+1) + c) has input x and puts tent weight on knot k,
// wgt * tdDelta and wgt; u[q] += alpha_t num / den, alpha_t = rate / (1 + t / decay).
// No atomics: each weight is written by one invocation, sums in a fixed order.
#include "common"

#struct ChalkFaCriticParams

#bindings 0 uniform params: ChalkFaCriticParams; read clock: array<u32>; read chain: array<u32>; read scratch: array<f32>; read_write model: array<f32>

#kernel q: x < params.inputs, k < params.bins + 1u
  let B = params.bins;
  let R = params.chains;
  let n = params.neurons;
  let tdOff = 2u * R * n;
  var num = 0.0;
  var den = 0.0;
  for (var r = 0u; r < R; r++) {
    let idx = chain[2u * R + r];
    let xr = idx / (n + 1u);
    if (xr != x) { continue; }
    let c = idx - xr * (n + 1u);
    var k0 = (c * B) / n;
    var frac = f32(c * B - k0 * n) * params.invNeurons;
    if (k0 >= B) { k0 = B - 1u; frac = 1.0; }
    var wgt = 0.0;
    if (k == k0) { wgt = 1.0 - frac; } else if (k == k0 + 1u) { wgt = frac; }
    if (wgt > 0.0) {
      num = num + wgt * scratch[tdOff + r];
      den = den + wgt;
    }
  }
  if (den > 0.0) {
    let alpha = params.criticRate / (1.0 + f32(clock[0]) / params.criticDecay);
    model[q] = model[q] + (alpha * num) / den;
  }
}
