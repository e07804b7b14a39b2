// One layer of Bernoulli-logistic neuron-agents, for R independent replicas in one dispatch.
// Invocation (r, n): a = theta[r,K,n] + sum_k theta[r,k,n] * act[r, inOffset + pre(k,n)], p = sigmoid(a),
// spike = u < p with u = rng_uniform(seed, stream, r * agentStride + agentOffset + n, clock).
// Fan-in is dense (pre(k,n) = k) or sparse (pre(k,n) = fanInIndex[k * N + n]).
// theta holds weights and bias k-major: theta[(r*(K+1) + k)*N + n], the bias at k = K, so
// neighbouring threads read neighbouring words and a learning rule updates one buffer.
// CPU twin: src/kernels/spike-sample-cpu.ts.
#include "rng"
#include "common"

#struct SpikeParams

#bindings 0 uniform params: SpikeParams; read theta: array<f32>; read fanInIndex: array<u32>; read clock: array<u32>; read_write act: array<f32>; read_write prob: array<f32>

override SPARSE: bool = false;

#kernel i: r < params.replicas, n < N = params.neurons
  let K = params.fanIn;
  let inBase = r * params.actStride + params.inOffset;
  let wBase = r * (K + 1u) * N + n;
  var a = theta[wBase + K * N];
  for (var k = 0u; k < K; k++) {
    var pre = k;
    if (SPARSE) { pre = fanInIndex[k * N + n]; }
    a += theta[wBase + k * N] * act[inBase + pre];
  }
  let p = sigmoid(a);
  let u = rng_uniform(params.seed, params.stream, r * params.agentStride + params.agentOffset + n, clock[0]);
  act[r * params.actStride + params.outOffset + n] = select(0.0, 1.0, u < p);
  prob[r * params.probStride + params.probOffset + n] = p;
}
