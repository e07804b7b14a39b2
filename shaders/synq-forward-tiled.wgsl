// Synaptic Q-learning: one dense layer of the trained MLP over a minibatch, tiled for hardware
// GPUs. The same function and the same sum order as synq-forward.wgsl (bias, then k = 0, 1, ...):
// out[(r*B + b)*O + j] = act(w[row] + sum_k w[row + 1 + k] * x[k]), row = r*N + wOffset + j*(I+1).
// A workgroup computes a tile of T samples x T units of one replica (grid: unit tiles, sample
// tiles, replicas). Each k-step the workgroup loads T inputs of each of its T samples and T
// weights of each of its T units into workgroup memory, every load coalesced along k, then each
// invocation adds T products to its one output. The plain kernel has each invocation walk a
// weight row alone: on an H100 the 32 rows a warp touches per k (785 floats apart) made the
// 784 -> 32 MNIST layer the bulk of an iteration. SwiftShader runs the plain kernel (barriers are
// slow there). CPU twin: denseForward in src/synq/mlp.ts.
#include "common"

#struct SynqForwardParams

#bindings 0 uniform params: SynqForwardParams; read weights: array<f32>; read input: array<f32>; read idx: array<u32>; read_write output: array<f32>

const T: u32 = 16u;
const S: u32 = 17u; // row stride in workgroup memory (padding against bank conflicts)
override ACT: u32 = 0;
override GATHER: bool = false;

var<workgroup> xs: array<f32, 272>; // [sample][k], T x S
var<workgroup> ws: array<f32, 272>; // [unit][k], T x S

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let B = params.batch;
  let I = params.inDim;
  let O = params.outDim;
  let r = wid.z;
  let tx = lid % T; // unit within the tile (compute), k within the step (loads)
  let ty = lid / T; // sample within the tile (compute), row within the step (loads)
  let j0 = wid.x * T;
  let b0 = wid.y * T;
  // Loads: invocation (tx, ty) brings input k0 + tx of sample b0 + ty and weight k0 + tx of unit j0 + ty.
  let lb = b0 + ty;
  let lj = j0 + ty;
  var xBase = 0u;
  if (lb < B) {
    xBase = (r * B + lb) * I;
    if (GATHER) { xBase = idx[r * B + lb] * I; }
  }
  let wRowLoad = r * params.synapses + params.wOffset + min(lj, O - 1u) * (I + 1u);
  // Compute: invocation (tx, ty) owns output (sample b0 + ty, unit j0 + tx).
  let cb = b0 + ty;
  let cj = j0 + tx;
  var acc = 0.0;
  if (cj < O) { acc = weights[r * params.synapses + params.wOffset + cj * (I + 1u)]; }
  for (var k0 = 0u; k0 < I; k0 += T) {
    let k = k0 + tx;
    var xv = 0.0;
    var wv = 0.0;
    if (k < I) {
      if (lb < B) { xv = input[xBase + k]; }
      if (lj < O) { wv = weights[wRowLoad + 1u + k]; }
    }
    xs[ty * S + tx] = xv;
    ws[ty * S + tx] = wv;
    workgroupBarrier();
    let n = min(T, I - k0);
    for (var kk = 0u; kk < n; kk++) {
      acc += ws[tx * S + kk] * xs[ty * S + kk];
    }
    workgroupBarrier();
  }
  if (cb < B && cj < O) {
    var y = acc;
    if (ACT == 1u) { y = tanh(acc); }
    if (ACT == 2u) { y = max(acc, 0.0); }
    output[(r * B + cb) * O + cj] = y;
  }
}
