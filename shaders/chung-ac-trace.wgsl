// Eligibility traces of one layer of Chung's episodic actor, one invocation per (replica r, unit j),
// after the step's learning (the code's record_trace): with keep = mask[r] != 0 ? 0 : decay (mask:
// the replica's previous step ended an episode, so its traces start over) and cj = scale * c_j,
//   eB_j = keep eB_j + cj,   eW_jq = keep eW_jq + x_pre(j,q) cj         (f32, q ascending)
// e = [eW | eB] in the CPU reference layout (eW[(r * N + j) * F + q], eB[r * N + j] after all of eW).
// decay = lambda * gamma (0 without traces); scale = 1, or 1 - lambda for the paper's shifted traces.
// SHIFTED (eqs. 13-17, Weight Max only): the layer accumulates the (input, charac) pair it saw
// `delay` steps ago, read from slot clock % delay of its delay line
// line[slot * (R * (inDim + N)) + (r * inDim + .) | (R * inDim + r * N + j)], zero for a masked replica
// (its delay line was cleared); chung-ac-delay then stores this step's pair in that slot.
// CPU twin: clearTraces + accumulateTrace (src/chung/learning.ts), f64 arithmetic stored f32.
#include "common"

#struct AcTraceParams

#bindings 0 uniform params: AcTraceParams; read x: array<f32>; read mask: array<u32>; read pre: array<u32>; read charac: array<f32>; read clock: array<u32>; read_write e: array<f32>

override SPARSE: bool = false;
override SHIFTED: bool = false;

#kernel i: r < R = params.replicas, j < N = params.units
  let F = params.fanIn;
  let masked = mask[r] != 0u;
  let keep = select(params.decay, 0.0, masked);
  var xb = r * params.inDim;
  var c = charac[i];
  if (SHIFTED) {
    let base = (clock[0] % params.delay) * (R * (params.inDim + N));
    xb = base + xb;
    c = select(x[base + R * params.inDim + i], 0.0, masked);
  }
  let cj = params.scale * c;
  let nW = R * N * F;
  e[nW + i] = keep * e[nW + i] + cj;
  let eb = i * F;
  for (var q = 0u; q < F; q++) {
    var p = q;
    if (SPARSE) { p = pre[j * F + q]; }
    var xv = x[xb + p];
    if (SHIFTED && masked) { xv = 0.0; }
    e[eb + q] = keep * e[eb + q] + xv * cj;
  }
}
