// Synaptic Q-learning: per-sample loss of the minibatch, one invocation per (replica r, sample b),
// written to perSample[r*stride + b] (stride = the batch padded to a power of two, for the tree).
// LOSS 0: squared error sum_j (y - t)^2 with targets laid out like the outputs.
// LOSS 1: softmax cross-entropy -log(softmax(y)[label] + 1e-8), max subtracted; the label is
// labels[r*B + b], or labels[idx[r*B + b]] with GATHER (labels of the whole sample pool).
// CPU twins: squaredErrorPerSample, softmaxCrossEntropyPerSample in src/synq/loss.ts.
#include "common"

#struct SynqLossParams

#bindings 0 uniform params: SynqLossParams; read outputs: array<f32>; read targets: array<f32>; read labels: array<u32>; read idx: array<u32>; read_write perSample: array<f32>

override LOSS: u32 = 0;
override GATHER: bool = false;

#kernel n: r < params.replicas, b < B = params.batch
  let O = params.outDim;
  let base = n * O;
  var loss = 0.0;
  if (LOSS == 0u) {
    for (var j = 0u; j < O; j++) {
      let d = outputs[base + j] - targets[base + j];
      loss += d * d;
    }
  } else {
    var m = outputs[base];
    for (var j = 1u; j < O; j++) { m = max(m, outputs[base + j]); }
    var z = 0.0;
    for (var j = 0u; j < O; j++) { z += exp(outputs[base + j] - m); }
    var li = n;
    if (GATHER) { li = idx[n]; }
    let p = exp(outputs[base + labels[li]] - m) / z;
    loss = -log(p + 1e-8);
  }
  perSample[r * params.stride + b] = loss;
}
