// End-of-episode REINFORCE for one layer of logistic neuron-agents, one invocation per (r, n).
// Runs every step; does work only for replicas whose episode just ended (terminated or truncated),
// so replicas update at their own episode ends without waiting for each other.
// Each neuron: G_t = sum_k gamma^k r_{t+k}; A_t = (G_t - mean G) / (std G + eps) (the episode's
// standardised returns); gradient of sum_t A_t log pi(s_t) is sum_t A_t (s_t - p_t) x_t; one Adam
// ascent step on theta = [weights; bias] with the neuron's own Adam state.
// Replica-level metrics (episode return log) are written by the layer with writeMetrics = 1, n = 0.
// CPU twin: reinforceUpdateCpu in src/kernels/reinforce-cpu.ts.
// With SPARSE, each neuron's K inputs come from its fan-in index (a wired layer).
// direct = 1: the learning-reward column already holds each step's A_t (s_t - p_t) (written by
// reinforce-weight-max), so the gradient is sum_t column_t x_t: no returns, no standardisation.
#include "common"

#struct UpdateParams

// rewardCol: column of the per-neuron learning rewards in a trajectory slot (reward terms), or
// NONE, when every neuron learns from the broadcast env reward in `rewards`.
const NONE: u32 = 0xffffffffu;

#bindings 0 uniform params: UpdateParams; read counters: array<u32>; read traj: array<f32>; read rewards: array<f32>; read_write theta: array<f32>; read_write adam: array<f32>; read_write adamStep: array<u32>; read_write metrics: array<u32>
// Sparse fan-in: input k of neuron n is column fanInIndex[k * N + n] of the layer's input block
// (a padded slot points at the block's always-zero sentinel column); dense: column k.
@group(0) @binding(8) var<storage, read> fanInIndex: array<u32>;

override SPARSE: bool = false;

const STD_EPS: f32 = 1.1920929e-7;

// Neuron n's learning reward at step t of replica r's episode.
fn learning_reward(r: u32, t: u32, n: u32) -> f32 {
  if (params.rewardCol == NONE) { return rewards[r * params.horizon + t]; }
  return traj[(r * params.horizon + t) * params.rowWidth + params.rewardCol + n];
}

#kernel i: r < R = params.replicas, n < N = params.neurons
  if (counters[3u * R + r] == 0u && counters[4u * R + r] == 0u) { return; }
  let L = min(counters[r], params.horizon);
  let T = params.horizon;
  let W = params.rowWidth;
  let g = params.gamma;

  // Standardisation statistics of the discounted returns.
  var G = 0.0;
  var sum = 0.0;
  var sumSq = 0.0;
  var ret = 0.0;
  let direct = params.direct == 1u;
  for (var t = i32(L) - 1; t >= 0; t--) {
    if (!direct) {
      let rw = learning_reward(r, u32(t), n);
      G = rw + g * G;
      sum += G;
      sumSq += G * G;
    }
    ret += rewards[r * T + u32(t)];
  }
  let mean = sum / f32(L);
  let sd = sqrt(max(sumSq / f32(L) - mean * mean, 0.0));
  let inv = 1.0 / (sd + STD_EPS);

  let K = params.fanIn;
  let step = adamStep[i] + 1u;
  adamStep[i] = step;
  let c1 = 1.0 - pow(params.beta1, f32(step));
  let c2 = 1.0 - pow(params.beta2, f32(step));
  let P = R * (K + 1u) * N;
  for (var k = 0u; k <= K; k++) {
    var grad = 0.0;
    G = 0.0;
    for (var t = i32(L) - 1; t >= 0; t--) {
      let row = (r * T + u32(t)) * W;
      var a: f32;
      if (direct) {
        a = learning_reward(r, u32(t), n);
      } else {
        G = learning_reward(r, u32(t), n) + g * G;
        a = (G - mean) * inv * (traj[row + params.spikeCol + n] - traj[row + params.probCol + n]);
      }
      var x = 1.0;
      if (k < K) {
        var pre = k;
        if (SPARSE) { pre = fanInIndex[k * N + n]; }
        x = traj[row + params.inCol + pre];
      }
      grad += a * x;
    }
    let w = (r * (K + 1u) + k) * N + n;
    let m = params.beta1 * adam[w] + (1.0 - params.beta1) * grad;
    let v = params.beta2 * adam[P + w] + (1.0 - params.beta2) * grad * grad;
    adam[w] = m;
    adam[P + w] = v;
    theta[w] += params.lr * (m / c1) / (sqrt(v / c2) + params.eps);
  }

  if (params.writeMetrics == 1u && n == 0u) {
    let c = metrics[r];
    metrics[R + r * params.metricsCap + c % params.metricsCap] = bitcast<u32>(ret);
    metrics[r] = c + 1u;
  }
}
