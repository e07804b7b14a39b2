// Chalk sampling learner, per-chain part of one step (asynchronous updates). Invocation r runs, for
// chain r and step t = clock[0], the CPU twin's kernels in their order (src/chalk/sampling-learner.ts):
//   chalkInputKernel   : redraw x (switch if u < switchProb, value by inverse CDF of p(x))
//   chalkPolicyKernel  : piOne[r, i] = pi_i(1 | view of the pre-action state), every neuron i
//   chalkTdKernel      : soft TD error of the previous post-action state -> tdIndex[r], tdDelta[r]
//   chalkAsyncActKernel: neuron j = pick(u) samples its spike; post[r] <- x * 2^N + sigma'
// and, from step recordFrom + 1 on, counts the post-action spike count into hist[x, count].
// The uniform draws are compared as integers on the 2^-24 grid (u < q  <=>  k < ceil(q 2^24)), so
// input switches and picks equal the twin's exactly; spikes compare the f32 uniform with piOne.
// model = [h: nS | advantage: N * nV | marginal: N | gain: 1]; problem = [reward: nS | prior: nX |
// cumulative thresholds (u32 bits): nX]; chain = [input: R | post: R | tdIndex: R].
#include "rng"
#include "common"
#include "chalk-common"

#struct ChalkChainParams

#bindings 0 uniform params: ChalkChainParams; read clock: array<u32>; read problem: array<f32>; read model: array<f32>; read_write chain: array<u32>; read_write tdDelta: array<f32>; read_write piOne: array<f32>; read_write hist: array<atomic<u32>>

// 1: average the TD target over the input transition (SamplingConfig.inputExpectation).
override INPUT_EXPECTATION: bool = true;

fn policy_one(marginal: f32, advantage: f32, lambda: f32) -> f32 {
  return 1.0 / (1.0 + exp(-(log(marginal / (1.0 - marginal)) + advantage / lambda)));
}

// (1/N) sum_j sum_a pi_j(a|v_j) [h(v_j with a) - lambda log(pi_j(a|v_j)/p_j(a))] at (sigma, x).
fn soft_value(sigma: u32, x: u32) -> f32 {
  let n = params.neurons;
  let S = 1u << n;
  let half = 1u << (n - 1u);
  let nV = half * params.inputs;
  let lam = params.lambda;
  var acc = 0.0;
  for (var j = 0u; j < n; j++) {
    let rest = sigma & ~(1u << j);
    let h0 = model[x * S + rest];
    let h1 = model[x * S + (rest | (1u << j))];
    let p1 = model[params.margOffset + j];
    let low = sigma & ((1u << j) - 1u);
    let v = x * half + (low | ((sigma >> (j + 1u)) << j));
    let pi1 = policy_one(p1, model[params.advOffset + j * nV + v], lam);
    if (pi1 > 0.0) { acc += pi1 * (h1 - lam * log(pi1 / p1)); }
    if (pi1 < 1.0) { acc += (1.0 - pi1) * (h0 - lam * log((1.0 - pi1) / (1.0 - p1))); }
  }
  return acc / f32(n);
}

#kernel r < R = params.chains
  let t = clock[0];
  let n = params.neurons;
  let S = 1u << n;
  let half = 1u << (n - 1u);
  let nV = half * params.inputs;
  let seed = params.seed;

  // chalkInputKernel
  let x = next_input(r, t, chain[r]);
  chain[r] = x;

  // chalkPolicyKernel (pre-action state: sigma of post[r], new input x)
  let s = chain[R + r];
  let sigma = s & (S - 1u);
  for (var i = 0u; i < n; i++) {
    let low = sigma & ((1u << i) - 1u);
    let v = x * half + (low | ((sigma >> (i + 1u)) << i));
    piOne[r * n + i] = policy_one(model[params.margOffset + i], model[params.advOffset + i * nV + v], params.lambda);
  }

  // chalkTdKernel
  var next: f32;
  if (INPUT_EXPECTATION) {
    let xOld = s / S;
    let q = params.switchProb;
    next = (1.0 - q) * soft_value(sigma, xOld);
    for (var m = 0u; m < params.inputs; m++) {
      let pm = problem[params.priorOffset + m];
      if (pm > 0.0) { next += q * pm * soft_value(sigma, m); }
    }
  } else {
    next = soft_value(sigma, x);
  }
  chain[2u * R + r] = s;
  tdDelta[r] = problem[s] - model[params.gainOffset] + next - model[s];

  // chalkAsyncActKernel
  let ku = rng_u32(seed, params.streamPick, r, t) >> 8u;
  let j = min(n - 1u, (ku * n) >> 24u);
  let u = rng_uniform(seed, params.streamSpike, r * n + j, t);
  var sig = sigma & ~(1u << j);
  if (u < piOne[r * n + j]) { sig = sig | (1u << j); }
  chain[R + r] = x * S + sig;

  if (t > params.recordFrom) {
    atomicAdd(&hist[x * (n + 1u) + countOneBits(sig)], 1u);
  }
}
