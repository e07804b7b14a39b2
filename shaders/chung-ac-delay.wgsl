// The delay line of one layer of Chung's actor with the paper's shifted traces (eqs. 13-17), one
// invocation per element of a slot: R * inDim inputs, then R * N characteristic eligibilities. After
// chung-ac-trace read slot s = clock % delay, this step's pair goes into it:
//   line[s * W + t] = t < R * inDim ? x[t] : charac[t - R * inDim]      (W = R * (inDim + N))
// and a masked replica (its episode restarted) has every other slot zeroed, as the CPU clears the
// whole line before recording. CPU twin: the delay-line part of actorClearTraces / actorRecord
// (src/chung/actor.ts), via src/kernels/chung-ac-cpu.ts.
#include "common"

#struct AcDelayParams

#bindings 0 uniform params: AcDelayParams; read x: array<f32>; read charac: array<f32>; read mask: array<u32>; read clock: array<u32>; read_write line: array<f32>

#kernel t < W = params.replicas * (params.inDim + params.units)
  let nx = params.replicas * params.inDim;
  var r = 0u;
  var v = 0.0;
  if (t < nx) {
    r = t / params.inDim;
    v = x[t];
  } else {
    r = (t - nx) / params.units;
    v = charac[t - nx];
  }
  let slot = clock[0] % params.delay;
  if (mask[r] != 0u) {
    for (var s = 0u; s < params.delay; s++) { line[s * W + t] = 0.0; }
  }
  line[slot * W + t] = v;
}
