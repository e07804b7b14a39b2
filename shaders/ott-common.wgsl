// Shared by the Ott kernels (src/kernels/ott.ts; CPU twins in src/kernels/ott-cpu.ts over src/ott/): one params struct, the
// per-replica state layout and the wiring buffer layout.
// Per-replica u32 state rs[field * R + r] (SoA): RS_* below. Per-replica f32 accumulators
// rf[field * R + r]: episode return, trailing-window sum, firing fraction sum per layer (L+1),
// reward-term sum per term (5). Wiring (u32): fanIn [N*K] at 0 | fanInCount [N] | layerOf [N] |
// fanOut [N*FK] | fanOutCount [N] | layerStart [L+2], offsets in params.

struct OttParams {
  replicas: u32,
  neurons: u32,
  signalSize: u32,
  numInputs: u32,
  layers: u32,
  fanInK: u32,
  fanOutK: u32,
  hidden: u32,
  paramsPerNeuron: u32,
  horizon: u32,
  nStart: u32,
  nEnd: u32,
  seed: u32,
  bioEpisodes: u32,
  solveWindow: u32,
  minEpisodes: u32,
  maxEpisodes: u32,
  stopWhenSolved: u32,
  logCap: u32,
  recWidth: u32,
  offFanInCount: u32,
  offLayerOf: u32,
  offFanOut: u32,
  offFanOutCount: u32,
  offLayerStart: u32,
  slope: f32,
  sparsityTarget: f32,
  gamma: f32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  wTask: f32,
  wActivity: f32,
  wSparsity: f32,
  wPrediction: f32,
  wTrace: f32,
  solveThreshold: f32,
}

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
