/**
 * Learning kernels shared by the actor and the critic: characteristic eligibilities, eligibility
 * traces, raw updates, the Weight Max reward gather and the backprop error gather. One function per
 * future WGSL kernel; each loops over (replica, unit) or (replica, unit, synapse) and touches
 * other units only through the explicit gathers over a layer's outgoing view.
 *
 * Notation (per replica): unit j of a layer has synapses q = 0..fanIn-1 reading presynaptic unit
 * pre(j, q); the log-likelihood gradient is d log pi / d w_jq = x_pre(j,q) * c_j and
 * d log pi / d b_j = c_j, with c_j the layer's `charac`.
 */
import { sigmoid } from './forward.ts';
import type { Layer } from './network.ts';

/**
 * Kernel `reinforce_charac`: per (replica r, learned unit j).
 * bernoulli: c = explore ? (value - mean) / temp : 0 (the code's record_trace, v_ch = dev / temp);
 * softmax:   c_k = (onehot_k - p_k) / temp for the K - 1 learned logits.
 */
export function reinforceCharac(L: Layer, replicas: number): void {
  const stride = L.nVals;
  for (let r = 0; r < replicas; r++) {
    for (let j = 0; j < L.nOut; j++) {
      const i = r * L.nOut + j;
      const v = r * stride + j;
      L.charac[i] = L.explore[i] ? (L.values[v]! - L.mean[v]!) / L.temp : 0;
    }
  }
}

/** d act / d pot as the code's ACT_D_F: sigmoid' for Bernoulli (straight-through), relu' (1 at 0), sigmoid for softplus. */
export function activationDerivative(kind: Layer['kind'], pot: number): number {
  switch (kind) {
    case 'bernoulli': {
      const s = sigmoid(pot);
      return s * (1 - s);
    }
    case 'relu':
      return pot < 0 ? 0 : 1;
    case 'softplus':
      return sigmoid(pot);
    default:
      return 1;
  }
}

/**
 * Kernel `backprop_charac`: per (replica r, unit j of `L`), the error gathered over j's outgoing
 * synapses into `above` (the outgoing view: dense, synapse k * fanIn + j of every unit k; sparse,
 * the CSR list outSyn[outStart[j] .. outStart[j + 1]]):
 *   c_j = (sum_k above.c_k * above.w_kj) * act'(pot_j)
 * with the weights as they are at the call and pot from the last forward pass. The trainer calls it
 * after the step's update, as the code's Network.backprop does. Used by STE, ReLU backprop and the
 * critic.
 */
export function backpropCharac(L: Layer, above: Layer, replicas: number): void {
  const F = above.fanIn;
  for (let r = 0; r < replicas; r++) {
    const synBase = r * above.nOut * F;
    const cBase = r * above.nOut;
    for (let j = 0; j < L.nOut; j++) {
      let g = 0;
      if (above.outStart === null) {
        for (let k = 0; k < above.nOut; k++) g += above.charac[cBase + k]! * above.w[synBase + k * F + j]!;
      } else {
        const end = above.outStart[j + 1]!;
        for (let q = above.outStart[j]!; q < end; q++) {
          const syn = above.outSyn![q]!;
          g += above.charac[cBase + ((syn / F) | 0)]! * above.w[synBase + syn]!;
        }
      }
      const i = r * L.nOut + j;
      L.charac[i] = g * activationDerivative(L.kind, L.pot[i]!);
    }
  }
}

/**
 * Kernel `trace_accumulate`: per (replica r, unit j, synapse q):
 *   eW = decay * eW + scale * x_pre(j,q) * c_j,   eB = decay * eB + scale * c_j.
 * decay = lambda * gamma (0 without traces); scale = 1, or (1 - lambda) for the paper's shifted
 * traces. `x` is [R * nIn] and `c` is [R * nOut] (the layer's own input / charac, or delayed copies).
 */
export function accumulateTrace(L: Layer, x: Float32Array, c: Float32Array, replicas: number, decay: number, scale = 1): void {
  for (let r = 0; r < replicas; r++) {
    for (let j = 0; j < L.nOut; j++) {
      const i = r * L.nOut + j;
      const cj = scale * c[i]!;
      L.eB[i] = decay * L.eB[i]! + cj;
      const base = i * L.fanIn;
      const xb = r * L.nIn;
      const pb = j * L.fanIn;
      const e = L.eW,
        pre = L.preIdx;
      if (pre === null) {
        for (let q = 0; q < L.fanIn; q++) e[base + q] = decay * e[base + q]! + x[xb + q]! * cj;
      } else {
        for (let q = 0; q < L.fanIn; q++) e[base + q] = decay * e[base + q]! + x[xb + pre[pb + q]!]! * cj;
      }
    }
  }
}

/** Derivative of c * |w|^p: p * |w|^(p-1) * sign(w) * c (sign(0) = 0, as numpy). */
export function normGrad(w: number, p: number): number {
  if (w === 0) return 0;
  if (p === 2) return 2 * w;
  return p * Math.abs(w) ** (p - 1) * Math.sign(w);
}

/**
 * Kernel `layer_update`: per (replica r, unit j, synapse q), the raw (pre-Adam) ascent update
 *   uW = eW * reward_j - decayC * normGrad(w, decayP),   uB = eB * reward_j
 * (the code's learn_trace: weight decay on weights only, and it is part of the stored update that
 * Weight Max reads). `w` is still the pre-update weight here.
 */
export function layerUpdate(L: Layer, replicas: number, decayC = 0, decayP = 2): void {
  for (let r = 0; r < replicas; r++) {
    for (let j = 0; j < L.nOut; j++) {
      const i = r * L.nOut + j;
      const rho = L.reward[i]!;
      L.uB[i] = L.eB[i]! * rho;
      const base = i * L.fanIn;
      for (let q = 0; q < L.fanIn; q++) {
        const s = base + q;
        L.uW[s] = decayC > 0 ? L.eW[s]! * rho - decayC * normGrad(L.w[s]!, decayP) : L.eW[s]! * rho;
      }
    }
  }
}

/**
 * Kernel `weight_max_reward`: per (replica r, unit i of `below`), the Weight Max reinforcement
 *   reward_i = sum over outgoing synapses (i -> k in `above`) of p |w_ki|^(p-1) sign(w_ki) u_ki
 * with w the already-updated weight and u the raw update of the same step (for p = 2 this is
 * 2 v . delta_v, the first-order change of |v|^2). A gather over the outgoing view, no atomics.
 */
export function weightMaxReward(above: Layer, below: Layer, replicas: number, p = 2): void {
  const F = above.fanIn;
  const w = above.w,
    u = above.uW;
  for (let r = 0; r < replicas; r++) {
    const synBase = r * above.nOut * F;
    for (let i = 0; i < below.nOut; i++) {
      let s = 0;
      if (above.outStart === null) {
        for (let k = 0; k < above.nOut; k++) {
          const syn = synBase + k * F + i;
          s += (p === 2 ? 2 * w[syn]! : normGrad(w[syn]!, p)) * u[syn]!;
        }
      } else {
        const end = above.outStart[i + 1]!;
        for (let q = above.outStart[i]!; q < end; q++) {
          const syn = synBase + above.outSyn![q]!;
          s += (p === 2 ? 2 * w[syn]! : normGrad(w[syn]!, p)) * u[syn]!;
        }
      }
      below.reward[r * below.nOut + i] = s;
    }
  }
}

/** Kernel `broadcast_reward`: per (replica r, unit j): reward_j = signal[r] (REINFORCE / output unit). */
export function broadcastReward(L: Layer, signal: Float32Array, replicas: number): void {
  for (let r = 0; r < replicas; r++) L.reward.fill(signal[r]!, r * L.nOut, (r + 1) * L.nOut);
}

/** Kernel `clear_traces`: zero the traces of every replica r with mask[r] != 0 (a new episode begins). */
export function clearTraces(L: Layer, mask: ArrayLike<number>, replicas: number): void {
  const nSyn = L.nOut * L.fanIn;
  for (let r = 0; r < replicas; r++) {
    if (!mask[r]) continue;
    L.eW.fill(0, r * nSyn, (r + 1) * nSyn);
    L.eB.fill(0, r * L.nOut, (r + 1) * L.nOut);
  }
}
