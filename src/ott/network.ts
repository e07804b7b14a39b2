/**
 * Sizes and device layouts of one Ott run, shared by the CPU runner and the GPU runner: the
 * wiring packed into one u32 buffer, the episode log's record layout, the kernels' params.
 */
import type { OttParamValues } from '../kernels/ott.ts';
import { CARTPOLE_V1 } from '../envs/cartpole-params.ts';
import { OTT_MODE_CODE, replicaRewardMode, type OttConfig } from './config.ts';
import { logisticParamsPerNeuron } from './logistic-policy.ts';
import { mlpLayout } from './mlp-policy.ts';
import { OTT_TERM_COUNT } from './rewards.ts';
import { buildOttWiring, type OttWiring } from './wiring.ts';

/** Episodes per replica the log ring holds between two readbacks. */
export const OTT_LOG_CAP = 256;
/** Per-replica u32 state fields (shaders/ott-common.wgsl RS_*). */
export const RS = { active: 0, steps: 1, episode: 2, finished: 3, learn: 4, adamT: 5, log: 6, mode: 7 } as const;
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
  /** Episode horizon (CartPole-v1's 500). */
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

export function ottNetwork(c: OttConfig): OttNetwork {
  const w = buildOttWiring(c.layers, c.neuronsPerLayer, 4);
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
    c, w, R: c.replicas, N, S: w.signalSize, NL, P,
    Tmax: CARTPOLE_V1.maxEpisodeSteps,
    recWidth: 5 + NL + OTT_TERM_COUNT,
    rfFields: 2 + NL + OTT_TERM_COUNT,
    wiring,
    offsets: { fanInCount: starts[1]!, layerOf: starts[2]!, fanOut: starts[3]!, fanOutCount: starts[4]!, layerStart: starts[5]! },
    modes,
  };
}

/** Params of every Ott kernel (nStart/nEnd select a forward layer). */
export function ottParamValues(net: OttNetwork, nStart = 0, nEnd = 0): OttParamValues {
  const { c, w } = net;
  return {
    replicas: net.R, neurons: net.N, signalSize: net.S, numInputs: w.numInputs, layers: c.layers, fanInK: w.fanInK,
    fanOutK: w.fanOutK, hidden: c.hiddenUnits, paramsPerNeuron: net.P, horizon: net.Tmax, nStart, nEnd, seed: c.seed,
    bioEpisodes: c.bioEpisodes, solveWindow: c.solveWindow, minEpisodes: c.minEpisodes, maxEpisodes: c.maxEpisodes,
    stopWhenSolved: c.stopWhenSolved ? 1 : 0, logCap: OTT_LOG_CAP, recWidth: net.recWidth,
    offFanInCount: net.offsets.fanInCount, offLayerOf: net.offsets.layerOf, offFanOut: net.offsets.fanOut,
    offFanOutCount: net.offsets.fanOutCount, offLayerStart: net.offsets.layerStart,
    slope: c.leakySlope, sparsityTarget: c.sparsityTarget, gamma: c.gamma, lr: c.learningRate, beta1: c.adamBeta1,
    beta2: c.adamBeta2, eps: c.adamEps, wTask: c.rewardWeights.task, wActivity: c.rewardWeights.activity,
    wSparsity: c.rewardWeights.sparsity, wPrediction: c.rewardWeights.prediction, wTrace: c.rewardWeights.trace,
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
  private readonly seen: number[];
  constructor(readonly net: OttNetwork) {
    this.seen = new Array(net.R).fill(0);
  }
  ingest(log: Uint32Array, onRecord: (rec: OttEpisodeRecord) => void): void {
    const { R, recWidth: W, NL } = this.net;
    const f = new Float32Array(log.buffer, log.byteOffset, log.length);
    for (let r = 0; r < R; r++) {
      const count = log[r]!;
      if (count - this.seen[r]! > OTT_LOG_CAP) throw new Error(`ott episode log overflow: replica ${r} ended ${count - this.seen[r]!} episodes between readbacks (cap ${OTT_LOG_CAP})`);
      for (let e = this.seen[r]!; e < count; e++) {
        const b = R + (r * OTT_LOG_CAP + (e % OTT_LOG_CAP)) * W;
        onRecord({
          replica: r, episode: f[b]!, return: f[b + 1]!, steps: f[b + 2]!, mean: f[b + 3]!, end: f[b + 4]!,
          firing: Array.from(f.subarray(b + 5, b + 5 + NL)),
          terms: Array.from(f.subarray(b + 5 + NL, b + 5 + NL + OTT_TERM_COUNT)),
        });
      }
      this.seen[r] = count;
    }
  }
}
