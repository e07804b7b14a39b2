/**
 * The paper's per-neuron policy: Linear(fan_in, H) -> LeakyReLU(slope) -> Linear(H, 2) -> softmax,
 * each neuron with private parameters (agent.py `Agent`). Action 1 = spike.
 *
 * Parameter layout, one block of P floats per (replica, neuron) at ((r*N + n) * P):
 *   W1[h*K + k] (H*K) | b1[h] (H) | W2[o*H + h] (2*H) | b2[o] (2)
 * K is the wiring's padded fan-in; slots k >= fanInCount[n] hold 0 and never move.
 * Arithmetic is rounded to f32 after each operation, in the order a kernel would use.
 */
import { rngUniform, Stream } from '../rng/counter-rng.ts';
import { episodeGradientWalk, spikeForward, type ForwardRun, type GradientRun } from './policy-walk.ts';
import type { OttWiring, OttWiringView } from './wiring.ts';

const f = Math.fround;

/** Offsets of the blocks inside one neuron's parameter vector. */
export interface MlpLayout {
  K: number;
  H: number;
  w1: number;
  b1: number;
  w2: number;
  b2: number;
  /** Floats per neuron. */
  P: number;
}

export function mlpLayout(K: number, H: number): MlpLayout {
  const w1 = 0;
  const b1 = H * K;
  const w2 = b1 + H;
  const b2 = w2 + 2 * H;
  return { K, H, w1, b1, w2, b2, P: b2 + 2 };
}

/**
 * Kernel `ott_mlp_init` (one invocation per (replica, neuron)): PyTorch's default nn.Linear init,
 * U(-1/sqrt(in), 1/sqrt(in)) for weights and biases, with in = wiring.initFanIn[n] for the first
 * Linear and H for the second. Draw j of neuron (r, n) is rngUniform(seed, Stream.init, r*N+n, j).
 */
export function initMlpParams(w: OttWiring, H: number, R: number, seed: number): Float32Array {
  const L = mlpLayout(w.fanInK, H);
  const N = w.numNeurons;
  const params = new Float32Array(R * N * L.P);
  for (let r = 0; r < R; r++) {
    for (let n = 0; n < N; n++) {
      const agent = r * N + n;
      const base = agent * L.P;
      const bound1 = 1 / Math.sqrt(w.initFanIn[n]!);
      const bound2 = 1 / Math.sqrt(H);
      const cnt = w.fanInCount[n]!;
      for (let j = 0; j < L.P; j++) {
        let bound: number;
        if (j < L.b1) bound = j % L.K < cnt ? bound1 : 0;
        else if (j < L.w2) bound = bound1;
        else bound = bound2;
        const u = rngUniform(seed, Stream.init, agent, j);
        params[base + j] = bound === 0 ? 0 : f(-bound + 2 * bound * u);
      }
    }
  }
  return params;
}

/**
 * Hidden pre-activations and P(spike) of one neuron for one input vector (shared by the forward and
 * gradient kernels; a WGSL port inlines it). Writes pre[h]; returns p1, and p0 via out[0].
 */
function mlpEval(
  w: OttWiringView,
  L: MlpLayout,
  slope: number,
  params: Float32Array,
  base: number,
  n: number,
  signals: Float32Array,
  sigBase: number,
  pre: Float32Array,
  act: Float32Array,
  p0Out: Float32Array,
): number {
  const { K, H } = L;
  const cnt = w.fanInCount[n]!;
  const fin = n * K;
  for (let h = 0; h < H; h++) {
    let s = params[base + L.b1 + h]!;
    const row = base + L.w1 + h * K;
    for (let k = 0; k < cnt; k++) s = f(s + f(params[row + k]! * signals[sigBase + w.fanIn[fin + k]!]!));
    pre[h] = s;
    act[h] = s > 0 ? s : f(slope * s);
  }
  let z0 = params[base + L.b2]!;
  let z1 = params[base + L.b2 + 1]!;
  const r0 = base + L.w2;
  const r1 = r0 + H;
  for (let h = 0; h < H; h++) {
    const a = act[h]!;
    z0 = f(z0 + f(params[r0 + h]! * a));
    z1 = f(z1 + f(params[r1 + h]! * a));
  }
  const mx = z0 > z1 ? z0 : z1;
  const e0 = f(Math.exp(f(z0 - mx)));
  const e1 = f(Math.exp(f(z1 - mx)));
  const sum = f(e0 + e1);
  p0Out[0] = f(e0 / sum);
  return f(e1 / sum);
}

/**
 * Kernel `ott_mlp_forward` (one invocation per (replica, neuron in [nStart, nEnd)); dispatched once
 * per layer because a layer reads the previous layer's spikes). For active replicas: computes
 * P(spike), draws u = rngUniform(seed, Stream.spike, r*N + n, tick) and writes spike = u < p1 into
 * signals[r*S + numInputs + n] and p1 into probs[r*N + n].
 */
export function mlpForward(w: OttWiringView, H: number, slope: number, params: Float32Array, ...run: ForwardRun): void {
  const L = mlpLayout(w.fanInK, H);
  const pre = new Float32Array(H);
  const act = new Float32Array(H);
  const p0 = new Float32Array(1);
  const sl = f(slope);
  spikeForward(w, run, (agent, n, signals, sigBase) => mlpEval(w, L, sl, params, agent * L.P, n, signals, sigBase, pre, act, p0));
}

/**
 * Kernel `ott_mlp_grad` (one invocation per (replica, neuron), for replicas with learn[r] = 1):
 * the gradient of the episode's REINFORCE loss sum_t -G_t log pi(a_t | x_t), summed over the
 * replica's T = lengths[r] steps (the code sums, it does not average), written to grads (overwrites).
 * History layout: signalsHist[(r*Tmax + t)*S + s] (inputs and the neuron's own action a_t),
 * returns[(r*Tmax + t)*N + n] (standardised returns G_t).
 */
export function mlpEpisodeGradients(w: OttWiringView, H: number, slope: number, params: Float32Array, ...run: GradientRun): void {
  const L = mlpLayout(w.fanInK, H);
  const { K } = L;
  const pre = new Float32Array(H);
  const act = new Float32Array(H);
  const p0 = new Float32Array(1);
  const sl = f(slope);
  episodeGradientWalk(w, L.P, run, (grads, signalsHist, base, n, sigBase, G) => {
    const cnt = w.fanInCount[n]!;
    const p1 = mlpEval(w, L, sl, params, base, n, signalsHist, sigBase, pre, act, p0);
    const a = signalsHist[sigBase + w.numInputs + n]!;
    // d(-G log softmax_a)/dz_o = G * (p_o - [o == a])
    const dz0 = f(G * f(p0[0]! - (a === 0 ? 1 : 0)));
    const dz1 = f(G * f(p1 - (a === 1 ? 1 : 0)));
    grads[base + L.b2] = f(grads[base + L.b2]! + dz0);
    grads[base + L.b2 + 1] = f(grads[base + L.b2 + 1]! + dz1);
    const r0 = base + L.w2;
    const r1 = r0 + H;
    for (let h = 0; h < H; h++) {
      const ah = act[h]!;
      grads[r0 + h] = f(grads[r0 + h]! + f(dz0 * ah));
      grads[r1 + h] = f(grads[r1 + h]! + f(dz1 * ah));
      const da = f(f(dz0 * params[r0 + h]!) + f(dz1 * params[r1 + h]!));
      // torch's leaky_relu backward uses the slope where the input is <= 0
      const dpre = pre[h]! > 0 ? da : f(sl * da);
      grads[base + L.b1 + h] = f(grads[base + L.b1 + h]! + dpre);
      const row = base + L.w1 + h * K;
      for (let k = 0; k < cnt; k++) {
        grads[row + k] = f(grads[row + k]! + f(dpre * signalsHist[sigBase + w.fanIn[n * K + k]!]!));
      }
    }
  });
}

/**
 * Double-precision log pi(action | x) of one neuron, from a parameter block and its gathered inputs
 * x[0..cnt). A plain reference for gradient checks, not a kernel.
 */
export function mlpLogProbRef(p: ArrayLike<number>, L: MlpLayout, x: ArrayLike<number>, slope: number, action: number): number {
  let z0 = p[L.b2]!;
  let z1 = p[L.b2 + 1]!;
  for (let h = 0; h < L.H; h++) {
    let s = p[L.b1 + h]!;
    for (let k = 0; k < x.length; k++) s += p[L.w1 + h * L.K + k]! * x[k]!;
    const a = s > 0 ? s : slope * s;
    z0 += p[L.w2 + h]! * a;
    z1 += p[L.w2 + L.H + h]! * a;
  }
  const mx = Math.max(z0, z1);
  const lse = mx + Math.log(Math.exp(z0 - mx) + Math.exp(z1 - mx));
  return (action === 1 ? z1 : z0) - lse;
}
