// Second pass of the sparse Weight Max gather (chung-unit-reward MODE 2): per (replica r, unit i),
// reward[r * N + i] = sum over c in order of partial[(r * N + i) * chunks + c] (LAYOUT 0, MODE 2's
// pieces), or of partial[(r * chunks + c) * N + i] (LAYOUT 1, MODE 3's blocks).
#include "common"

#struct RewardSumParams

#bindings 0 uniform params: RewardSumParams; read partial: array<f32>; read_write reward: array<f32>

override LAYOUT: u32 = 0u;

#kernel t < params.count
  let C = params.chunks;
  var s = 0.0;
  if (LAYOUT == 0u) {
    for (var c = 0u; c < C; c++) { s += partial[t * C + c]; }
  } else {
    let N = params.units;
    let r = t / N;
    let i = t - r * N;
    for (var c = 0u; c < C; c++) { s += partial[(r * C + c) * N + i]; }
  }
  reward[t] = s;
}
