// Weight Maximization critic (Chung 2022): TD(lambda) backward pass of one dense layer, one
// invocation per (replica r, unit j), dispatched from the output layer down (the code's
// Network.backprop(grad_mean=True) with accumulating traces):
//   c_j = 1 (output), else (sum_k cAbove_k wAbove_kj) * sigmoid(pot_j)   (k ascending, f32)
//   keep = mask[r] != 0 ? 0 : decay          (mask: the replica's previous step ended an episode)
//   eB_j = keep eB_j + c_j,   eW_jq = keep eW_jq + x_q c_j
// wAbove is the layer above's current weights, [(r * aboveOut + k) * nOut + j].
// PACKED (a step program's [eW | eB] in one buffer): eB_j lives at eW[R * nOut * nIn + r * nOut + j]
// and the eB binding is not written.
// CPU twin: criticBackwardLayerCpu in src/kernels/chung-critic-cpu.ts.
#include "common"
#include "chung-common"

#struct CriticBackwardParams

#bindings 0 uniform params: CriticBackwardParams; read x: array<f32>; read pot: array<f32>; read aboveCharac: array<f32>; read aboveW: array<f32>; read mask: array<u32>; read_write charac: array<f32>; read_write eW: array<f32>; read_write eB: array<f32>

override PACKED: bool = false;

#kernel i: r < params.replicas, j < nOut = params.nOut
  let nIn = params.nIn;
  var c = 1.0;
  if (params.isOutput == 0u) {
    let K = params.aboveOut;
    var g = 0.0;
    for (var k = 0u; k < K; k++) {
      g = g + aboveCharac[r * K + k] * aboveW[(r * K + k) * nOut + j];
    }
    c = g * code_sigmoid(pot[i]);
  }
  charac[i] = c;
  let keep = select(params.decay, 0.0, mask[r] != 0u);
  if (PACKED) {
    let ib = params.replicas * nOut * nIn + i;
    eW[ib] = keep * eW[ib] + c;
  } else {
    eB[i] = keep * eB[i] + c;
  }
  let eb = i * nIn;
  let xb = r * nIn;
  for (var q = 0u; q < nIn; q++) {
    eW[eb + q] = keep * eW[eb + q] + x[xb + q] * c;
  }
}
