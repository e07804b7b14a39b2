// The MLP policy's forward pass, shared by ott-mlp-forward and ott-mlp-grad (CPU twin:
// src/ott/mlp-policy.ts): Linear(fan_in, H) -> LeakyReLU -> Linear(H, 2) -> softmax. Neuron n's
// parameter block at base: W1[h*K + k] | b1[h] | W2[o*H + h] | b2[o]; its inputs are the signals
// wiring[n*K + k], k < cnt, of the step whose signal vector starts at sb. The includer binds theta
// and wiring and defines fn mlp_input(src: u32, j: u32) -> f32, signal j of the buffer src names
// (MLP_SIGNALS: this step's signals; MLP_HISTORY: the episode's history).

const MLP_SIGNALS: u32 = 0u;
const MLP_HISTORY: u32 = 1u;

fn leaky_relu(s: f32) -> f32 {
  return select(params.slope * s, s, s > 0.0);
}

// Hidden unit h's pre-activation b1[h] + sum_k W1[h*K + k] x_k (k ascending).
fn mlp_hidden_pre(base: u32, h: u32, n: u32, cnt: u32, sb: u32, src: u32) -> f32 {
  let K = params.fanInK;
  var s = theta[base + params.hidden * K + h];
  let row = base + h * K;
  for (var k = 0u; k < cnt; k++) { s = s + theta[row + k] * mlp_input(src, sb + wiring[n * K + k]); }
  return s;
}

// (P(silent), P(spike)). The hidden activations are not kept: each is folded into both logits as
// it is computed (the twin's order of additions).
fn mlp_probs(base: u32, n: u32, cnt: u32, sb: u32, src: u32) -> vec2<f32> {
  let H = params.hidden;
  let w2 = base + H * params.fanInK + H;
  let b2 = w2 + 2u * H;
  var z0 = theta[b2];
  var z1 = theta[b2 + 1u];
  for (var h = 0u; h < H; h++) {
    let a = leaky_relu(mlp_hidden_pre(base, h, n, cnt, sb, src));
    z0 = z0 + theta[w2 + h] * a;
    z1 = z1 + theta[w2 + H + h] * a;
  }
  let mx = select(z1, z0, z0 > z1);
  let e0 = exp(z0 - mx);
  let e1 = exp(z1 - mx);
  let sum = e0 + e1;
  return vec2<f32>(e0 / sum, e1 / sum);
}
