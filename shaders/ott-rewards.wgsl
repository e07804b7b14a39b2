// The five per-step reward terms of every neuron and their weighted sum (the learning reward),
// one invocation per (active replica, neuron), after the env step:
//   task       CartPole's reward, broadcast;
//   activity   1 if the neuron spiked;
//   sparsity   hidden only: e = layer fraction - target; -|e| firing, +|e| silent, target if e == 0;
//   prediction hidden only: spike * sum over postsynaptic targets of (+1 spiked / -1 silent);
//   trace      fitted penalty on the episode's running firing fraction (this step included).
// Weights follow the replica's reward mode (0 task, 1 bio, 2 all, 3 bio_then_all: bio for
// episodes <= bioEpisodes) and are summed in the code's order (task, sparsity, activity,
// prediction, trace) into rewardHist[(r*Tmax + t)*N + n]. terms[k*R*N + r*N + n] keeps each term
// (k = 0..4) for metrics; k = 5 is the episode's spike count of the neuron (trace state).
// CPU twins: taskReward, activityReward, sparsityReward, predictionReward, activityTraceReward,
// termWeights, combineRewards in src/ott/rewards.ts.
#include "common"
#include "ott-common"

#bindings 1 read wiring: array<u32>; read rs: array<u32>; read signals: array<f32>; read fractions: array<f32>; read envReward: array<f32>; read_write terms: array<f32>; read_write rewardHist: array<f32>

const TRACE_A: f32 = 0.9256812;
const TRACE_C: f32 = -1746463.0;
const TRACE_SCALE: f32 = 236.1357;
const TRACE_POW: f32 = 2.160334;

fn trace_value(m: f32) -> f32 {
  let x = abs(m - 0.5);
  var q = 0.0;
  if (x > 0.0) { q = pow(x / TRACE_SCALE, TRACE_POW); }
  return TRACE_A - (TRACE_A - TRACE_C) * (q / (1.0 + q));
}

fn ott_rewards(i: u32, r: u32, n: u32, R: u32, N: u32) {
  if (rs[RS_ACTIVE * R + r] == 0u) { return; }
  let RN = R * N;
  let sb = r * params.signalSize + params.numInputs;
  let spike = signals[sb + n];
  let steps = rs[RS_STEPS * R + r];
  let l = wiring[params.offLayerOf + n];
  let hidden = l < params.layers;

  let task = envReward[r];
  let activity = spike;
  var sparsity = 0.0;
  if (hidden) {
    let e = fractions[r * (params.layers + 1u) + l] - params.sparsityTarget;
    if (e == 0.0) { sparsity = params.sparsityTarget; } else { sparsity = select(abs(e), -abs(e), spike != 0.0); }
  }
  var prediction = 0.0;
  let cnt = wiring[params.offFanOutCount + n];
  var s = 0.0;
  for (var k = 0u; k < cnt; k++) {
    let j = wiring[params.offFanOut + n * params.fanOutK + k];
    s = s + select(-1.0, 1.0, signals[sb + j] != 0.0);
  }
  if (spike != 0.0) { prediction = s; }
  var fired = spike;
  if (steps > 1u) { fired = terms[5u * RN + i] + spike; }
  terms[5u * RN + i] = fired;
  let trace = trace_value(fired / f32(steps));

  let mode = rs[RS_MODE * R + r];
  var useTask = mode == 0u || mode == 2u;
  var useBio = mode == 1u || mode == 2u;
  if (mode == 3u) {
    let bio = rs[RS_EPISODE * R + r] <= params.bioEpisodes;
    useTask = !bio;
    useBio = true;
  }
  let wt = select(0.0, params.wTask, useTask);
  let wa = select(0.0, params.wActivity, useBio);
  let ws = select(0.0, params.wSparsity, useBio);
  let wp = select(0.0, params.wPrediction, useBio);
  let wr = select(0.0, params.wTrace, useBio);
  var total = wt * task;
  total = total + ws * sparsity;
  total = total + wa * activity;
  total = total + wp * prediction;
  total = total + wr * trace;
  rewardHist[(r * params.horizon + steps - 1u) * N + n] = total;
  terms[i] = task;
  terms[RN + i] = activity;
  terms[2u * RN + i] = sparsity;
  terms[3u * RN + i] = prediction;
  terms[4u * RN + i] = trace;
}

#kernel i: r < R = params.replicas, n < N = params.neurons
  ott_rewards(i, r, n, R, N);
}
