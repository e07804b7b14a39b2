/**
 * CPU twins of the Ott kernels (shaders/ott-*.wgsl) over a step program's named host arrays: each
 * takes the kernel's params (the `OttParams` struct's values) and the arrays bound to its bindings,
 * and returns a closure that runs one dispatch. Per-replica flags and counters are read from the
 * per-replica state `rs` as the kernels read them; the wiring is unpacked from its u32 buffer.
 */
import { adamStep } from '../ott/adam.ts';
import type { OttRewardMode } from '../ott/config.ts';
import { logisticEpisodeGradients, logisticForward } from '../ott/logistic-policy.ts';
import { mlpEpisodeGradients, mlpForward } from '../ott/mlp-policy.ts';
import { RS, ottWiringView } from '../ott/network.ts';
import { standardisedReturns } from '../ott/returns.ts';
import { activityReward, activityTraceReward, combineRewards, layerFiringFractions, OTT_TERM_COUNT, predictionReward, sparsityReward, taskReward, termWeights } from '../ott/rewards.ts';
import type { HostArray, ReplicaRange } from '../run/kernel-def.ts';
import type { OttParamValues } from './ott.ts';

const f = Math.fround;
/** Reward modes by device code (OTT_MODE_CODE). */
const MODES: readonly OttRewardMode[] = ['task', 'bio', 'all', 'bio_then_all'];

type Arrays = Readonly<Record<string, HostArray>>;
const f32 = (b: Arrays, n: string) => b[n] as Float32Array;
const u32 = (b: Arrays, n: string) => b[n] as Uint32Array;
/** Field `field` of the per-replica state, for every replica. */
const field = (rs: Uint32Array, field: number, R: number) => rs.subarray(field * R, (field + 1) * R);

/** ott-step-begin: a replica is active unless finished or its env autoresets; active ones count the step and copy the observation. */
export function ottStepBeginCpu(p: OttParamValues, b: Arrays, range?: ReplicaRange): () => void {
  const R = p.replicas,
    [r0, r1] = range ?? [0, p.replicas],
    S = p.signalSize,
    D = p.numInputs;
  const counters = u32(b, 'counters'),
    obs = f32(b, 'obs'),
    rs = u32(b, 'rs'),
    signals = f32(b, 'signals');
  return () => {
    for (let r = r0; r < r1; r++) {
      rs[RS.learn * R + r] = 0;
      const a = rs[RS.finished * R + r] === 0 && counters[2 * R + r] === 0;
      rs[RS.active * R + r] = a ? 1 : 0;
      if (!a) continue;
      rs[RS.steps * R + r] = rs[RS.steps * R + r]! + 1;
      for (let k = 0; k < D; k++) signals[r * S + k] = obs[r * D + k]!;
    }
  };
}

/** ott-mlp-forward / ott-logistic-forward for neurons [nStart, nEnd) (one layer). */
export function ottForwardCpu(policy: 'mlp' | 'logistic', p: OttParamValues, b: Arrays, range?: ReplicaRange): () => void {
  const R = p.replicas;
  const w = ottWiringView(u32(b, 'wiring'), p);
  const rs = u32(b, 'rs'),
    clock = u32(b, 'clock'),
    theta = f32(b, 'theta'),
    signals = f32(b, 'signals'),
    probs = f32(b, 'probs');
  const active = field(rs, RS.active, R);
  return policy === 'mlp'
    ? () => mlpForward(w, p.hidden, p.slope, theta, R, signals, p.nStart, p.nEnd, active, p.seed, clock[0]!, probs, range)
    : () => logisticForward(w, theta, R, signals, p.nStart, p.nEnd, active, p.seed, clock[0]!, probs, range);
}

/** ott-record: this step's signal vector of each active replica into its episode history. */
export function ottRecordCpu(p: OttParamValues, b: Arrays, range?: ReplicaRange): () => void {
  const R = p.replicas,
    [r0, r1] = range ?? [0, p.replicas],
    S = p.signalSize,
    T = p.horizon;
  const rs = u32(b, 'rs'),
    signals = f32(b, 'signals'),
    hist = f32(b, 'hist');
  return () => {
    for (let r = r0; r < r1; r++) {
      if (!rs[RS.active * R + r]) continue;
      hist.set(signals.subarray(r * S, (r + 1) * S), (r * T + rs[RS.steps * R + r]! - 1) * S);
    }
  };
}

/** ott-layer-fraction: the firing fraction of every layer of every active replica. */
export function ottLayerFractionCpu(p: OttParamValues, b: Arrays, range?: ReplicaRange): () => void {
  const R = p.replicas;
  const w = ottWiringView(u32(b, 'wiring'), p);
  const active = field(u32(b, 'rs'), RS.active, R),
    signals = f32(b, 'signals'),
    fractions = f32(b, 'fractions');
  return () => layerFiringFractions(w, signals, R, active, fractions, range);
}

/**
 * ott-rewards: the five terms (terms[k*R*N ..], k = 0..4), the episode's spike count of each
 * neuron (k = 5, the trace's state) and the weighted learning reward into rewardHist.
 */
export function ottRewardsCpu(p: OttParamValues, b: Arrays, range?: ReplicaRange): () => void {
  const R = p.replicas,
    [r0, r1] = range ?? [0, p.replicas],
    N = p.neurons,
    RN = R * N;
  const w = ottWiringView(u32(b, 'wiring'), p);
  const rs = u32(b, 'rs'),
    signals = f32(b, 'signals'),
    fractions = f32(b, 'fractions'),
    envReward = f32(b, 'envReward');
  const terms = f32(b, 'terms'),
    rewardHist = f32(b, 'rewardHist');
  const t = Array.from({ length: OTT_TERM_COUNT + 1 }, (_, k) => terms.subarray(k * RN, (k + 1) * RN));
  const fireCount = t[OTT_TERM_COUNT]!;
  const active = field(rs, RS.active, R),
    steps = field(rs, RS.steps, R);
  const rw = { task: p.wTask, activity: p.wActivity, sparsity: p.wSparsity, prediction: p.wPrediction, trace: p.wTrace };
  const weights = new Float32Array(R * OTT_TERM_COUNT);
  return () => {
    taskReward(w, R, active, envReward, t[0]!, [r0, r1]);
    activityReward(w, signals, R, active, t[1]!, [r0, r1]);
    sparsityReward(w, signals, R, active, fractions, p.sparsityTarget, t[2]!, [r0, r1]);
    predictionReward(w, signals, R, active, t[3]!, [r0, r1]);
    for (let r = r0; r < r1; r++) if (active[r] && steps[r] === 1) fireCount.fill(0, r * N, (r + 1) * N);
    activityTraceReward(w, signals, R, active, fireCount, steps, t[4]!, [r0, r1]);
    for (let r = r0; r < r1; r++) {
      weights.set(termWeights(MODES[rs[RS.mode * R + r]!]!, rw, rs[RS.episode * R + r]!, p.bioEpisodes), r * OTT_TERM_COUNT);
    }
    combineRewards(N, R, active, t, weights, steps, p.horizon, rewardHist, [r0, r1]);
  };
}

/**
 * ott-replica-step: adds the step to each active replica's return, firing-fraction and term sums;
 * a replica whose env just ended is marked to learn and its Adam step count advances.
 */
export function ottReplicaStepCpu(p: OttParamValues, b: Arrays, range?: ReplicaRange): () => void {
  const R = p.replicas,
    [r0, r1] = range ?? [0, p.replicas],
    N = p.neurons,
    NL = p.layers + 1,
    RN = R * N;
  const counters = u32(b, 'counters'),
    envReward = f32(b, 'envReward'),
    fractions = f32(b, 'fractions'),
    terms = f32(b, 'terms');
  const rs = u32(b, 'rs'),
    rf = f32(b, 'rf');
  return () => {
    for (let r = r0; r < r1; r++) {
      if (!rs[RS.active * R + r]) continue;
      rf[r] = f(rf[r]! + envReward[r]!);
      for (let l = 0; l < NL; l++) rf[(2 + l) * R + r] = f(rf[(2 + l) * R + r]! + fractions[r * NL + l]!);
      for (let k = 0; k < OTT_TERM_COUNT; k++) {
        let s = 0;
        for (let n = 0; n < N; n++) s = f(s + terms[k * RN + r * N + n]!);
        const i = (2 + NL + k) * R + r;
        rf[i] = f(rf[i]! + f(s / N));
      }
      if (counters[3 * R + r] || counters[4 * R + r]) {
        rs[RS.learn * R + r] = 1;
        rs[RS.adamT * R + r] = rs[RS.adamT * R + r]! + 1;
      }
    }
  };
}

/** ott-returns: standardised discounted returns, in place, for the replicas that learn this step. */
export function ottReturnsCpu(p: OttParamValues, b: Arrays, range?: ReplicaRange): () => void {
  const R = p.replicas;
  const rs = u32(b, 'rs'),
    rewardHist = f32(b, 'rewardHist');
  const steps = field(rs, RS.steps, R),
    learn = field(rs, RS.learn, R);
  return () => standardisedReturns(rewardHist, p.neurons, R, p.horizon, steps, learn, p.gamma, rewardHist, range);
}

/** ott-mlp-grad / ott-logistic-grad: each neuron's episode gradient, for the replicas that learn this step. */
export function ottGradCpu(policy: 'mlp' | 'logistic', p: OttParamValues, b: Arrays, range?: ReplicaRange): () => void {
  const R = p.replicas;
  const w = ottWiringView(u32(b, 'wiring'), p);
  const rs = u32(b, 'rs'),
    theta = f32(b, 'theta'),
    hist = f32(b, 'hist'),
    returns = f32(b, 'returns'),
    grads = f32(b, 'grads');
  const steps = field(rs, RS.steps, R),
    learn = field(rs, RS.learn, R);
  return policy === 'mlp'
    ? () => mlpEpisodeGradients(w, p.hidden, p.slope, theta, R, hist, p.horizon, steps, returns, learn, grads, range)
    : () => logisticEpisodeGradients(w, theta, R, hist, p.horizon, steps, returns, learn, grads, range);
}

/** ott-adam: every neuron's Adam step, for the replicas that learn this step. */
export function ottAdamCpu(p: OttParamValues, b: Arrays, range?: ReplicaRange): () => void {
  const R = p.replicas;
  const rs = u32(b, 'rs'),
    grads = f32(b, 'grads'),
    theta = f32(b, 'theta'),
    m = f32(b, 'm'),
    v = f32(b, 'v');
  const adamT = field(rs, RS.adamT, R),
    learn = field(rs, RS.learn, R);
  const hp = { lr: p.lr, beta1: p.beta1, beta2: p.beta2, eps: p.eps };
  return () => adamStep(theta, grads, m, v, p.neurons * p.paramsPerNeuron, adamT, learn, hp, range);
}

/**
 * ott-episode-end: for each replica that learned this step, the trailing window, the stop rule,
 * the episode's log record (count[R] | record[R][cap][recWidth] as f32 bits) and the next episode.
 */
export function ottEpisodeEndCpu(p: OttParamValues, b: Arrays, range?: ReplicaRange): () => void {
  const R = p.replicas,
    [r0, r1] = range ?? [0, p.replicas],
    NL = p.layers + 1,
    W = p.solveWindow,
    cap = p.logCap,
    width = p.recWidth;
  const rs = u32(b, 'rs'),
    rf = f32(b, 'rf'),
    window = f32(b, 'returnWindow'),
    log = u32(b, 'episodeLog');
  const lf = new Float32Array(log.buffer, log.byteOffset, log.length);
  return () => {
    for (let r = r0; r < r1; r++) {
      if (!rs[RS.learn * R + r]) continue;
      const e = rs[RS.episode * R + r]!;
      const T = rs[RS.steps * R + r]!;
      const ret = rf[r]!;
      const slot = r * W + ((e - 1) % W);
      let wsum = f(rf[R + r]! + ret);
      if (e > W) wsum = f(wsum - window[slot]!);
      window[slot] = ret;
      rf[R + r] = wsum;
      const mean = f(wsum / Math.min(e, W));
      const solved = p.stopWhenSolved !== 0 && e > p.minEpisodes && mean > p.solveThreshold;
      const end = solved ? 1 : e >= p.maxEpisodes ? 2 : 0;
      const cnt = rs[RS.log * R + r]!;
      const rec = R + (r * cap + (cnt % cap)) * width;
      lf[rec] = e;
      lf[rec + 1] = ret;
      lf[rec + 2] = T;
      lf[rec + 3] = mean;
      lf[rec + 4] = end;
      for (let k = 0; k < NL + OTT_TERM_COUNT; k++) {
        const i = (2 + k) * R + r;
        lf[rec + 5 + k] = f(rf[i]! / T);
        rf[i] = 0;
      }
      log[r] = cnt + 1;
      rs[RS.log * R + r] = cnt + 1;
      if (end !== 0) rs[RS.finished * R + r] = 1;
      rs[RS.episode * R + r] = e + 1;
      rs[RS.steps * R + r] = 0;
      rf[r] = 0;
    }
  };
}
