// Synaptic Q-learning: after the reward, (TRAIN) count each synapse's visit of table entry
// (a_t, s_t) with a u32 atomicAdd, then shift its state to (a_{t-1}, a_t, R_{t-1}, R_t).
// One invocation per packed word (4 synapses). counts are cleared by synq-td after use.
// CPU twins: countVisits (td-update.ts) then shiftState (packed-state.ts).
#include "common"

#struct SynqShiftParams

#bindings 0 uniform params: SynqShiftParams; read actionWords: array<u32>; read rewardCodes: array<u32>; read_write stateWords: array<u32>; read_write counts: array<atomic<u32>>

override TRAIN: bool = false;

#kernel idx: r < params.replicas, w < W = params.words
  let reward = rewardCodes[r];
  var sw = stateWords[idx];
  let aw = actionWords[idx];
  for (var k = 0u; k < 4u; k++) {
    if (4u * w + k >= params.synapses) { break; }
    let sh = 8u * k;
    let b = (sw >> sh) & 0xffu;
    let a = (aw >> sh) & 0xffu;
    if (TRAIN) {
      let s = ((b >> 6u) & 3u) * 27u + ((b >> 4u) & 3u) * 9u + ((b >> 2u) & 3u) * 3u + (b & 3u);
      atomicAdd(&counts[r * 243u + a * 81u + s], 1u);
    }
    let nb = (((b >> 4u) & 3u) << 6u) | (a << 4u) | ((b & 3u) << 2u) | reward;
    sw = (sw & ~(0xffu << sh)) | (nb << sh);
  }
  stateWords[idx] = sw;
}
