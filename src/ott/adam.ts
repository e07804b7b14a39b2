/**
 * Adam as torch.optim.Adam (no weight decay, no amsgrad), over a flat parameter array that holds
 * R replicas of `perReplica` floats each (every neuron's private optimiser state is its own slice,
 * so one array-wide update is the same as one optimiser per neuron).
 */
import type { ReplicaRange } from '../run/kernel-def.ts';

const f = Math.fround;

export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** torch.optim.Adam defaults with the paper's lr 1e-2. */
export const OTT_ADAM: Readonly<AdamHyper> = Object.freeze({ lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8 });

/**
 * Kernel `ott_adam` (one invocation per parameter; replica r = floor(i / perReplica)); updates only
 * replicas with learn[r] = 1, whose step[r] (>= 1, the number of updates including this one) the
 * host increments beforehand. Mirrors torch's f32 order:
 *   m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2
 *   p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 */
export function adamStep(
  params: Float32Array,
  grads: Float32Array,
  m: Float32Array,
  v: Float32Array,
  perReplica: number,
  step: Uint32Array,
  learn: ArrayLike<number>,
  hp: AdamHyper,
  range?: ReplicaRange,
): void {
  const R = params.length / perReplica;
  const b1 = f(hp.beta1);
  const b2 = f(hp.beta2);
  const c1 = f(1 - hp.beta1);
  const c2 = f(1 - hp.beta2);
  const eps = f(hp.eps);
  for (let r = range?.[0] ?? 0; r < (range?.[1] ?? R); r++) {
    if (!learn[r]) continue;
    const t = step[r]!;
    const stepSize = f(hp.lr / (1 - hp.beta1 ** t));
    const bc2Sqrt = f(Math.sqrt(1 - hp.beta2 ** t));
    const end = (r + 1) * perReplica;
    for (let i = r * perReplica; i < end; i++) {
      const g = grads[i]!;
      const mi = f(f(b1 * m[i]!) + f(c1 * g));
      const vi = f(f(b2 * v[i]!) + f(c2 * f(g * g)));
      m[i] = mi;
      v[i] = vi;
      const denom = f(f(f(Math.sqrt(vi)) / bc2Sqrt) + eps);
      params[i] = f(params[i]! - f(stepSize * f(mi / denom)));
    }
  }
}
