// Synaptic Q-learning: one dense layer of the trained MLP over a minibatch, for R replicas.
// One invocation per (replica r, sample b, unit j): out[(r*B + b)*O + j] =
// act(w[row] + sum_k w[row + 1 + k] * x[k]), row = r*N + wOffset + j*(I+1) (bias in column 0).
// Input row: (r*B + b)*I, or with GATHER idx[r*B + b]*I into a pool of samples (MNIST: the drawn
// minibatch is an index buffer, the images stay put). Sums in f32 in k order (the twin sums in
// f64): parity within a tolerance. ACT: 0 identity, 1 tanh, 2 relu.
// UNITS > 1: one invocation computes UNITS consecutive units j of one (r, b) (the last chunk may be
// short), each exactly as above: the same sums, fewer invocations (a narrow layer such as the
// boundary task's 2 -> 100 is dominated by per-invocation cost on SwiftShader).
// CPU twin: denseForward in src/synq/mlp.ts.
#include "common"

#struct SynqForwardParams

#bindings 0 uniform params: SynqForwardParams; read weights: array<f32>; read input: array<f32>; read idx: array<u32>; read_write output: array<f32>

override ACT: u32 = 0;
override GATHER: bool = false;

override UNITS: u32 = 1;

#kernel i: n < params.replicas * params.batch, c < chunks = (params.outDim + UNITS - 1u) / UNITS
  let O = params.outDim;
  let r = n / params.batch;
  let I = params.inDim;
  var xBase = n * I;
  if (GATHER) { xBase = idx[n] * I; }
  let j0 = c * UNITS;
  let j1 = min(j0 + UNITS, O);
  for (var j = j0; j < j1; j++) {
    let row = r * params.synapses + params.wOffset + j * (I + 1u);
    var acc = weights[row];
    for (var k = 0u; k < I; k++) {
      acc += weights[row + 1u + k] * input[xBase + k];
    }
    var y = acc;
    if (ACT == 1u) { y = tanh(acc); }
    if (ACT == 2u) { y = max(acc, 0.0); }
    output[n * O + j] = y;
  }
}
