/**
 * Sizes and device layouts of one Ott run, shared by the step program (src/rules/ott.ts), the
 * kernels and their CPU twins: the wiring packed into one u32 buffer, the episode log's record
 * layout, the kernels' params.
 */
import type { OttParamValues } from '../kernels/ott.ts';
import { registerConsts } from '../gpu/shader-source.ts';
import { CARTPOLE_V1 } from '../envs/cartpole-params.ts';
import { OTT_MODE_CODE, replicaRewardMode, type OttConfig } from './config.ts';
import { initLogisticParams, logisticParamsPerNeuron } from './logistic-policy.ts';
import { initMlpParams, mlpLayout } from './mlp-policy.ts';
import { OTT_TERM_COUNT } from './rewards.ts';
import { buildOttWiring, type OttWiring, type OttWiringView } from './wiring.ts';

/** Episodes per replica the log ring holds between two readbacks. */
export const OTT_LOG_CAP = 256;
/** Per-replica u32 state fields, rs[field * R + r] (the Ott kernels' RS_*: `#consts RS` in shaders/ott-common.wgsl). */
export const RS = { active: 0, steps: 1, episode: 2, finished: 3, learn: 4, adamT: 5, log: 6, mode: 7 } as const;
registerConsts('RS', RS);
export const RS_FIELDS = 8;

export interface OttNetwork {
  c: OttConfig;
  w: OttWiring;
  R: number;
  N: number;
  S: number;
  /** Layers with neurons: L hidden + the output. */
  NL: number;
  /** Floats per neuron of the policy. */
  P: number;
  /** Episode horizon: the env's longest episode (CartPole-v1's 500). */
  Tmax: number;
  /** Floats per log record: episode, return, steps, mean, end, fire[NL], terms[5]. */
  recWidth: number;
  /** f32 per-replica accumulators: return, window sum, fire[NL], terms[5]. */
  rfFields: number;
  /** Packed wiring (u32) and its offsets. */
  wiring: Uint32Array;
  offsets: { fanInCount: number; layerOf: number; fanOut: number; fanOutCount: number; layerStart: number };
  /** Device code of each replica's reward mode. */
  modes: Uint32Array;
}

/** The network of config `c` fed by an env with `obsDim` observations and episodes of at most `horizon` steps. */
export function ottNetwork(c: OttConfig, obsDim = 4, horizon: number = CARTPOLE_V1.maxEpisodeSteps): OttNetwork {
  const w = buildOttWiring(c.layers, c.neuronsPerLayer, obsDim, c.wiring);
  const N = w.numNeurons;
  const NL = c.layers + 1;
  const P = c.policy === 'mlp' ? mlpLayout(w.fanInK, c.hiddenUnits).P : logisticParamsPerNeuron(w.fanInK);
  const parts = [w.fanIn, w.fanInCount, w.layerOf, w.fanOut, w.fanOutCount, w.layerStart];
  const wiring = new Uint32Array(parts.reduce((a, p) => a + p.length, 0));
  const starts: number[] = [];
  let o = 0;
  for (const p of parts) {
    starts.push(o);
    wiring.set(p, o);
    o += p.length;
  }
  const modes = Uint32Array.from({ length: c.replicas }, (_, r) => OTT_MODE_CODE[replicaRewardMode(c, r)]);
  return {
    c,
    w,
    R: c.replicas,
    N,
    S: w.signalSize,
    NL,
    P,
    Tmax: horizon,
    recWidth: 5 + NL + OTT_TERM_COUNT,
    rfFields: 2 + NL + OTT_TERM_COUNT,
    wiring,
    offsets: { fanInCount: starts[1]!, layerOf: starts[2]!, fanOut: starts[3]!, fanOutCount: starts[4]!, layerStart: starts[5]! },
    modes,
  };
}

/** Initial policy parameters of every (replica, neuron). */
export function initOttParams(net: OttNetwork): Float32Array {
  const c = net.c;
  return c.policy === 'mlp' ? initMlpParams(net.w, c.hiddenUnits, net.R, c.seed) : initLogisticParams(net.w, net.R, c.seed);
}

/** Initial per-replica state rs: every replica at episode 1, in its reward mode. */
export function initOttReplicaState(net: OttNetwork): Uint32Array {
  const R = net.R;
  const rs = new Uint32Array(R * RS_FIELDS);
  for (let r = 0; r < R; r++) {
    rs[RS.episode * R + r] = 1;
    rs[RS.mode * R + r] = net.modes[r]!;
  }
  return rs;
}

/**
 * The wiring as the kernels read it, unpacked from its u32 buffer (views, no copies) with the
 * offsets and sizes the kernels' params hold.
 */
export function ottWiringView(wiring: Uint32Array, p: OttParamValues): OttWiringView {
  const N = p.neurons,
    L = p.layers;
  const at = (o: number, n: number) => wiring.subarray(o, o + n);
  const layerStart = at(p.offLayerStart, L + 2);
  return {
    numInputs: p.numInputs,
    layers: L,
    width: L > 0 ? layerStart[1]! - layerStart[0]! : 0,
    numNeurons: N,
    signalSize: p.signalSize,
    layerStart,
    layerOf: at(p.offLayerOf, N),
    fanInK: p.fanInK,
    fanIn: at(0, N * p.fanInK),
    fanInCount: at(p.offFanInCount, N),
    fanOutK: p.fanOutK,
    fanOut: at(p.offFanOut, N * p.fanOutK),
    fanOutCount: at(p.offFanOutCount, N),
  };
}

/** Params of every Ott kernel (nStart/nEnd select a forward layer). */
export function ottParamValues(net: OttNetwork, nStart = 0, nEnd = 0): OttParamValues {
  const { c, w } = net;
  return {
    replicas: net.R,
    neurons: net.N,
    signalSize: net.S,
    numInputs: w.numInputs,
    layers: c.layers,
    fanInK: w.fanInK,
    fanOutK: w.fanOutK,
    hidden: c.hiddenUnits,
    paramsPerNeuron: net.P,
    horizon: net.Tmax,
    nStart,
    nEnd,
    seed: c.seed,
    bioEpisodes: c.bioEpisodes,
    solveWindow: c.solveWindow,
    minEpisodes: c.minEpisodes,
    maxEpisodes: c.maxEpisodes,
    stopWhenSolved: c.stopWhenSolved ? 1 : 0,
    logCap: OTT_LOG_CAP,
    recWidth: net.recWidth,
    offFanInCount: net.offsets.fanInCount,
    offLayerOf: net.offsets.layerOf,
    offFanOut: net.offsets.fanOut,
    offFanOutCount: net.offsets.fanOutCount,
    offLayerStart: net.offsets.layerStart,
    slope: c.leakySlope,
    sparsityTarget: c.sparsityTarget,
    gamma: c.gamma,
    lr: c.learningRate,
    beta1: c.adamBeta1,
    beta2: c.adamBeta2,
    eps: c.adamEps,
    wTask: c.rewardWeights.task,
    wActivity: c.rewardWeights.activity,
    wSparsity: c.rewardWeights.sparsity,
    wPrediction: c.rewardWeights.prediction,
    wTrace: c.rewardWeights.trace,
    solveThreshold: c.solveThreshold,
  };
}

/** One finished episode of one replica, as the log holds it. */
export interface OttEpisodeRecord {
  replica: number;
  episode: number;
  return: number;
  steps: number;
  /** Trailing-window mean return after this episode. */
  mean: number;
  /** 0 go on, 1 stop rule met, 2 episode cap reached. */
  end: number;
  /** Mean firing fraction per layer over the episode (hidden 1..L, then the output). */
  firing: number[];
  /** Mean over steps of each reward term's mean over neurons (OTT_TERMS order). */
  terms: number[];
}

/**
 * Reads new records from a log buffer (count[R] | record[R][cap][recWidth] as f32 bits), keeping
 * how many of each replica it has seen; throws if the ring overflowed between two reads.
 */
export class OttLogReader {
  /** Records read so far per replica (a checkpoint stores them). */
  seen: number[];
  constructor(readonly net: OttNetwork) {
    this.seen = new Array(net.R).fill(0);
  }
  ingest(log: Uint32Array, onRecord: (rec: OttEpisodeRecord) => void): void {
    const { R, recWidth: W, NL } = this.net;
    const f = new Float32Array(log.buffer, log.byteOffset, log.length);
    for (let r = 0; r < R; r++) {
      const count = log[r]!;
      if (count - this.seen[r]! > OTT_LOG_CAP)
        throw new Error(`ott episode log overflow: replica ${r} ended ${count - this.seen[r]!} episodes between readbacks (cap ${OTT_LOG_CAP}); lower run.stepsPerChunk`);
      for (let e = this.seen[r]!; e < count; e++) {
        const b = R + (r * OTT_LOG_CAP + (e % OTT_LOG_CAP)) * W;
        onRecord({
          replica: r,
          episode: f[b]!,
          return: f[b + 1]!,
          steps: f[b + 2]!,
          mean: f[b + 3]!,
          end: f[b + 4]!,
          firing: Array.from(f.subarray(b + 5, b + 5 + NL)),
          terms: Array.from(f.subarray(b + 5 + NL, b + 5 + NL + OTT_TERM_COUNT)),
        });
      }
      this.seen[r] = count;
    }
  }
}
