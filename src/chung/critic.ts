/**
 * The critic of the paper's code: a softplus MLP (default 64-32) with one linear output, trained by
 * TD(lambda) with accumulating eligibility traces of grad V and Adam, batched over R replicas.
 * Forward, backward (trace) and learn are separate dispatch sequences of dense kernels; the
 * per-layer work is the CPU twins of shaders/chung-critic-*.wgsl (src/kernels/chung-critic-cpu.ts,
 * f32 in the kernels' order), and src/chung/critic-gpu.ts runs the same sequence on WebGPU.
 */
import { criticAdamCpu, criticAdamScalars, criticBackwardLayerCpu, criticForwardLayerCpu } from '../kernels/chung-critic-cpu.ts';
import type { AdamOptions } from './adam.ts';
import { clearTraces } from './learning.ts';
import { createNet, layerInput, type Net } from './network.ts';

export interface Critic {
  readonly net: Net;
  /** V(s) per replica from the last forward pass. */
  readonly value: Float32Array;
}

/** Init draws use agent ids offset by 2^30 so the critic never shares draws with the actor. */
export const CRITIC_INIT_AGENT = 1 << 30;

export function createCritic(replicas: number, obsDim: number, hidden: readonly number[], seed: number): Critic {
  const specs = [...hidden.map((size) => ({ kind: 'softplus', size }) as const), { kind: 'linear', size: 1 } as const];
  const net = createNet(replicas, obsDim, specs, seed, CRITIC_INIT_AGENT);
  return { net, value: new Float32Array(replicas) };
}

/** Computes V(obs) for every replica into critic.value (deterministic units, no RNG). */
export function criticForward(c: Critic, obs: Float32Array): Float32Array {
  const { net } = c;
  net.input.set(obs.subarray(0, net.input.length));
  net.layers.forEach((L, l) => criticForwardLayerCpu(L, layerInput(net, l), net.replicas));
  c.value.set(net.layers[net.layers.length - 1]!.values);
  return c.value;
}

/**
 * Accumulates grad V of the last forward pass into the traces: e = decay * e + grad (decay =
 * lambda * gamma; replicas with mask[r] != 0 start a new trace: e = grad). As the code's
 * Network.backprop(grad_mean=True): the output's error is 1, hidden errors are gathered through the current weights (already updated by this step's learn, when
 * learn ran after forward) times softplus' at the stored potentials.
 */
export function criticBackward(c: Critic, decay: number, mask: ArrayLike<number> | null = null): void {
  const Ls = c.net.layers;
  for (let l = Ls.length - 1; l >= 0; l--) {
    criticBackwardLayerCpu(Ls[l]!, Ls[l + 1] ?? null, layerInput(c.net, l), mask, decay, c.net.replicas);
  }
}

/** TD(lambda) step: u = e * delta[r] per parameter, then Adam (ascent) with per-layer rates. */
export function criticLearn(c: Critic, delta: Float32Array, lr: readonly number[], t: number, adam: AdamOptions): void {
  c.net.layers.forEach((L, l) => {
    const s = criticAdamScalars(lr[l]!, t, adam);
    criticAdamCpu(L.w, L.eW, L.mW, L.vW, delta, L.nOut * L.fanIn, s);
    criticAdamCpu(L.b, L.eB, L.mB, L.vB, delta, L.nOut, s);
  });
}

export function criticClearTraces(c: Critic, mask: ArrayLike<number>): void {
  c.net.layers.forEach((L) => clearTraces(L, mask, c.net.replicas));
}

/**
 * Kernel `td_error`: per replica r, the code's actor/critic reinforcement for the transition that
 * just finished: delta = reward + gamma * V(s') * (1 - isEnd) - V(s), zeroed when the previous step
 * ended an episode (this "transition" is the autoreset) or the transition was cut by the time limit.
 */
export function tdError(
  reward: Float32Array,
  valueNew: Float32Array,
  valueOld: Float32Array,
  isEnd: Uint32Array,
  prevIsEnd: Uint32Array,
  truncatedOnly: Uint32Array,
  gamma: number,
  out: Float32Array,
): void {
  for (let r = 0; r < out.length; r++) {
    const targ = reward[r]! + gamma * valueNew[r]! * (isEnd[r] ? 0 : 1);
    out[r] = prevIsEnd[r] || truncatedOnly[r] ? 0 : targ - valueOld[r]!;
  }
}
