/** Adam as the paper's code applies it (util.adam_optimizer): gradient ascent on raw updates. */

export interface AdamOptions {
  beta1: number;
  beta2: number;
  eps: number;
  /** Bias correction is applied while t < this and switched off from then on (code: 1000). */
  biasCorrectionSteps: number;
}

/** The code's default: beta 0.9 / 0.999, eps 1e-8, bias correction off from step 1000. */
export const ADAM_DEFAULTS: AdamOptions = { beta1: 0.9, beta2: 0.999, eps: 1e-8, biasCorrectionSteps: 1000 };

/**
 * Kernel `adam_step`: one invocation per parameter index i (all replicas of one array):
 *   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
 *   m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t)   (only while t < biasCorrectionSteps)
 *   param += lr * m_hat / (sqrt(v_hat) + eps)
 * `t` counts calls from 1. `g` is the ascent direction (the raw REINFORCE / TD update), so the
 * parameter moves along +g. Returns nothing; `param`, `m`, `v` are updated in place.
 */
export function adamStep(param: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, lr: number, t: number, o: AdamOptions = ADAM_DEFAULTS): void {
  const corr = t < o.biasCorrectionSteps;
  const c1 = corr ? 1 / (1 - o.beta1 ** t) : 1;
  const c2 = corr ? 1 / (1 - o.beta2 ** t) : 1;
  const b1 = o.beta1,
    b2 = o.beta2,
    eps = o.eps;
  for (let i = 0; i < param.length; i++) {
    const gi = g[i]!;
    const mi = b1 * m[i]! + (1 - b1) * gi;
    const vi = b2 * v[i]! + (1 - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    // Read back the f32-rounded moments, as the kernel sees them.
    param[i] = param[i]! + (lr * (m[i]! * c1)) / (Math.sqrt(v[i]! * c2) + eps);
  }
}
