// First pass of the softmax output's drive, a fixed-order two-pass reduction (no atomics): one
// invocation per (replica r, learned logit k, chunk c) sums w_ki x[r, i] over the chunk's inputs
// i in [c * chunk, min((c + 1) * chunk, fanIn)), in order, into partial[(r * units + k) * chunks + c].
// chung-softmax-output adds the bias and the partials in chunk order. theta is k-major [R, F+1, units].
#include "common"

#struct OutputPartialParams

#bindings 0 uniform params: OutputPartialParams; read theta: array<f32>; read x: array<f32>; read_write partial: array<f32>

#kernel t: rk < params.replicas * params.units, c < params.chunks
  let U = params.units;
  let k = rk % U;
  let r = rk / U;
  let F = params.fanIn;
  let lo = c * params.chunk;
  let hi = min(lo + params.chunk, F);
  let wb = r * (F + 1u) * U + k;
  let xb = r * F;
  var s = 0.0;
  for (var i = lo; i < hi; i++) {
    s += theta[wb + i * U] * x[xb + i];
  }
  partial[t] = s;
}
