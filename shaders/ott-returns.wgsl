// Discounted returns standardised per episode, in place over the replica's rewards, one invocation
// per (replica that learns this step, neuron): G_t = r_t + gamma G_{t+1}, then
// (G - mean) / (unbiased std + f32 eps); a one-step episode gives 0.
// CPU twin: standardisedReturns in src/ott/returns.ts (also safe in place).
#include "common"
#include "ott-common"

#bindings 1 read rs: array<u32>; read_write rewardHist: array<f32>

const F32_EPS: f32 = 1.1920928955078125e-7;

fn ott_returns(i: u32, r: u32, n: u32, R: u32, N: u32) {
  if (rs[RS_LEARN * R + r] == 0u) { return; }
  let T = rs[RS_STEPS * R + r];
  if (T == 0u) { return; }
  let base = r * params.horizon * N + n;
  var G = 0.0;
  var sum = 0.0;
  for (var t = i32(T) - 1; t >= 0; t--) {
    let j = base + u32(t) * N;
    G = rewardHist[j] + params.gamma * G;
    rewardHist[j] = G;
    sum = sum + G;
  }
  let mean = sum / f32(T);
  var ss = 0.0;
  for (var t = 0u; t < T; t++) {
    let d = rewardHist[base + t * N] - mean;
    ss = ss + d * d;
  }
  var sd = 0.0;
  if (T > 1u) { sd = sqrt(ss / f32(T - 1u)); }
  let denom = sd + F32_EPS;
  for (var t = 0u; t < T; t++) {
    let j = base + t * N;
    rewardHist[j] = (rewardHist[j] - mean) / denom;
  }
}

#kernel i: r < R = params.replicas, n < N = params.neurons
  ott_returns(i, r, n, R, N);
}
