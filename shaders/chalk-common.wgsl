// Shared by the Chalk learners' chain kernels (chalk-chain, chalk-fa-chain); the includer binds
// params (seed, streamSwitch, streamValue, switchThreshold, inputs, threshOffset) and problem.

// Chain r's input at step t (the CPU twins' input redraw): it switches if the 2^-24-grid draw on
// the switch stream is below switchThreshold (u < switchProb), and then takes the value whose
// cumulative threshold (u32 bits at problem[threshOffset + m]) first exceeds the value stream's
// draw (inverse CDF of p(x)); else it stays x. Integer comparisons, so it equals the twins exactly.
fn next_input(r: u32, t: u32, x: u32) -> u32 {
  if ((rng_u32(params.seed, params.streamSwitch, r, t) >> 8u) >= params.switchThreshold) { return x; }
  let k = rng_u32(params.seed, params.streamValue, r, t) >> 8u;
  var pick = params.inputs - 1u;
  for (var m = 0u; m < params.inputs; m++) {
    if (k < bitcast<u32>(problem[params.threshOffset + m])) { pick = m; break; }
  }
  return pick;
}
