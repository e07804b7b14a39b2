// End of a replica's episode, one invocation per replica that learned this step (after Adam):
// pushes the episode return into the trailing window, applies the protocol's stop rule (episode >
// minEpisodes and window mean > threshold, or the episode cap), appends the episode's record to
// the log and starts the next episode.
// Log (u32): count[R] | record[R][cap][recWidth] as f32 bits, record = episode, return, steps,
// window mean, end (0 go on, 1 solved, 2 cap), firing fraction per layer (L+1), term means (5).
// CPU twin: ottEpisodeEndCpu in src/kernels/ott-cpu.ts.
#include "common"
#include "ott-common"

#bindings 1 read_write rs: array<u32>; read_write rf: array<f32>; read_write returnWindow: array<f32>; read_write episodeLog: array<u32>

fn ott_episode_end(r: u32, R: u32) {
  if (rs[RS_LEARN * R + r] == 0u) { return; }
  let e = rs[RS_EPISODE * R + r];
  let T = rs[RS_STEPS * R + r];
  let ret = rf[RF_RETURN * R + r];
  let W = params.solveWindow;
  let slot = r * W + (e - 1u) % W;
  var wsum = rf[RF_WSUM * R + r] + ret;
  if (e > W) { wsum = wsum - returnWindow[slot]; }
  returnWindow[slot] = ret;
  rf[RF_WSUM * R + r] = wsum;
  let mean = wsum / f32(min(e, W));
  let solved = params.stopWhenSolved != 0u && e > params.minEpisodes && mean > params.solveThreshold;
  var end = 0u;
  if (solved) { end = 1u; } else if (e >= params.maxEpisodes) { end = 2u; }

  let nl = params.layers + 1u;
  let c = rs[RS_LOG * R + r];
  let rec = R + (r * params.logCap + c % params.logCap) * params.recWidth;
  episodeLog[rec] = bitcast<u32>(f32(e));
  episodeLog[rec + 1u] = bitcast<u32>(ret);
  episodeLog[rec + 2u] = bitcast<u32>(f32(T));
  episodeLog[rec + 3u] = bitcast<u32>(mean);
  episodeLog[rec + 4u] = bitcast<u32>(f32(end));
  for (var k = 0u; k < nl + 5u; k++) {
    let f = (RF_FIRE + k) * R + r;
    episodeLog[rec + 5u + k] = bitcast<u32>(rf[f] / f32(T));
    rf[f] = 0.0;
  }
  episodeLog[r] = c + 1u;
  rs[RS_LOG * R + r] = c + 1u;
  if (end != 0u) { rs[RS_FINISHED * R + r] = 1u; }
  rs[RS_EPISODE * R + r] = e + 1u;
  rs[RS_STEPS * R + r] = 0u;
  rf[RF_RETURN * R + r] = 0.0;
}

#kernel r < R = params.replicas
  ott_episode_end(r, R);
}
