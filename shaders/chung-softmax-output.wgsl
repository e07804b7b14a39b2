// Softmax output of Chung's actor, one invocation per replica r (CPU twin: softmaxForward +
// reinforceCharac). Logits pot_k = (b_k + sum_c partial[r, k, c]) / temp for the K - 1 learned
// units and 0 for the last action; probabilities by a max-shifted softmax with shifted logits
// clipped at -30; action = first k with u < cumulative probability (f32 running sum),
// u = rng_uniform(seed, stream, r * agentStride + agentOffset, clock). Writes mean [R, K], the
// one-hot values [R, K], the action index as f32 into the env's action slot
// act[r * actStride + actOffset], and charac_k = (onehot_k - p_k) / temp for k < K - 1.
#include "common"
#include "chung-softmax-common"

#struct SoftmaxParams

#bindings 0 uniform params: SoftmaxParams; read theta: array<f32>; read partial: array<f32>; read clock: array<u32>; read_write mean: array<f32>; read_write values: array<f32>; read_write act: array<f32>; read_write charac: array<f32>

#kernel r < params.replicas
  let K = params.actions;
  let U = K - 1u;
  let F = params.fanIn;
  let C = params.chunks;
  var z: array<f32, MAX_ACTIONS>;
  var zmax = 0.0;
  for (var k = 0u; k < U; k++) {
    var s = theta[(r * (F + 1u) + F) * U + k];
    for (var c = 0u; c < C; c++) { s += partial[(r * U + k) * C + c]; }
    let pot = s / params.temp;
    z[k] = pot;
    zmax = max(zmax, pot);
  }
  softmax_act(r, z, zmax, params.stream);
}
