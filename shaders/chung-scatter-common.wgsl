// The Weight Max rewards of a below layer (N <= 256 units) walked from a sparse above layer's side,
// shared by chung-unit-reward (MODE 3) and chung-sgd-scatter (which also takes the SGD step):
// invocation (r, block b) loops over the above units k of block b (`chunk` units) and their
// synapses q in storage order, adding normGrad(w_kq, p) * u_kq, u_kq = (x[r, i] * c_k) * rho_k, to
// a private partial for below unit i = pre(q * Na + k), then writes its N partials to
// reward[(r * chunks + b) * N + i]; chung-reward-sum (LAYOUT 1) adds the blocks in order.
// The includer binds aboveCharac, aboveReward, x and reward, and defines
//   fn scatter_pre(j: u32) -> u32                   the below unit of k-major synapse id j
//   fn scatter_weight(pw: u32, u: f32) -> f32       w_kq (stored at aboveTheta[pw]) for the sum
//   fn scatter_unit_done(pb: u32, c: f32, rho: f32)  after unit k's synapses (pb: k's bias)

const MAX_BELOW: u32 = 256u;

fn scatter_block(r: u32, b: u32) {
  let N = params.units;
  let Na = params.aboveUnits;
  let F = params.aboveFanIn;
  let wb = r * (F + 1u) * Na;
  var acc: array<f32, MAX_BELOW>;
  for (var i = 0u; i < N; i++) { acc[i] = 0.0; }
  let lo = b * params.chunk;
  let hi = min(lo + params.chunk, Na);
  for (var k = lo; k < hi; k++) {
    let ck = r * Na + k;
    let c = aboveCharac[ck];
    let rho = aboveReward[ck];
    for (var q = 0u; q < F; q++) {
      let i = scatter_pre(q * Na + k);
      let u = (x[r * N + i] * c) * rho;
      acc[i] += norm_grad(scatter_weight(wb + q * Na + k, u), params.p) * u;
    }
    scatter_unit_done(wb + F * Na + k, c, rho);
  }
  for (var i = 0u; i < N; i++) { reward[(r * params.chunks + b) * N + i] = acc[i]; }
}
