// A sparse SGD layer's learning step fused with the Weight Max gather of the layer below it
// (chung-param-update OPT 1 followed by chung-unit-reward MODE 3, in one walk over the synapses).
// One invocation per (replica r, block b of `chunk` units k of the sparse layer), walking its
// units and their synapses q in storage order:
//   g = (x[r, i] * c_k) * rho_k,  i = pre[q * Na + k]     (raw update, x = the below layer's values)
//   w = theta[(r (F + 1) + q) Na + k] + lr * g  -> theta   (plain SGD, as chung-param-update OPT 1)
//   acc[i] += normGrad(w, p) * g                            (Weight Max, as chung-unit-reward MODE 3)
// and the bias theta[(r (F + 1) + F) Na + k] += lr * ((1 * c_k) * rho_k). The 256 private partials
// go to reward[(r * chunks + b) * N + i]; chung-reward-sum (LAYOUT 1) adds the blocks in order.
// Same f32 expressions as the two kernels it replaces, so the same CPU twins: sgdStep +
// weightMaxReward. Saves one full pass over the sparse layer's weights and wiring.
#include "common"

struct SgdScatterParams {
  replicas: u32,
  units: u32,
  aboveUnits: u32,
  aboveFanIn: u32,
  chunks: u32,
  chunk: u32,
  p: f32,
  lr: f32,
}

#bindings 0 uniform params: SgdScatterParams; read_write aboveTheta: array<f32>; read aboveCharac: array<f32>; read aboveReward: array<f32>; read x: array<f32>; read pre: array<u32>; read_write reward: array<f32>

override WG: u32 = 64;

fn norm_grad(w: f32, p: f32) -> f32 {
  if (w == 0.0) { return 0.0; }
  if (p == 2.0) { return 2.0 * w; }
  return p * pow(abs(w), p - 1.0) * sign(w);
}

const MAX_BELOW: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = linear_index(gid, nwg, WG);
  let N = params.units;
  let C = params.chunks;
  if (t >= params.replicas * C) { return; }
  let r = t / C;
  let b = t - r * C;
  let Na = params.aboveUnits;
  let F = params.aboveFanIn;
  let wb = r * (F + 1u) * Na;
  let lr = params.lr;
  var acc: array<f32, MAX_BELOW>;
  for (var i = 0u; i < N; i++) { acc[i] = 0.0; }
  let lo = b * params.chunk;
  let hi = min(lo + params.chunk, Na);
  for (var k = lo; k < hi; k++) {
    let ck = r * Na + k;
    let c = aboveCharac[ck];
    let rho = aboveReward[ck];
    for (var q = 0u; q < F; q++) {
      let i = pre[q * Na + k];
      let g = (x[r * N + i] * c) * rho;
      let pw = wb + q * Na + k;
      let w = aboveTheta[pw] + lr * g;
      aboveTheta[pw] = w;
      acc[i] += norm_grad(w, params.p) * g;
    }
    let pb = wb + F * Na + k;
    aboveTheta[pb] = aboveTheta[pb] + lr * ((1.0 * c) * rho);
  }
  for (var i = 0u; i < N; i++) { reward[(r * C + b) * N + i] = acc[i]; }
}
