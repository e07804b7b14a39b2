// The bindings of the Ott forward kernels (ott-logistic-forward, ott-mlp-forward) and their spike
// draw; each runs one invocation per (replica, neuron of the layer [nStart, nEnd)) and skips a
// replica that is not active: the policies differ only in how a neuron turns its inputs into P(spike).
#include "rng"
#include "common"
#include "ott-common"

#bindings 1 read wiring: array<u32>; read rs: array<u32>; read clock: array<u32>; read theta: array<f32>; read_write signals: array<f32>; read_write probs: array<f32>

// Neuron n of replica r (agent = r*N + n) spikes with probability p1: rng_uniform(seed, spike,
// agent, step) < p1, step the clock's.
fn emit_spike(r: u32, n: u32, agent: u32, p1: f32, step: u32) {
  probs[agent] = p1;
  let u = rng_uniform(params.seed, STREAM_SPIKE, agent, step);
  signals[r * params.signalSize + params.numInputs + n] = select(0.0, 1.0, u < p1);
}
