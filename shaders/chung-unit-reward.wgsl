// Reinforcement of each unit i of a layer ("below"), one invocation per (replica r, unit i).
// MODE 0 (broadcast_reward, REINFORCE and the output unit): reward[r, i] = signal[r].
// MODE 1/2 (weight_max_reward): the gather over i's outgoing synapses into the layer above,
//   reward_i = sum_{i -> k} normGrad(w_ki, p) * u_ki,  u_ki = (x_i * c_k) * rho_k
// with w the already-updated weight and u the raw update of the same step, recomputed from the
// above layer's input x (= this layer's values), characteristic c and reward rho (without
// eligibility traces e = x * c, so nothing per synapse is stored for it). MODE 1: dense above
// (the strided column w[r, i, k] over k); MODE 2: sparse above, the CSR list
// outSyn[outStart[i] .. outStart[i + 1]] of k-major synapse ids q * Na + k, cut into `chunks`
// pieces of `chunk` synapses: invocation (r, i, c) writes the partial sum of piece c to
// reward[(r * N + i) * chunks + c] (a partials buffer), and chung-reward-sum adds the pieces in
// order. (One thread per unit would leave a 2-core CPU adapter idle when a few units own 2^18
// outgoing synapses each.)
// MODE 3 (sparse above, below <= 256 units): the same sum walked from the above layer's side:
//   invocation (r, block b) loops over the above units k of block b (`chunk` units) and their
//   synapses q in order, adding normGrad(w_kq) * u_kq to a private partial for below unit
//   i = pre[q * Na + k] (binding 6 holds the above layer's pre in this mode); it writes its 256
//   partials to reward[(r * chunks + b) * N + i] and chung-reward-sum adds the blocks in order.
//   Streaming the synapses in storage order costs ~5x less than the CSR gather on a CPU adapter.
// No float atomics.
// CPU twins: broadcastReward, weightMaxReward (src/chung/learning.ts).
#include "common"
#include "chung-common"
#include "chung-scatter-common"

#struct UnitRewardParams

#bindings 0 uniform params: UnitRewardParams; read aboveTheta: array<f32>; read aboveCharac: array<f32>; read aboveReward: array<f32>; read x: array<f32>; read outStart: array<u32>; read outSyn: array<u32>; read signal: array<f32>; read_write reward: array<f32>

override MODE: u32 = 0u;

fn scatter_pre(j: u32) -> u32 {
  return outSyn[j];
}

fn scatter_weight(pw: u32, u: f32) -> f32 {
  return aboveTheta[pw];
}

fn scatter_unit_done(pb: u32, c: f32, rho: f32) {}

override GROUPED: bool = false;
var<workgroup> red: array<f32, 256>;

fn grouped_gather(g: u32, lid: u32) {
  let N = params.units;
  let Na = params.aboveUnits;
  let valid = g < params.replicas * N;
  let r = g / N;
  let i = g - r * N;
  var s = 0.0;
  if (valid) {
    let wb = r * (params.aboveFanIn + 1u) * Na;
    let xi = x[r * N + i];
    for (var k = lid; k < Na; k += WG) {
      let ck = r * Na + k;
      let u = (xi * aboveCharac[ck]) * aboveReward[ck];
      s += norm_grad(aboveTheta[wb + i * Na + k], params.p) * u;
    }
  }
  red[lid] = s;
  workgroupBarrier();
  for (var h = WG / 2u; h >= 1u; h = h / 2u) {
    if (lid < h) { red[lid] = red[lid] + red[lid + h]; }
    workgroupBarrier();
  }
  if (valid && lid == 0u) { reward[g] = red[0]; }
}

#kernel t with workgroup_id wid, local_invocation_index lid
  if (GROUPED) {
    grouped_gather(wid.x + wid.y * nwg.x, lid);
    return;
  }
  let N = params.units;
  if (MODE == 3u) {
    if (t < params.replicas * params.chunks) { scatter_block(t / params.chunks, t % params.chunks); }
    return;
  }
  var C = 1u;
  if (MODE == 2u) { C = params.chunks; }
  if (t >= params.replicas * N * C) { return; }
  let ri = t / C;
  let piece = t - ri * C;
  let r = ri / N;
  let i = ri - r * N;
  if (MODE == 0u) {
    reward[t] = signal[r];
    return;
  }
  let Na = params.aboveUnits;
  let F = params.aboveFanIn;
  let wb = r * (F + 1u) * Na;
  let xi = x[r * N + i];
  var s = 0.0;
  if (MODE == 1u) {
    for (var k = 0u; k < Na; k++) {
      let ck = r * Na + k;
      let u = (xi * aboveCharac[ck]) * aboveReward[ck];
      s += norm_grad(aboveTheta[wb + i * Na + k], params.p) * u;
    }
  } else {
    let lo = outStart[i] + piece * params.chunk;
    let end = min(outStart[i + 1u], lo + params.chunk);
    for (var q = lo; q < end; q++) {
      let syn = outSyn[q];
      let ck = r * Na + syn % Na;
      let u = (xi * aboveCharac[ck]) * aboveReward[ck];
      s += norm_grad(aboveTheta[wb + syn], params.p) * u;
    }
  }
  reward[t] = s;
}
