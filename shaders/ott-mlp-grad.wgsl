// Per-neuron REINFORCE gradient of the MLP policy over the replica's finished episode, one
// invocation per (replica that learns this step, neuron): grads = sum_t d(-G_t log pi(a_t|x_t)),
// t in episode order, accumulated in the neuron's own grads block (overwritten). The forward pass
// is recomputed per step: once for the logits, then once per hidden unit during the backward pass
// (same operations, same bits), so no per-thread array of width H is needed.
// CPU twin: mlpEpisodeGradients in src/ott/mlp-policy.ts.
#include "common"
#include "ott-common"
#include "ott-mlp-common"

#bindings 1 read wiring: array<u32>; read rs: array<u32>; read theta: array<f32>; read hist: array<f32>; read returns: array<f32>; read_write grads: array<f32>

fn mlp_input(src: u32, j: u32) -> f32 {
  return hist[j];
}

fn ott_mlp_grad(i: u32, r: u32, n: u32, R: u32, N: u32) {
  if (rs[RS_LEARN * R + r] == 0u) { return; }
  let H = params.hidden;
  let K = params.fanInK;
  let S = params.signalSize;
  let P = params.paramsPerNeuron;
  let base = i * P;
  let b1 = base + H * K;
  let w2 = b1 + H;
  let b2 = w2 + 2u * H;
  let cnt = wiring[params.offFanInCount + n];
  let slope = params.slope;
  for (var j = 0u; j < P; j++) { grads[base + j] = 0.0; }
  let T = rs[RS_STEPS * R + r];
  for (var t = 0u; t < T; t++) {
    let sb = (r * params.horizon + t) * S;
    let G = returns[(r * params.horizon + t) * N + n];
    let p = mlp_probs(base, n, cnt, sb, MLP_HISTORY);
    let act = hist[sb + params.numInputs + n];
    let dz0 = G * (p.x - select(0.0, 1.0, act == 0.0));
    let dz1 = G * (p.y - select(0.0, 1.0, act == 1.0));
    grads[b2] = grads[b2] + dz0;
    grads[b2 + 1u] = grads[b2 + 1u] + dz1;
    for (var h = 0u; h < H; h++) {
      let s = mlp_hidden_pre(base, h, n, cnt, sb, MLP_HISTORY);
      let row = base + h * K;
      let ah = leaky_relu(s);
      grads[w2 + h] = grads[w2 + h] + dz0 * ah;
      grads[w2 + H + h] = grads[w2 + H + h] + dz1 * ah;
      let da = dz0 * theta[w2 + h] + dz1 * theta[w2 + H + h];
      let dpre = select(slope * da, da, s > 0.0);
      grads[b1 + h] = grads[b1 + h] + dpre;
      for (var k = 0u; k < cnt; k++) {
        grads[row + k] = grads[row + k] + dpre * hist[sb + wiring[n * K + k]];
      }
    }
  }
}

#kernel i: r < R = params.replicas, n < N = params.neurons
  ott_mlp_grad(i, r, n, R, N);
}
