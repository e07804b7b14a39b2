// Weight Max through time on a recurrent layer (the connectome), at each replica's own episode end,
// between reinforce-record and reinforce-update (which then runs in direct mode on what this writes).
// Invocation r: one replica, serially over its episode (L steps).
// The motor outputs (neurons 0..M-1, the env's action slots) learn as reinforce-update teaches them:
//   q_n(t) = A_n(t) (s_n(t) - p_n(t)), A the standardised discounted returns of their learning reward.
// Every other neuron j is rewarded as Weight Max rewards a hidden unit (Chung 2022, p = 2): by the
// change its spike made to its outgoing weights through the updates of the neurons it feeds. In the
// network unrolled in time those neurons act one step later, so Chung's output-down order becomes
// time backwards:
//   rho_j(t) = 2 x_{t+1}[j] sum over the listed synapses (k, slot) reading j of w[k, slot] q_k(t + 1),
//   q_j(t) = rho_j(t) (s_j(t) - p_j(t)),   rho_j(L - 1) = 0,
// with x_{t+1}[j] = s_j(t) the recurrent input and w the episode's weights (before its update).
// The synapses listed for j (outStart / outSyn, each as slot * N + k) are only those onto neurons one
// hop nearer the motor outputs than j (the host's depth order: motors 0, a neuron feeding one 1, ...),
// Chung's output-down order on the wiring; loops and lateral synapses carry no reward, so the
// recursion back in time is as deep as the wiring, not as long as the episode (through every synapse
// it grows like an exploding gradient and overflows within a few episodes).
// q overwrites the learning-reward column of the trajectory, t from L - 1 down, each slot after it
// was read.
// CPU twin: reinforceWeightMaxCpu in src/kernels/reinforce-cpu.ts.
#include "common"

#struct WmParams

#bindings 0 uniform params: WmParams; read counters: array<u32>; read_write traj: array<f32>; read theta: array<f32>; read outStart: array<u32>; read outSyn: array<u32>

const STD_EPS: f32 = 1.1920929e-7;
const MAX_MOTORS: u32 = 64u;

#kernel r < R = params.replicas
  if (counters[3u * R + r] == 0u && counters[4u * R + r] == 0u) { return; }
  let L = min(counters[r], params.horizon);
  let T = params.horizon;
  let W = params.rowWidth;
  let N = params.neurons;
  let M = params.motors;
  let g = params.gamma;
  let rc = params.rewardCol;
  var mean: array<f32, MAX_MOTORS>;
  var inv: array<f32, MAX_MOTORS>;
  var G: array<f32, MAX_MOTORS>;
  for (var m = 0u; m < M; m++) {
    var Gm = 0.0;
    var sum = 0.0;
    var sumSq = 0.0;
    for (var t = i32(L) - 1; t >= 0; t--) {
      Gm = traj[(r * T + u32(t)) * W + rc + m] + g * Gm;
      sum += Gm;
      sumSq += Gm * Gm;
    }
    mean[m] = sum / f32(L);
    let sd = sqrt(max(sumSq / f32(L) - mean[m] * mean[m], 0.0));
    inv[m] = 1.0 / (sd + STD_EPS);
    G[m] = 0.0;
  }
  let thetaBase = r * (params.fanIn + 1u) * N;
  for (var t = i32(L) - 1; t >= 0; t--) {
    let row = (r * T + u32(t)) * W;
    for (var m = 0u; m < M; m++) {
      G[m] = traj[row + rc + m] + g * G[m];
      traj[row + rc + m] = (G[m] - mean[m]) * inv[m] * (traj[row + params.spikeCol + m] - traj[row + params.probCol + m]);
    }
    for (var j = M; j < N; j++) {
      var rho = 0.0;
      if (u32(t) + 1u < L) {
        let next = row + W;
        var s = 0.0;
        for (var e = outStart[j]; e < outStart[j + 1u]; e++) {
          let syn = outSyn[e];
          s += theta[thetaBase + syn] * traj[next + rc + syn % N];
        }
        rho = 2.0 * traj[next + params.inCol + params.recCol + j] * s;
      }
      traj[row + rc + j] = rho * (traj[row + params.spikeCol + j] - traj[row + params.probCol + j]);
    }
  }
}
