// Per-unit signals of one layer ("below", N units) of Chung's actor, one invocation per
// (replica r, unit i), gathered over i's outgoing synapses into the layer above (Na units, fan-in F,
// the CPU reference layout: synapse k * F + q of replica r at r * Na * F + k * F + q; dense: q = i;
// SPARSE: the CSR list outSyn[outStart[i] .. outStart[i + 1]] of synapse ids k * F + q), no atomics:
// MODE 0 (broadcast_reward: REINFORCE, Thomas, STE, backprop and every output layer):
//   out[r, i] = signal[r]  (the TD error)
// MODE 1 (weight_max_reward): out[r, i] = sum_k normGrad(w_ki, p) u_ki, w the already-updated
//   weight and u the raw update of this step (chung-ac-adam stores it), p = 2: 2 w u
// MODE 2 (backprop_charac, STE / backprop, after the update):
//   out[r, i] = (sum_k charac_k w_ki) * act'(pot_i), act' = sigmoid' (Bernoulli, straight-through)
//   or relu' (RELU, 1 at 0)
// Sums run over k ascending (dense) or CSR order (sparse) in f32.
// CPU twins: broadcastReward, weightMaxReward, backpropCharac (src/chung/learning.ts), f64 sums
// stored f32.
#include "common"
#include "chung-common"

#struct AcGatherParams

#bindings 0 uniform params: AcGatherParams; read aboveTheta: array<f32>; read aboveU: array<f32>; read aboveCharac: array<f32>; read outStart: array<u32>; read outSyn: array<u32>; read pot: array<f32>; read signal: array<f32>; read_write out: array<f32>

override MODE: u32 = 0u;
override SPARSE: bool = false;
override RELU: bool = false;

fn term(r: u32, syn: u32) -> f32 {
  let Na = params.aboveUnits;
  let F = params.aboveFanIn;
  let s = r * Na * F + syn;
  if (MODE == 1u) { return norm_grad(aboveTheta[s], params.p) * aboveU[s]; }
  return aboveCharac[r * Na + syn / F] * aboveTheta[s];
}

#kernel t: r < params.replicas, i < N = params.units
  if (MODE == 0u) {
    out[t] = signal[r];
    return;
  }
  var s = 0.0;
  if (SPARSE) {
    let end = outStart[i + 1u];
    for (var q = outStart[i]; q < end; q++) { s += term(r, outSyn[q]); }
  } else {
    let F = params.aboveFanIn;
    for (var k = 0u; k < params.aboveUnits; k++) { s += term(r, k * F + i); }
  }
  if (MODE == 1u) {
    out[t] = s;
    return;
  }
  var d = 0.0;
  if (RELU) {
    d = select(1.0, 0.0, pot[t] < 0.0);
  } else {
    let sg = code_sigmoid(pot[t]);
    d = sg * (1.0 - sg);
  }
  out[t] = s * d;
}
