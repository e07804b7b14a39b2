/**
 * One environment step of R Ott networks on the CPU, calling the twins of the GPU kernels in the
 * GPU runner's order (step-begin, forward per layer, record, CartPole, layer fractions, rewards,
 * replica-step, then for replicas whose episode ended: returns, gradients, Adam, episode-end).
 * State arrays are public so parity tests can compare them with the device's.
 */
import { CartPoleCpu } from '../envs/cartpole.ts';
import { adamStep } from './adam.ts';
import type { OttConfig } from './config.ts';
import { initLogisticParams, logisticEpisodeGradients, logisticForward } from './logistic-policy.ts';
import { initMlpParams, mlpEpisodeGradients, mlpForward } from './mlp-policy.ts';
import { OTT_LOG_CAP, RS, RS_FIELDS, ottNetwork, type OttEpisodeRecord, type OttNetwork } from './network.ts';
import { standardisedReturns } from './returns.ts';
import {
  activityReward,
  activityTraceReward,
  combineRewards,
  layerFiringFractions,
  OTT_TERM_COUNT,
  predictionReward,
  sparsityReward,
  taskReward,
  termWeights,
} from './rewards.ts';

const f = Math.fround;
const MODES = ['task', 'bio', 'all', 'bio_then_all'] as const;

/** Initial policy parameters of every (replica, neuron), as both runners start from. */
export function initOttParams(net: OttNetwork): Float32Array {
  const c = net.c;
  return c.policy === 'mlp' ? initMlpParams(net.w, c.hiddenUnits, net.R, c.seed) : initLogisticParams(net.w, net.R, c.seed);
}

export class OttCpuRunner {
  readonly net: OttNetwork;
  readonly env: CartPoleCpu;
  readonly params: Float32Array;
  readonly grads: Float32Array;
  readonly adamM: Float32Array;
  readonly adamV: Float32Array;
  readonly signals: Float32Array;
  readonly probs: Float32Array;
  readonly hist: Float32Array;
  /** Learning rewards, then (in place) standardised returns, [R][Tmax][N]. */
  readonly rewardHist: Float32Array;
  readonly terms: Float32Array[];
  readonly fractions: Float32Array;
  readonly fireCount: Float32Array;
  /** Per-replica u32 state rs[field * R + r] (RS). */
  readonly rs: Uint32Array;
  /** Per-replica f32 accumulators rf[field * R + r]: return, window sum, fire[NL], terms[5]. */
  readonly rf: Float32Array;
  readonly window: Float32Array;
  /** Episode log, same layout as the device's. */
  readonly log: Uint32Array;
  tick = 0;
  private readonly weights: Float32Array;
  private readonly obs: Float32Array;
  private readonly actions: Uint32Array;
  private readonly active: Uint8Array;
  private readonly learn: Uint8Array;
  private readonly stepCount: Uint32Array;
  private readonly adamT: Uint32Array;

  constructor(readonly config: OttConfig) {
    const net = (this.net = ottNetwork(config));
    const { R, N, S, NL, Tmax } = net;
    this.env = new CartPoleCpu(R);
    this.params = initOttParams(net);
    this.grads = new Float32Array(this.params.length);
    this.adamM = new Float32Array(this.params.length);
    this.adamV = new Float32Array(this.params.length);
    this.signals = new Float32Array(R * S);
    this.probs = new Float32Array(R * N);
    this.hist = new Float32Array(R * Tmax * S);
    this.rewardHist = new Float32Array(R * Tmax * N);
    this.terms = Array.from({ length: OTT_TERM_COUNT }, () => new Float32Array(R * N));
    this.fractions = new Float32Array(R * NL);
    this.fireCount = new Float32Array(R * N);
    this.rs = new Uint32Array(R * RS_FIELDS);
    this.rf = new Float32Array(R * net.rfFields);
    this.window = new Float32Array(R * config.solveWindow);
    this.log = new Uint32Array(R + R * OTT_LOG_CAP * net.recWidth);
    this.weights = new Float32Array(R * OTT_TERM_COUNT);
    this.obs = new Float32Array(R * 4);
    this.actions = new Uint32Array(R);
    this.active = new Uint8Array(R);
    this.learn = new Uint8Array(R);
    this.stepCount = new Uint32Array(R);
    this.adamT = new Uint32Array(R);
    for (let r = 0; r < R; r++) {
      this.rs[RS.episode * R + r] = 1;
      this.rs[RS.mode * R + r] = net.modes[r]!;
    }
    this.env.reset(config.seed);
  }

  private forward(nStart: number, nEnd: number): void {
    const { c, w, R } = this.net;
    if (c.policy === 'mlp') mlpForward(w, c.hiddenUnits, c.leakySlope, this.params, R, this.signals, nStart, nEnd, this.active, c.seed, this.tick, this.probs);
    else logisticForward(w, this.params, R, this.signals, nStart, nEnd, this.active, c.seed, this.tick, this.probs);
  }

  /** One env step of every replica; returns the episodes that ended in it. */
  step(): OttEpisodeRecord[] {
    const { c, w, R, N, S, NL, Tmax } = this.net;
    const { rs, rf, env } = this;
    // ott-step-begin
    env.observations(this.obs);
    for (let r = 0; r < R; r++) {
      rs[RS.learn * R + r] = 0;
      this.learn[r] = 0;
      const a = rs[RS.finished * R + r] === 0 && env.autoresetPending[r] === 0;
      rs[RS.active * R + r] = a ? 1 : 0;
      this.active[r] = a ? 1 : 0;
      if (!a) continue;
      rs[RS.steps * R + r] = rs[RS.steps * R + r]! + 1;
      for (let k = 0; k < 4; k++) this.signals[r * S + k] = this.obs[r * 4 + k]!;
    }
    for (let r = 0; r < R; r++) this.stepCount[r] = rs[RS.steps * R + r]!;
    // ott-*-forward, one dispatch per layer
    for (let l = 0; l < NL; l++) this.forward(w.layerStart[l]!, w.layerStart[l + 1]!);
    // ott-record
    for (let r = 0; r < R; r++) {
      if (!this.active[r]) continue;
      this.hist.set(this.signals.subarray(r * S, (r + 1) * S), (r * Tmax + this.stepCount[r]! - 1) * S);
    }
    // CartPole (inactive replicas: action 0; a pending env ignores it)
    for (let r = 0; r < R; r++) this.actions[r] = this.active[r] ? this.signals[r * S + S - 1]! : 0;
    env.step(this.actions);
    // ott-layer-fraction, ott-rewards
    const t = this.terms;
    layerFiringFractions(w, this.signals, R, this.active, this.fractions);
    taskReward(w, R, this.active, env.reward, t[0]!);
    activityReward(w, this.signals, R, this.active, t[1]!);
    sparsityReward(w, this.signals, R, this.active, this.fractions, c.sparsityTarget, t[2]!);
    predictionReward(w, this.signals, R, this.active, t[3]!);
    for (let r = 0; r < R; r++) if (this.active[r] && this.stepCount[r] === 1) this.fireCount.fill(0, r * N, (r + 1) * N);
    activityTraceReward(w, this.signals, R, this.active, this.fireCount, this.stepCount, t[4]!);
    for (let r = 0; r < R; r++) {
      const mode = MODES[rs[RS.mode * R + r]!]!;
      this.weights.set(termWeights(mode, c.rewardWeights, rs[RS.episode * R + r]!, c.bioEpisodes), r * OTT_TERM_COUNT);
    }
    combineRewards(N, R, this.active, t, this.weights, this.stepCount, Tmax, this.rewardHist);
    // ott-replica-step
    let anyLearn = false;
    for (let r = 0; r < R; r++) {
      if (!this.active[r]) continue;
      rf[r] = f(rf[r]! + env.reward[r]!);
      for (let l = 0; l < NL; l++) rf[(2 + l) * R + r] = f(rf[(2 + l) * R + r]! + this.fractions[r * NL + l]!);
      for (let k = 0; k < OTT_TERM_COUNT; k++) {
        let s = 0;
        for (let n = 0; n < N; n++) s = f(s + t[k]![r * N + n]!);
        const i = (2 + NL + k) * R + r;
        rf[i] = f(rf[i]! + f(s / N));
      }
      if (env.terminated[r] || env.truncated[r]) {
        rs[RS.learn * R + r] = 1;
        this.learn[r] = 1;
        rs[RS.adamT * R + r] = rs[RS.adamT * R + r]! + 1;
        anyLearn = true;
      }
    }
    const records: OttEpisodeRecord[] = [];
    if (anyLearn) {
      // ott-returns (in place), ott-*-grad, ott-adam
      standardisedReturns(this.rewardHist, N, R, Tmax, this.stepCount, this.learn, c.gamma, this.rewardHist);
      if (c.policy === 'mlp') {
        mlpEpisodeGradients(w, c.hiddenUnits, c.leakySlope, this.params, R, this.hist, Tmax, this.stepCount, this.rewardHist, this.learn, this.grads);
      } else {
        logisticEpisodeGradients(w, this.params, R, this.hist, Tmax, this.stepCount, this.rewardHist, this.learn, this.grads);
      }
      for (let r = 0; r < R; r++) this.adamT[r] = rs[RS.adamT * R + r]!;
      const hp = { lr: c.learningRate, beta1: c.adamBeta1, beta2: c.adamBeta2, eps: c.adamEps };
      adamStep(this.params, this.grads, this.adamM, this.adamV, N * this.net.P, this.adamT, this.learn, hp);
      // ott-episode-end
      for (let r = 0; r < R; r++) if (this.learn[r]) records.push(this.episodeEnd(r));
    }
    this.tick++;
    return records;
  }

  private episodeEnd(r: number): OttEpisodeRecord {
    const { c, R, NL, recWidth } = this.net;
    const { rs, rf } = this;
    const W = c.solveWindow;
    const e = rs[RS.episode * R + r]!;
    const T = rs[RS.steps * R + r]!;
    const ret = rf[r]!;
    const slot = r * W + ((e - 1) % W);
    let wsum = f(rf[R + r]! + ret);
    if (e > W) wsum = f(wsum - this.window[slot]!);
    this.window[slot] = ret;
    rf[R + r] = wsum;
    const mean = f(wsum / Math.min(e, W));
    const solved = c.stopWhenSolved && e > c.minEpisodes && mean > c.solveThreshold;
    const end = solved ? 1 : e >= c.maxEpisodes ? 2 : 0;
    const cnt = this.log[r]!;
    const rec = R + (r * OTT_LOG_CAP + (cnt % OTT_LOG_CAP)) * recWidth;
    const lf = new Float32Array(this.log.buffer);
    lf[rec] = e;
    lf[rec + 1] = ret;
    lf[rec + 2] = T;
    lf[rec + 3] = mean;
    lf[rec + 4] = end;
    const acc: number[] = [];
    for (let k = 0; k < NL + OTT_TERM_COUNT; k++) {
      const i = (2 + k) * R + r;
      const v = f(rf[i]! / T);
      lf[rec + 5 + k] = v;
      acc.push(v);
      rf[i] = 0;
    }
    this.log[r] = cnt + 1;
    rs[RS.log * R + r] = cnt + 1;
    if (end !== 0) rs[RS.finished * R + r] = 1;
    rs[RS.episode * R + r] = e + 1;
    rs[RS.steps * R + r] = 0;
    rf[r] = 0;
    return { replica: r, episode: e, return: ret, steps: T, mean, end, firing: acc.slice(0, NL), terms: acc.slice(NL) };
  }

  /** True when every replica has met the stop rule or the cap. */
  get allFinished(): boolean {
    const R = this.net.R;
    for (let r = 0; r < R; r++) if (this.rs[RS.finished * R + r] === 0) return false;
    return true;
  }
}
