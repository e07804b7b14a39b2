// Gradient-descent baseline (MNIST, Bhargava et al. Table 1's GD rows): the softmax cross-entropy
// of every training sample and its gradient with respect to the logits, one invocation per
// (replica r, sample b) of the full batch. With p = softmax(y) (max subtracted), c the label
// (labels[idx[r*B + b]]) and eps = 1e-8 inside the log as in the reference:
//   perSample[r*stride + b] = -log(p_c + eps),
//   delta[(r*B + b)*O + j]  = (p_c / (p_c + eps)) * (p_j - [j == c]).
// CPU twin: ceDeltaSample in src/synq/gradient.ts (in f64; parity within tolerance).
#include "common"

#struct GdDeltaParams

#bindings 0 uniform params: GdDeltaParams; read outputs: array<f32>; read labels: array<u32>; read idx: array<u32>; read_write perSample: array<f32>; read_write delta: array<f32>

#kernel n: r < params.replicas, b < params.batch
  let O = params.outDim;
  let base = n * O;
  var m = outputs[base];
  for (var j = 1u; j < O; j++) { m = max(m, outputs[base + j]); }
  var z = 0.0;
  for (var j = 0u; j < O; j++) { z += exp(outputs[base + j] - m); }
  let c = labels[idx[n]];
  let pc = exp(outputs[base + c] - m) / z;
  perSample[r * params.stride + b] = -log(pc + 1e-8);
  let scale = pc / (pc + 1e-8);
  for (var j = 0u; j < O; j++) {
    let pj = exp(outputs[base + j] - m) / z;
    delta[base + j] = scale * (pj - select(0.0, 1.0, j == c));
  }
}
