// Chalk logistic (function-approximation) learner, per-chain part of one step. Invocation r runs,
// for chain r and step t = clock[0], the CPU twin logisticChainKernel (src/chalk/logistic-learner.ts):
//   x' = input redraw (switch if u < switchProb, value by inverse CDF of p(x), integer comparisons on
//        the RNG's 2^-24 grid as in chalk-chain.wgsl); o_i = c - sigma_i;
//   pi_i = logistic(logit p_i + A_i(x', o_i) / lambda), A_i = tent interpolation of neuron i's weights;
//   async (SYNC = false): neuron j = pick(u) samples; TD target = (1/N) sum_i soft value of i's choice,
//        actor error err_i = h(x', o_i + 1) - h(x', o_i) - A_i;
//   sync (SYNC = true): every neuron samples; c' = sum; target = h(x', c') - lambda sum_i KL_i,
//        err_i = h(x', c' - sigma'_i + 1) - h(x', c' - sigma'_i) - A_i(x', o_i);
//   tdDelta = r(x, c) - g + target - h(x, c) for the previous post-action state (x, c);
// and, from step recordFrom + 1 on, the count histogram (atomic u32) and per-chain reward / cost sums.
// All reductions over i run in ascending order in one invocation (fixed order, no float atomics).
// problem = [reward by count: nX (N+1) | prior: nX | cumulative thresholds (u32 bits): nX]
// model   = [u: K | w: N K | marginal: N | gain: 1],  K = nX (B+1)
// chain   = u32 [input: R | post count: R | td index x (N+1) + c: R | pre-action count: R]
// spk     = u32 [R N]: bit 0 current spike, bit 1 spike before the last act
// scratch = [piOne: R N | err: R N | tdDelta: R | rewardSum: R | costSum: R]
#include "rng"
#include "common"
#include "chalk-common"

#struct ChalkFaChainParams

#bindings 0 uniform params: ChalkFaChainParams; read clock: array<u32>; read problem: array<f32>; read model: array<f32>; read_write chain: array<u32>; read_write spk: array<u32>; read_write scratch: array<f32>; read_write hist: array<atomic<u32>>

// true: synchronous updates (every neuron acts each step); false: one neuron per step.
override SYNC: bool = true;

// Tent interpolation of count c over B + 1 knots on [0, N] at base (x (B+1) + offset): twin tentKnot
// (integer lower knot, frac = f32(remainder) * f32(1/N); c = N is the upper end of the last segment).
fn tent_value(base: u32, c: u32) -> f32 {
  let n = params.neurons;
  let B = params.bins;
  var k0 = (c * B) / n;
  var frac = f32(c * B - k0 * n) * params.invNeurons;
  if (k0 >= B) { k0 = B - 1u; frac = 1.0; }
  return (1.0 - frac) * model[base + k0] + frac * model[base + k0 + 1u];
}

fn policy_one(marginal: f32, a: f32) -> f32 {
  let z = log(marginal / (1.0 - marginal)) + a / params.lambda;
  return 1.0 / (1.0 + exp(-z));
}

fn kl_bernoulli(pi: f32, p: f32) -> f32 {
  var k = 0.0;
  if (pi > 0.0) { k = k + pi * log(pi / p); }
  if (pi < 1.0) { k = k + (1.0 - pi) * log((1.0 - pi) / (1.0 - p)); }
  return k;
}

// floor(k n / 2^24) for k < 2^24, n <= 2^20 without 64-bit products (the twin's floor(u N)).
fn pick_index(k: u32, n: u32) -> u32 {
  let a = (k >> 12u) * n;
  let b = (k & 4095u) * n;
  return min(n - 1u, (a + (b >> 12u)) >> 12u);
}

#kernel r < R = params.chains
  let t = clock[0];
  let n = params.neurons;
  let K = params.inputs * (params.bins + 1u);
  let seed = params.seed;
  let lam = params.lambda;
  let errOff = R * n;
  let tdOff = 2u * R * n;
  let rewOff = tdOff + R;
  let costOff = rewOff + R;

  let xOld = chain[r];
  let cOld = chain[R + r];
  let x = next_input(r, t, xOld);
  chain[r] = x;
  let hBase = x * (params.bins + 1u);

  var kl = 0.0;
  var soft = 0.0;
  for (var i = 0u; i < n; i++) {
    let o = cOld - (spk[r * n + i] & 1u);
    let a = tent_value(params.wOffset + i * K + hBase, o);
    let p = model[params.margOffset + i];
    let pi = policy_one(p, a);
    scratch[r * n + i] = pi;
    let k = kl_bernoulli(pi, p);
    kl = kl + k;
    if (!SYNC) {
      let h0 = tent_value(hBase, o);
      let h1 = tent_value(hBase, o + 1u);
      soft = soft + ((pi * h1 + (1.0 - pi) * h0) - lam * k);
      scratch[errOff + r * n + i] = (h1 - h0) - a;
    }
  }

  var cNew = 0u;
  var tdTarget = 0.0;
  if (!SYNC) {
    let j = pick_index(rng_u32(seed, params.streamPick, r, t) >> 8u, n);
    let prev = spk[r * n + j] & 1u;
    for (var i = 0u; i < n; i++) {
      let s = spk[r * n + i] & 1u;
      spk[r * n + i] = (s << 1u) | s;
    }
    var a = 0u;
    if (rng_uniform(seed, params.streamSpike, r * n + j, t) < scratch[r * n + j]) { a = 1u; }
    spk[r * n + j] = (prev << 1u) | a;
    cNew = cOld - prev + a;
    tdTarget = soft / f32(n);
  } else {
    for (var i = 0u; i < n; i++) {
      var a = 0u;
      if (rng_uniform(seed, params.streamSpike, r * n + i, t) < scratch[r * n + i]) { a = 1u; }
      spk[r * n + i] = ((spk[r * n + i] & 1u) << 1u) | a;
      cNew += a;
    }
    for (var i = 0u; i < n; i++) {
      let s = spk[r * n + i];
      let o = cNew - (s & 1u);
      let y = tent_value(hBase, o + 1u) - tent_value(hBase, o);
      scratch[errOff + r * n + i] = y - tent_value(params.wOffset + i * K + hBase, cOld - ((s >> 1u) & 1u));
    }
    tdTarget = tent_value(hBase, cNew) - lam * kl;
  }
  let idxOld = xOld * (n + 1u) + cOld;
  chain[2u * R + r] = idxOld;
  chain[3u * R + r] = cOld;
  scratch[tdOff + r] = ((problem[idxOld] - model[params.gainOffset]) + tdTarget) - tent_value(xOld * (params.bins + 1u), cOld);
  chain[R + r] = cNew;
  if (t > params.recordFrom) {
    let idx = x * (n + 1u) + cNew;
    atomicAdd(&hist[idx], 1u);
    scratch[rewOff + r] = scratch[rewOff + r] + problem[idx];
    var c = kl;
    if (!SYNC) { c = kl / f32(n); }
    scratch[costOff + r] = scratch[costOff + r] + c;
  }
}
