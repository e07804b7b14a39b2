// Adam (torch.optim.Adam, no weight decay) on the parameters of the replicas that learn this
// step, one invocation per (replica, neuron) over the neuron's P parameters (a thread per
// parameter would cost a dispatch of R*N*P mostly idle threads every step); the step count t = rs[ADAM_T] was
// advanced by ott-replica-step. Every neuron's moments are its own slice, so this is one private
// optimiser per neuron. The bias corrections use f32 pow (the twin: f64, then rounded).
// CPU twin: adamStep in src/ott/adam.ts.
#include "common"
#include "ott-common"

#bindings 1 read rs: array<u32>; read grads: array<f32>; read_write theta: array<f32>; read_write m: array<f32>; read_write v: array<f32>

fn ott_adam(a: u32, r: u32, n: u32, R: u32, N: u32) {
  if (rs[RS_LEARN * R + r] == 0u) { return; }
  let t = f32(rs[RS_ADAM_T * R + r]);
  let stepSize = params.lr / (1.0 - pow(params.beta1, t));
  let bc2Sqrt = sqrt(1.0 - pow(params.beta2, t));
  let P = params.paramsPerNeuron;
  for (var i = a * P; i < (a + 1u) * P; i++) {
    let g = grads[i];
    let mi = params.beta1 * m[i] + (1.0 - params.beta1) * g;
    let vi = params.beta2 * v[i] + (1.0 - params.beta2) * (g * g);
    m[i] = mi;
    v[i] = vi;
    let denom = sqrt(vi) / bc2Sqrt + params.eps;
    theta[i] = theta[i] - stepSize * (mi / denom);
  }
}

#kernel a: r < R = params.replicas, n < N = params.neurons
  ott_adam(a, r, n, R, N);
}
