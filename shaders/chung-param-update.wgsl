// Learning step of one layer, one invocation per (replica r, unit j) looping over the unit's own
// K + 1 parameters theta[(r * (K + 1) + q) * N + j] (k-major, bias at q = K; neighbouring threads
// touch neighbouring words; per-parameter threads cost 4x more on the 2-core CPU adapter). Without eligibility traces (single-step episodes) the raw update is
//   g = (x * c_j) * rho_j   (layer_update; x = x[r, pre(j, q)], or 1 for the bias)
// and the optimiser (adam_step) ascends it:
//   OPT 0, Adam: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
//                theta += lr * (m * c1) / (sqrt(v * c2) + eps), with (c1, c2) = corr[t - 1] while
//                t = clock + 1 < corrSteps (bias correction, host-computed table) and 1 after;
//                m and v are interleaved in mv[2 p], mv[2 p + 1].
//   OPT 1, SGD:  theta += lr * g  (the million-agent preset's big layer: no optimiser state).
// CPU twins: accumulateTrace + layerUpdate + adamStep (src/chung), sgdStep (src/kernels/chung-cpu.ts).
#include "common"

#struct ParamUpdateParams

#bindings 0 uniform params: ParamUpdateParams; read_write theta: array<f32>; read_write mv: array<f32>; read pre: array<u32>; read x: array<f32>; read charac: array<f32>; read reward: array<f32>; read corr: array<f32>; read clock: array<u32>

override SPARSE: bool = false;
override OPT: u32 = 0u;
// PER_PARAM: one invocation per parameter (r, q, j) instead of per unit: for layers of a few units
// with a huge fan-in (the million preset's output: 1 logit x 2^20 inputs), where one thread per
// unit would walk 2^20 parameters alone. Same arithmetic per parameter.
override PER_PARAM: bool = false;

fn update_one(p: u32, xv: f32, cr: f32, rho: f32, c1: f32, c2: f32) {
  let g = (xv * cr) * rho;
  if (OPT == 1u) {
    theta[p] = theta[p] + params.lr * g;
    return;
  }
  let b1 = params.beta1;
  let b2 = params.beta2;
  let m = b1 * mv[2u * p] + (1.0 - b1) * g;
  let v = b2 * mv[2u * p + 1u] + (1.0 - b2) * g * g;
  mv[2u * p] = m;
  mv[2u * p + 1u] = v;
  theta[p] = theta[p] + (params.lr * (m * c1)) / (sqrt(v * c2) + params.eps);
}

#kernel t
  let N = params.units;
  let K = params.fanIn;
  var i = t;
  var q0 = 0u;
  var q1 = K;
  if (PER_PARAM) {
    if (t >= params.replicas * (K + 1u) * N) { return; }
    let r = t / ((K + 1u) * N);
    let rem = t - r * (K + 1u) * N;
    q0 = rem / N;
    q1 = q0;
    i = r * N + (rem - q0 * N);
  } else if (i >= params.replicas * N) {
    return;
  }
  let r = i / N;
  let j = i - r * N;
  let cr = charac[i];
  let rho = reward[i];
  let t1 = clock[0] + 1u;
  var c1 = 1.0;
  var c2 = 1.0;
  if (OPT == 0u && t1 < params.corrSteps) {
    c1 = corr[2u * (t1 - 1u)];
    c2 = corr[2u * (t1 - 1u) + 1u];
  }
  let xb = r * params.inDim;
  for (var q = q0; q <= q1; q++) {
    let p = (r * (K + 1u) + q) * N + j;
    var xv = 1.0;
    if (q < K) {
      var src = q;
      if (SPARSE) { src = pre[q * N + j]; }
      xv = x[xb + src];
    }
    update_one(p, xv, cr, rho, c1, c2);
  }
}
