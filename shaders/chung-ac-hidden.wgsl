// Hidden layer of Chung's episodic actor (Weight Max family on CartPole / Acrobot), one invocation
// per (replica r, unit j). The CPU reference `Layer` layout (src/chung/network.ts): theta = [w | b]
// with w[(r * N + j) * F + q] (incoming-major) and b[r * N + j] after all weights; pre[j * F + q]
// (sparse fan-in) reads presynaptic unit pre(j, q) of x[r * inDim + .] (dense: q).
//   drive = b_j + sum_q w_jq x_pre(j,q)                          (f32, q ascending)
//   RELU (the backprop baseline): pot = drive, value = mean = max(pot, 0), charac = 0
//   else (Bernoulli-logistic): pot = drive / temp, mean = sigmoid(pot) (exact 0 / 1 beyond |pot| >= 20),
//     explore = exploreProb >= 1 or u_e < exploreProb (Thomas 2011; u_e on the exploration stream),
//     value = explore ? [u < mean] : [mean > 0.5]   (u on the spike stream),
//     charac = explore ? (value - mean) / temp : 0  (the REINFORCE characteristic, reinforce_charac)
// with every draw rng_uniform(seed, stream, r * agentStride + agentOffset + j, clock).
// CPU twin: hiddenForward + reinforceCharac (src/chung/forward.ts, learning.ts), via
// src/kernels/chung-ac-cpu.ts; the twin sums in f64 and stores f32.
#include "common"
#include "chung-common"
#include "rng"

#struct AcHiddenParams

#bindings 0 uniform params: AcHiddenParams; read theta: array<f32>; read pre: array<u32>; read clock: array<u32>; read x: array<f32>; read_write pot: array<f32>; read_write mean: array<f32>; read_write values: array<f32>; read_write charac: array<f32>

override SPARSE: bool = false;

const STREAM_SPIKE: u32 = 1u;
const STREAM_EXPLORATION: u32 = 5u;

#kernel i: r < R = params.replicas, j < N = params.units
  let F = params.fanIn;
  let base = i * F;
  let xb = r * params.inDim;
  var s = theta[R * N * F + i];
  for (var q = 0u; q < F; q++) {
    var p = q;
    if (SPARSE) { p = pre[j * F + q]; }
    s += theta[base + q] * x[xb + p];
  }
  if (params.relu != 0u) {
    pot[i] = s;
    let v = max(s, 0.0);
    mean[i] = v;
    values[i] = v;
    charac[i] = 0.0;
    return;
  }
  let a = s / params.temp;
  pot[i] = a;
  let m = code_sigmoid(a);
  mean[i] = m;
  let agent = r * params.agentStride + params.agentOffset + j;
  let step = clock[0];
  let explore = params.exploreProb >= 1.0 || rng_uniform(params.seed, STREAM_EXPLORATION, agent, step) < params.exploreProb;
  var v = select(0.0, 1.0, m > 0.5);
  if (explore) { v = select(0.0, 1.0, rng_uniform(params.seed, STREAM_SPIKE, agent, step) < m); }
  values[i] = v;
  charac[i] = select(0.0, (v - m) / params.temp, explore);
}
