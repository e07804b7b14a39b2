// Shared by the Ott kernels (src/kernels/ott.ts; CPU twins in src/kernels/ott-cpu.ts over src/ott/): one params struct, the
// per-replica state layout and the wiring buffer layout.
// Per-replica u32 state rs[field * R + r] (SoA): RS_* below. Per-replica f32 accumulators
// rf[field * R + r]: episode return, trailing-window sum, firing fraction sum per layer (L+1),
// reward-term sum per term (5). Wiring (u32): fanIn [N*K] at 0 | fanInCount [N] | layerOf [N] |
// fanOut [N*FK] | fanOutCount [N] | layerStart [L+2], offsets in params.

#struct OttParams

@group(0) @binding(0) var<uniform> params: OttParams;

// RS_ACTIVE, RS_STEPS, RS_EPISODE, RS_FINISHED, RS_LEARN, RS_ADAM_T, RS_LOG, RS_MODE (RS in src/ott/network.ts).
#consts RS

const RF_RETURN: u32 = 0u;
const RF_WSUM: u32 = 1u;
const RF_FIRE: u32 = 2u;

const STREAM_SPIKE: u32 = 1u;
