/** Discounted, per-episode standardised returns (PG._discount_rewards of the original-paper code). */
import type { ReplicaRange } from '../run/kernel-def.ts';

const f = Math.fround;

/** numpy's float32 machine epsilon, the code's standardisation epsilon. */
export const F32_EPS = 2 ** -23;

/**
 * Kernel `ott_returns` (one invocation per (replica, neuron), replicas with learn[r] = 1):
 * G_t = r_t + gamma G_{t+1} over the replica's T = lengths[r] steps, then
 * (G - mean) / (std + eps) with torch's unbiased std (n - 1). T = 1 gives std := 0, i.e. 0 returns
 * (torch would produce NaN). Layout: rewards/out[(r*Tmax + t)*N + n].
 */
export function standardisedReturns(
  rewards: Float32Array,
  N: number,
  R: number,
  Tmax: number,
  lengths: Uint32Array,
  learn: ArrayLike<number>,
  gamma: number,
  out: Float32Array,
  range: ReplicaRange = [0, R],
): void {
  const g = f(gamma);
  const eps = f(F32_EPS);
  for (let r = range[0]; r < range[1]; r++) {
    if (!learn[r]) continue;
    const T = lengths[r]!;
    if (T === 0) continue;
    for (let n = 0; n < N; n++) {
      let G = 0;
      let sum = 0;
      for (let t = T - 1; t >= 0; t--) {
        const i = (r * Tmax + t) * N + n;
        G = f(rewards[i]! + f(g * G));
        out[i] = G;
        sum = f(sum + G);
      }
      const mean = f(sum / T);
      let ss = 0;
      for (let t = 0; t < T; t++) {
        const d = f(out[(r * Tmax + t) * N + n]! - mean);
        ss = f(ss + f(d * d));
      }
      const std = T > 1 ? f(Math.sqrt(f(ss / (T - 1)))) : 0;
      const denom = f(std + eps);
      for (let t = 0; t < T; t++) {
        const i = (r * Tmax + t) * N + n;
        out[i] = f(f(out[i]! - mean) / denom);
      }
    }
  }
}
