// Shared by the Ott kernels (src/kernels/ott.ts; CPU twins in src/kernels/ott-cpu.ts over src/ott/): one params struct, the
// per-replica state layout and the wiring buffer layout.
// Per-replica u32 state rs[field * R + r] (SoA): RS_* below. Per-replica f32 accumulators
// rf[field * R + r]: episode return, trailing-window sum, firing fraction sum per layer (L+1),
// reward-term sum per term (5). Wiring (u32): fanIn [N*K] at 0 | fanInCount [N] | layerOf [N] |
// fanOut [N*FK] | fanOutCount [N] | layerStart [L+2], offsets in params.

#struct OttParams

@group(0) @binding(0) var<uniform> params: OttParams;

const RS_ACTIVE: u32 = 0u;
const RS_STEPS: u32 = 1u;
const RS_EPISODE: u32 = 2u;
const RS_FINISHED: u32 = 3u;
const RS_LEARN: u32 = 4u;
const RS_ADAM_T: u32 = 5u;
const RS_LOG: u32 = 6u;
const RS_MODE: u32 = 7u;

const RF_RETURN: u32 = 0u;
const RF_WSUM: u32 = 1u;
const RF_FIRE: u32 = 2u;

const STREAM_SPIKE: u32 = 1u;
