// A whole Ott training step on CartPole in one dispatch, one invocation per replica (the fused
// form of src/rules/ott.ts's step program, for small networks; src/kernels/ott-fused.ts): step
// begin, every layer's MLP forward with its spikes from the shared counter RNG, the record, the
// CartPole step, layer fractions, rewards, per-replica bookkeeping, and at the replica's episode
// end its returns, gradients, Adam and episode log. It calls the multi-dispatch kernels' own bodies
// (`#include ... functions`), one replica at a time in the op list's order, so it computes what
// the op list computes. The program's small buffers are packed into two arenas (`#view`: af for
// f32, au for u32, offsets in params) because the kernel reads more named buffers than an adapter
// lets one kernel bind. params.mode: 0 the whole step per replica; 1 reset every env (the
// program's reset); the split form's three dispatches: 2 the step up to replica-step per replica,
// 3 returns + gradient + Adam per (replica, neuron) of the replicas that learn, 4 the episode end.
// CPU twin: ottFusedCpu in src/kernels/ott-fused.ts (the op list's twins over the same views).
#include "rng"
#include "common"

#struct OttFusedParams

#bindings 0 uniform params: OttFusedParams; read_write af: array<f32>; read_write au: array<u32>; read clock: array<u32>; read_write theta: array<f32>; read_write grads: array<f32>; read_write m: array<f32>; read_write v: array<f32>

#view af state@params.vState, reward@params.vReward, envReward@params.vReward, obs@params.vObs, obsOut@params.vObs, signals@params.vSignals, actIn@params.vSignals, probs@params.vProbs, hist@params.vHist, rewardHist@params.vRewardHist, returns@params.vRewardHist, fractions@params.vFractions, terms@params.vTerms, rf@params.vRf, returnWindow@params.vReturnWindow
#view au rs@params.vRs, counters@params.vCounters, episodeLog@params.vEpisodeLog, wiring@params.vWiring

fn mlp_input(src: u32, j: u32) -> f32 {
  if (src == MLP_HISTORY) { return hist[j]; }
  return signals[j];
}

#include "ott-step-begin" functions
#include "ott-mlp-forward" functions
#include "ott-record" functions
#include "cartpole-step" functions
#include "ott-layer-fraction" functions
#include "ott-rewards" functions
#include "ott-replica-step" functions
#include "ott-returns" functions
#include "ott-mlp-grad" functions
#include "ott-adam" functions
#include "ott-episode-end" functions

#kernel i
  let R = params.replicas;
  let N = params.neurons;
  if (params.mode == 3u) {
    // the update alone, one invocation per (replica, neuron) (the split form)
    if (i >= R * N) { return; }
    let r = i / N;
    if (rs[RS_LEARN * R + r] == 0u) { return; }
    let n = i - r * N;
    ott_returns(i, r, n, R, N);
    ott_mlp_grad(i, r, n, R, N);
    ott_adam(i, r, n, R, N);
    return;
  }
  if (i >= R) { return; }
  let r = i;
  if (params.mode == 1u) {
    env_step(r, R);
    return;
  }
  if (params.mode == 4u) {
    ott_episode_end(r, R);
    return;
  }
  let S = params.signalSize;
  ott_step_begin(r, R);
  let step = clock[0];
  for (var l = 0u; l <= params.layers; l++) {
    let end = wiring[params.offLayerStart + l + 1u];
    for (var n = wiring[params.offLayerStart + l]; n < end; n++) { ott_mlp_forward(r, n, R, step); }
  }
  for (var s = 0u; s < S; s++) { ott_record(r * S + s, r, s, R, S); }
  env_step(r, R);
  ott_layer_fraction(r, R);
  for (var n = 0u; n < N; n++) { ott_rewards(r * N + n, r, n, R, N); }
  ott_replica_step(r, R);
  if (params.mode == 2u || rs[RS_LEARN * R + r] == 0u) { return; }
  for (var n = 0u; n < N; n++) { ott_returns(r * N + n, r, n, R, N); }
  for (var n = 0u; n < N; n++) { ott_mlp_grad(r * N + n, r, n, R, N); }
  for (var n = 0u; n < N; n++) { ott_adam(r * N + n, r, n, R, N); }
  ott_episode_end(r, R);
}
