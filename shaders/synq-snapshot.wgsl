// The evaluation buffer of synaptic Q-learning and the GD baseline: at the iterations the host
// evaluates (t = clock[0] a multiple of `every`, t = last, t = extra: the start check), a copy of
// `src` (weights, outputs, tables) goes into metrics[offset ..], which the host reads back with the
// log (synq-log.wgsl) and evaluates (accuracy on the validation split, the start check). ALWAYS:
// every time (the evaluation before iteration 1). One invocation per element.
// CPU twin: synqSnapshotCpu (src/kernels/synq-snapshot.ts).
#include "common"

#struct SynqSnapshotParams

#bindings 0 uniform params: SynqSnapshotParams; read clock: array<u32>; read src: array<f32>; read_write metrics: array<u32>

fn due(t: u32) -> bool {
  return params.always == 1u || (params.every > 0u && t % params.every == 0u) || t == params.last || (params.extra > 0u && t == params.extra);
}

#kernel i < params.length
  if (!due(clock[0])) { return; }
  metrics[params.offset + i] = bitcast<u32>(src[i]);
}
