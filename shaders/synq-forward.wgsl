// Synaptic Q-learning: one dense layer of the trained MLP over a minibatch, for R replicas.
// One invocation per (replica r, sample b, unit j): out[(r*B + b)*O + j] =
// act(w[row] + sum_k w[row + 1 + k] * x[k]), row = r*N + wOffset + j*(I+1) (bias in column 0).
// Input row: (r*B + b)*I, or with GATHER idx[r*B + b]*I into a pool of samples (MNIST: the drawn
// minibatch is an index buffer, the images stay put). Sums in f32 in k order (the twin sums in
// f64): parity within a tolerance. ACT: 0 identity, 1 tanh, 2 relu.
// CPU twin: denseForward in src/synq/mlp.ts.
#include "common"

struct SynqForwardParams {
  replicas: u32,
  batch: u32,
  inDim: u32,
  outDim: u32,
  synapses: u32,
  wOffset: u32,
}

@group(0) @binding(0) var<uniform> params: SynqForwardParams;
@group(0) @binding(1) var<storage, read> weights: array<f32>;
@group(0) @binding(2) var<storage, read> input: array<f32>;
@group(0) @binding(3) var<storage, read> idx: array<u32>;
@group(0) @binding(4) var<storage, read_write> output: array<f32>;

override WG: u32 = 64;
override ACT: u32 = 0;
override GATHER: bool = false;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = linear_index(gid, nwg, WG);
  let O = params.outDim;
  let B = params.batch;
  if (i >= params.replicas * B * O) { return; }
  let n = i / O;
  let j = i - n * O;
  let r = n / B;
  let I = params.inDim;
  var xBase = n * I;
  if (GATHER) { xBase = idx[n] * I; }
  let row = r * params.synapses + params.wOffset + j * (I + 1u);
  var acc = weights[row];
  for (var k = 0u; k < I; k++) {
    acc += weights[row + 1u + k] * input[xBase + k];
  }
  var y = acc;
  if (ACT == 1u) { y = tanh(acc); }
  if (ACT == 2u) { y = max(acc, 0.0); }
  output[i] = y;
}
