// TD error of Chung's actor-critic, one invocation per replica r, after the critic's forward pass
// (value = V(s_t)) and before any learning (the trainer's td_error):
//   delta = (prevIsEnd or truncOnly) ? 0 : reward + gamma V(s_t) (1 - isEnd) - V(s_{t-1})
// zeroed on the autoreset step (the previous step ended an episode) and on a time-limit cut; 0 at
// t = clock[0] = 0, which learns nothing. Then valueOld = V(s_t) for the next step.
// flags = [prevIsEnd | isEnd | truncOnly] x R (u32), as chung-ac-episode leaves them.
// CPU twin: tdError (src/chung/trainer.ts), f64 stored f32.
#include "common"

#struct AcTdParams

#bindings 0 uniform params: AcTdParams; read reward: array<f32>; read value: array<f32>; read flags: array<u32>; read clock: array<u32>; read_write valueOld: array<f32>; read_write delta: array<f32>

#kernel r < R = params.replicas
  var d = 0.0;
  if (clock[0] > 0u) {
    let isEnd = flags[R + r] != 0u;
    let targ = reward[r] + params.gamma * value[r] * select(1.0, 0.0, isEnd);
    if (flags[r] == 0u && flags[2u * R + r] == 0u) { d = targ - valueOld[r]; }
  }
  delta[r] = d;
  valueOld[r] = value[r];
}
