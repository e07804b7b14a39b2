/**
 * CPU trainer for the Ott network on CartPole-v1: R replicas step in lock-step on one batched
 * CartPoleCpu; each replica learns at the end of its own episode (one REINFORCE + Adam update of
 * every neuron), without waiting for the others, exactly as main.py of the original-paper code.
 */
import { CartPoleCpu } from '../envs/cartpole.ts';
import { adamStep } from './adam.ts';
import { resolveOttConfig, type OttConfig } from './config.ts';
import { initLogisticParams, logisticEpisodeGradients, logisticForward, logisticParamsPerNeuron } from './logistic-policy.ts';
import { initMlpParams, mlpEpisodeGradients, mlpForward, mlpLayout } from './mlp-policy.ts';
import { standardisedReturns } from './returns.ts';
import {
  activityReward,
  activityTraceReward,
  combineRewards,
  layerFiringFractions,
  OTT_TERM_COUNT,
  OTT_TERMS,
  predictionReward,
  sparsityReward,
  taskReward,
  termWeights,
} from './rewards.ts';
import { buildOttWiring, type OttWiring } from './wiring.ts';

export interface OttHooks {
  /** Called after each finished episode of each replica with that episode's metrics. */
  onEpisode?(m: Record<string, number>, replica: number): void;
}

export interface OttReplicaSummary {
  replica: number;
  /** The protocol's number: index of the last episode run (stop rule met or cap reached). */
  trials: number;
  /** True when the stop rule (episode > minEpisodes and trailing mean > threshold) was met. */
  solved: boolean;
  /** First episode whose trailing-window mean return exceeded the threshold; null if none. */
  firstAboveThreshold: number | null;
  /** Trailing-window mean return at the last episode. */
  finalMean: number;
  /** Best trailing-window mean seen. */
  bestMean: number;
}

export interface OttTrainSummary {
  config: OttConfig;
  replicas: OttReplicaSummary[];
  trialsMean: number;
  /** Sample standard deviation (n - 1) over replicas; 0 for one replica. */
  trialsStd: number;
  /** Mean / std of firstAboveThreshold over the replicas that crossed; null if none did. */
  firstAboveMean: number | null;
  firstAboveStd: number | null;
  /** Replicas whose trailing mean ever exceeded the threshold. */
  crossedCount: number;
  solvedCount: number;
  /** Agent-environment steps taken by unfinished replicas. */
  envSteps: number;
  wallSeconds: number;
  envStepsPerSecond: number;
}

interface PolicyOps {
  P: number;
  params: Float32Array;
  forward(signals: Float32Array, nStart: number, nEnd: number, active: Uint8Array, tick: number, probs: Float32Array): void;
  gradients(hist: Float32Array, Tmax: number, lengths: Uint32Array, returns: Float32Array, learn: Uint8Array, grads: Float32Array): void;
}

function makePolicy(c: OttConfig, w: OttWiring): PolicyOps {
  const R = c.replicas;
  if (c.policy === 'logistic') {
    const params = initLogisticParams(w, R, c.seed);
    return {
      P: logisticParamsPerNeuron(w.fanInK),
      params,
      forward: (s, a, b, act, tick, probs) => logisticForward(w, params, R, s, a, b, act, c.seed, tick, probs),
      gradients: (h, Tmax, len, ret, learn, g) => logisticEpisodeGradients(w, params, R, h, Tmax, len, ret, learn, g),
    };
  }
  const H = c.hiddenUnits;
  const params = initMlpParams(w, H, R, c.seed);
  return {
    P: mlpLayout(w.fanInK, H).P,
    params,
    forward: (s, a, b, act, tick, probs) => mlpForward(w, H, c.leakySlope, params, R, s, a, b, act, c.seed, tick, probs),
    gradients: (h, Tmax, len, ret, learn, g) => mlpEpisodeGradients(w, H, c.leakySlope, params, R, h, Tmax, len, ret, learn, g),
  };
}

function meanStd(xs: number[]): [number, number] {
  if (xs.length === 0) return [NaN, NaN];
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return [mean, 0];
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return [mean, Math.sqrt(v)];
}

/** Train R replicas of the Ott network on CartPole-v1 under the paper's protocol. */
export async function trainOttCartpole(config: Partial<OttConfig> = {}, hooks: OttHooks = {}): Promise<OttTrainSummary> {
  const c = resolveOttConfig(config);
  const t0 = performance.now();
  const R = c.replicas;
  const w = buildOttWiring(c.layers, c.neuronsPerLayer, 4);
  const N = w.numNeurons;
  const S = w.signalSize;
  const NL = c.layers + 1;
  const env = new CartPoleCpu(R);
  const Tmax = env.params.maxEpisodeSteps;
  const policy = makePolicy(c, w);
  const grads = new Float32Array(policy.params.length);
  const adamM = new Float32Array(policy.params.length);
  const adamV = new Float32Array(policy.params.length);
  const adamT = new Uint32Array(R);
  const hp = { lr: c.learningRate, beta1: c.adamBeta1, beta2: c.adamBeta2, eps: c.adamEps };

  const signals = new Float32Array(R * S);
  const probs = new Float32Array(R * N);
  const signalsHist = new Float32Array(R * Tmax * S);
  const rewardHist = new Float32Array(R * Tmax * N);
  const returns = new Float32Array(R * Tmax * N);
  const terms = Array.from({ length: OTT_TERM_COUNT }, () => new Float32Array(R * N));
  const fractions = new Float32Array(R * NL);
  const fireCount = new Float32Array(R * N);
  const stepCount = new Uint32Array(R);
  const weights = new Float32Array(R * OTT_TERM_COUNT);
  const active = new Uint8Array(R);
  const learn = new Uint8Array(R);
  const finished = new Uint8Array(R);
  const actions = new Uint32Array(R);
  const obs = new Float32Array(R * 4);
  // per-episode metric accumulators
  const termSum = new Float64Array(R * OTT_TERM_COUNT);
  const fireSum = new Float64Array(R * NL);
  const epReturn = new Float64Array(R);
  const episode = new Uint32Array(R).fill(1);
  const history: number[][] = Array.from({ length: R }, () => []);
  const windowSum = new Float64Array(R);
  const summaries: OttReplicaSummary[] = Array.from({ length: R }, (_, r) => ({
    replica: r,
    trials: 0,
    solved: false,
    firstAboveThreshold: null,
    finalMean: 0,
    bestMean: -Infinity,
  }));
  const setWeights = (r: number) => weights.set(termWeights(c.rewardMode, c.rewardWeights, episode[r]!, c.bioEpisodes), r * OTT_TERM_COUNT);
  for (let r = 0; r < R; r++) setWeights(r);

  env.reset(c.seed);
  let tick = 0;
  let envSteps = 0;
  let remaining = R;
  while (remaining > 0) {
    // A replica whose env ended last step sits out this step while the env autoresets.
    env.observations(obs);
    for (let r = 0; r < R; r++) {
      active[r] = !finished[r] && !env.autoresetPending[r] ? 1 : 0;
      if (active[r]) for (let k = 0; k < 4; k++) signals[r * S + k] = obs[r * 4 + k]!;
    }
    for (let l = 0; l < NL; l++) policy.forward(signals, w.layerStart[l]!, w.layerStart[l + 1]!, active, tick, probs);
    for (let r = 0; r < R; r++) actions[r] = active[r] ? signals[r * S + S - 1]! : 0;
    env.step(actions);

    for (let r = 0; r < R; r++) {
      if (!active[r]) continue;
      signalsHist.set(signals.subarray(r * S, (r + 1) * S), (r * Tmax + stepCount[r]!) * S);
      stepCount[r] = stepCount[r]! + 1;
      epReturn[r] = epReturn[r]! + env.reward[r]!;
      envSteps++;
    }
    taskReward(w, R, active, env.reward, terms[0]!);
    activityReward(w, signals, R, active, terms[1]!);
    layerFiringFractions(w, signals, R, active, fractions);
    sparsityReward(w, signals, R, active, fractions, c.sparsityTarget, terms[2]!);
    predictionReward(w, signals, R, active, terms[3]!);
    activityTraceReward(w, signals, R, active, fireCount, stepCount, terms[4]!);
    combineRewards(N, R, active, terms, weights, stepCount, Tmax, rewardHist);

    let anyLearn = false;
    for (let r = 0; r < R; r++) {
      learn[r] = 0;
      if (!active[r]) continue;
      for (let k = 0; k < OTT_TERM_COUNT; k++) {
        const tk = terms[k]!;
        let s = 0;
        for (let n = 0; n < N; n++) s += tk[r * N + n]!;
        termSum[r * OTT_TERM_COUNT + k] = termSum[r * OTT_TERM_COUNT + k]! + s / N;
      }
      for (let l = 0; l < NL; l++) fireSum[r * NL + l] = fireSum[r * NL + l]! + fractions[r * NL + l]!;
      if (env.terminated[r] || env.truncated[r]) {
        learn[r] = 1;
        anyLearn = true;
      }
    }

    if (anyLearn) {
      standardisedReturns(rewardHist, N, R, Tmax, stepCount, learn, c.gamma, returns);
      policy.gradients(signalsHist, Tmax, stepCount, returns, learn, grads);
      for (let r = 0; r < R; r++) if (learn[r]) adamT[r] = adamT[r]! + 1;
      adamStep(policy.params, grads, adamM, adamV, N * policy.P, adamT, learn, hp);

      for (let r = 0; r < R; r++) {
        if (!learn[r]) continue;
        const e = episode[r]!;
        const T = stepCount[r]!;
        const ret = epReturn[r]!;
        const h = history[r]!;
        h.push(ret);
        windowSum[r] = windowSum[r]! + ret - (h.length > c.solveWindow ? h[h.length - 1 - c.solveWindow]! : 0);
        const mean = windowSum[r]! / Math.min(h.length, c.solveWindow);
        const sum = summaries[r]!;
        sum.finalMean = mean;
        sum.bestMean = Math.max(sum.bestMean, mean);
        if (sum.firstAboveThreshold === null && mean > c.solveThreshold) sum.firstAboveThreshold = e;

        if (hooks.onEpisode) {
          const m: Record<string, number> = { episode: e, return: ret, steps: T, mean100: mean };
          for (let l = 0; l < NL; l++) {
            m[l === c.layers ? 'firing_rate_out' : `firing_rate_l${l + 1}`] = fireSum[r * NL + l]! / T;
          }
          OTT_TERMS.forEach((name, k) => (m[`reward_${name}`] = termSum[r * OTT_TERM_COUNT + k]! / T));
          m.bio_only = weights[r * OTT_TERM_COUNT] === 0 && c.rewardMode !== 'task' ? 1 : 0;
          hooks.onEpisode(m, r);
        }

        const solved = c.stopWhenSolved && e > c.minEpisodes && mean > c.solveThreshold;
        if (solved || e >= c.maxEpisodes) {
          finished[r] = 1;
          remaining--;
          sum.trials = e;
          sum.solved = solved;
        }
        episode[r] = e + 1;
        stepCount[r] = 0;
        epReturn[r] = 0;
        fireCount.fill(0, r * N, (r + 1) * N);
        termSum.fill(0, r * OTT_TERM_COUNT, (r + 1) * OTT_TERM_COUNT);
        fireSum.fill(0, r * NL, (r + 1) * NL);
        setWeights(r);
      }
    }
    tick++;
    if ((tick & 4095) === 0) await new Promise<void>((res) => setImmediate(res));
  }

  const wallSeconds = (performance.now() - t0) / 1000;
  const [trialsMean, trialsStd] = meanStd(summaries.map((s) => s.trials));
  const crossed = summaries.filter((s) => s.firstAboveThreshold !== null).map((s) => s.firstAboveThreshold!);
  const [fm, fs] = meanStd(crossed);
  return {
    config: c,
    replicas: summaries,
    trialsMean,
    trialsStd,
    firstAboveMean: crossed.length ? fm : null,
    firstAboveStd: crossed.length ? fs : null,
    crossedCount: crossed.length,
    solvedCount: summaries.filter((s) => s.solved).length,
    envSteps,
    wallSeconds,
    envStepsPerSecond: envSteps / wallSeconds,
  };
}
