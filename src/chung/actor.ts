/**
 * The actor: Bernoulli-logistic (or ReLU, for the backprop baseline) hidden layers and a softmax
 * output, batched over R replicas, with the five hidden-unit learning rules of the paper. The
 * functions here are host-side dispatch sequences: each calls the kernels of forward.ts /
 * learning.ts / adam.ts in the order the paper's code (weightmax.py) applies them.
 */
import { adamStep, type AdamOptions } from './adam.ts';
import type { ChungRule } from './config.ts';
import { hiddenForward, softmaxForward } from './forward.ts';
import { accumulateTrace, backpropCharac, broadcastReward, clearTraces, layerUpdate, reinforceCharac, weightMaxReward } from './learning.ts';
import { createNet, layerInput, type Net } from './network.ts';

export interface ActorOptions {
  replicas: number;
  obsDim: number;
  numActions: number;
  hidden: readonly number[];
  /** Temperatures per layer (hidden..., output). */
  temp: readonly number[];
  rule: ChungRule;
  /** Sparse fan-in per hidden unit (0 = dense). */
  fanIn?: number;
  /** Thomas rule: expected exploring units per hidden layer. */
  thomasExplorers?: number;
  /** Paper eqs. 13-17: pipelined layers with delayed traces. */
  shiftedTraces?: boolean;
  /** Glorot fan-out of the output layer (LayerSpec.initFanOut): 1 for the multiplexer. */
  outputInitFanOut?: number;
  seed: number;
}

/** Delay lines of the shifted-trace form: the last `delay` (input, charac) pairs of a layer. */
interface DelayLine {
  delay: number;
  x: Float32Array[];
  c: Float32Array[];
}

export interface Actor {
  readonly net: Net;
  readonly rule: ChungRule;
  readonly numActions: number;
  /** Sampled action per replica from the last forward pass. */
  readonly actions: Uint32Array;
  /** Exploration probability per hidden layer (1 except for the Thomas rule). */
  readonly exploreProb: number[];
  /** Per layer delay lines, present with shifted traces (layer at depth d delayed by M - d). */
  readonly delays: DelayLine[] | null;
  /** Records so far (selects the ring slot of the delay lines). */
  recordCount: number;
}

export function createActor(o: ActorOptions): Actor {
  const hiddenKind = o.rule === 'backprop' ? 'relu' : 'bernoulli';
  const specs = [
    ...o.hidden.map((size, l) => ({ kind: hiddenKind, size, temp: o.temp[l], fanIn: o.fanIn ?? 0 }) as const),
    { kind: 'softmax', size: o.numActions, temp: o.temp[o.hidden.length], initFanOut: o.outputInitFanOut } as const,
  ];
  const net = createNet(o.replicas, o.obsDim, specs, o.seed);
  const exploreProb = o.hidden.map((w) => (o.rule === 'thomas' ? Math.min(1, (o.thomasExplorers ?? 1) / w) : 1));
  let delays: DelayLine[] | null = null;
  if (o.shiftedTraces) {
    const M = net.layers.length;
    delays = net.layers.map((L, l) => {
      const delay = M - 1 - l;
      return {
        delay,
        x: Array.from({ length: delay }, () => new Float32Array(o.replicas * L.nIn)),
        c: Array.from({ length: delay }, () => new Float32Array(o.replicas * L.nOut)),
      };
    });
  }
  return { net, rule: o.rule, numActions: o.numActions, actions: new Uint32Array(o.replicas), exploreProb, delays, recordCount: 0 };
}

/** Samples every layer for observations obs [R * obsDim]; returns the action per replica. */
export function actorForward(a: Actor, obs: Float32Array, seed: number, step: number): Uint32Array {
  const { net } = a;
  net.input.set(obs.subarray(0, net.input.length));
  const out = net.layers.length - 1;
  for (let l = 0; l < out; l++) {
    hiddenForward(net.layers[l]!, layerInput(net, l), net.replicas, net.agentsPerReplica, seed, step, a.exploreProb[l]);
  }
  softmaxForward(net.layers[out]!, layerInput(net, out), net.replicas, net.agentsPerReplica, seed, step, a.actions);
  return a.actions;
}

/**
 * Records the eligibility of the last forward pass into the traces (the code's record_trace /
 * Network.backprop): characteristic eligibilities per layer (REINFORCE-style for weightmax /
 * reinforce / thomas; the backprop error for ste / backprop), then e = decay * e + scale * grad.
 * decay = lambda * gamma. With shifted traces a layer at depth d accumulates the gradient of
 * M - d records ago, scaled by (1 - lambda) (pass scale = 1 - lambda).
 */
export function actorRecord(a: Actor, decay: number, scale = 1): void {
  const { net } = a;
  const Ls = net.layers;
  const R = net.replicas;
  const out = Ls.length - 1;
  reinforceCharac(Ls[out]!, R);
  if (a.rule === 'ste' || a.rule === 'backprop') {
    for (let l = out - 1; l >= 0; l--) backpropCharac(Ls[l]!, Ls[l + 1]!, R);
  } else {
    for (let l = 0; l < out; l++) reinforceCharac(Ls[l]!, R);
  }
  for (let l = 0; l <= out; l++) {
    const L = Ls[l]!;
    const line = a.delays?.[l];
    if (!line || line.delay === 0) {
      accumulateTrace(L, layerInput(net, l), L.charac, R, decay, scale);
      continue;
    }
    const slot = a.recordCount % line.delay;
    accumulateTrace(L, line.x[slot]!, line.c[slot]!, R, decay, scale);
    line.x[slot]!.set(layerInput(net, l));
    line.c[slot]!.set(L.charac);
  }
  a.recordCount++;
}

export interface ActorLearnOptions {
  /** Learning rate per layer. */
  lr: readonly number[];
  /** Adam step count, from 1. */
  t: number;
  adam: AdamOptions;
  /** Weight Max norm p. */
  weightMaxP: number;
  /** Weight decay c and its norm. */
  weightDecay: number;
  weightDecayP: number;
}

/**
 * One learning step with the output's reinforcement signal[r] (TD error, or the multiplexer
 * reward). Code form: layers from the output down; each layer's raw update u = e * reward - decay,
 * Adam, then (Weight Max) the layer below's reward is gathered from the updated weights and u.
 * Shifted form (a.delays set): every layer updates from the rewards left by the previous step,
 * then all Weight Max rewards are recomputed for the next step (the pipelined network of eqs. 14-16).
 */
export function actorLearn(a: Actor, signal: Float32Array, o: ActorLearnOptions): void {
  const Ls = a.net.layers;
  const R = a.net.replicas;
  const out = Ls.length - 1;
  const wm = a.rule === 'weightmax';
  const update = (l: number) => {
    const L = Ls[l]!;
    layerUpdate(L, R, o.weightDecay, o.weightDecayP);
    adamStep(L.w, L.uW, L.mW, L.vW, o.lr[l]!, o.t, o.adam);
    adamStep(L.b, L.uB, L.mB, L.vB, o.lr[l]!, o.t, o.adam);
  };
  if (a.delays) {
    broadcastReward(Ls[out]!, signal, R);
    for (let l = out; l >= 0; l--) update(l);
    for (let l = out; l > 0; l--) weightMaxReward(Ls[l]!, Ls[l - 1]!, R, o.weightMaxP);
    return;
  }
  for (let l = out; l >= 0; l--) {
    if (l === out || !wm) broadcastReward(Ls[l]!, signal, R);
    update(l);
    if (l > 0 && wm) weightMaxReward(Ls[l]!, Ls[l - 1]!, R, o.weightMaxP);
  }
}

/** Zeroes traces (and delay lines) of the replicas with mask[r] != 0: a new episode starts. */
export function actorClearTraces(a: Actor, mask: ArrayLike<number>): void {
  const R = a.net.replicas;
  a.net.layers.forEach((L, l) => {
    clearTraces(L, mask, R);
    const line = a.delays?.[l];
    if (!line) return;
    for (let r = 0; r < R; r++) {
      if (!mask[r]) continue;
      for (const x of line.x) x.fill(0, r * L.nIn, (r + 1) * L.nIn);
      for (const c of line.c) c.fill(0, r * L.nOut, (r + 1) * L.nOut);
    }
  });
}
