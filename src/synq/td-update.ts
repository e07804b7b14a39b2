/**
 * Training the shared Q-table from all synapses' transitions.
 *
 * Transition of synapse i at iteration t: state s (byte), action a_t, global reward R_t (code r);
 * next state s' = nextStateByte(s, a_t, r). TD target = R + gamma * max_a' Q[a', s'] with
 * R = r - 1 in {-1, +1}.
 *
 * Key fact used by the batched rule: s' depends only on (s, a_t, R_t), and R_t is the same for all
 * synapses of a replica. So every synapse of replica r that visited table entry (a, s) this
 * iteration has the SAME target. Combining their TD updates therefore needs only the visit count
 * n(a, s) per replica: an order-independent integer sum (u32 atomicAdd on a GPU), exact.
 *
 * Combination rules (per replica, Q_old = the table at the start of the update):
 *  - 'count' (default): Q[e] = Q_old[e] + (1 - (1 - alphaQ)^n) * (target(e) - Q_old[e]).
 *    This is exactly n sequential TD steps toward one fixed target, so it is the reference code's
 *    synapse-by-synapse loop except that targets are read from Q_old instead of the
 *    partially-updated table.
 *  - 'mean': Q[e] = Q_old[e] + alphaQ * (target(e) - Q_old[e]) for every visited entry (n >= 1):
 *    one TD step toward the mean of the visitors' targets (all equal).
 * The reference sequential rule is `tdUpdateSequential` (CPU only, for comparison).
 */
import { laneOf, NUM_STATES, nextStateByte, stateIndex, wordsPerReplica } from './packed-state.ts';
import { TABLE_SIZE } from './q-table.ts';

/** How per-synapse TD updates are merged into one table per iteration. */
export type TdCombineRule = 'count' | 'mean';

/**
 * Kernel `synq_count_visits`: one invocation per (replica r, word w).
 * counts[r*243 + a*81 + s] += 1 for each synapse (atomicAdd on a GPU). `counts` must be zeroed
 * before the pass (a clear kernel or a buffer fill).
 */
export function countVisits(replicas: number, numSynapses: number, stateWords: Uint32Array, actionWords: Uint32Array, counts: Uint32Array): void {
  const W = wordsPerReplica(numSynapses);
  for (let r = 0; r < replicas; r++) {
    for (let w = 0; w < W; w++) {
      const sw = stateWords[r * W + w];
      const aw = actionWords[r * W + w];
      for (let k = 0; k < 4; k++) {
        if (4 * w + k >= numSynapses) break;
        counts[r * TABLE_SIZE + laneOf(aw, k) * NUM_STATES + stateIndex(laneOf(sw, k))]++;
      }
    }
  }
}

/**
 * x^n by square-and-multiply with every product rounded to f32 (bits from low to high), so the GPU
 * kernel (synq-td.wgsl) computes the same bits. Accurate to ~2 log2(n) ulps.
 */
export function powF32(x: number, n: number): number {
  const f = Math.fround;
  let result = 1;
  let base = f(x);
  let e = n >>> 0;
  while (e > 0) {
    if (e & 1) result = f(result * base);
    e >>>= 1;
    if (e > 0) base = f(base * base);
  }
  return result;
}

/** Byte form of a state index (inverse of stateIndex). */
export function stateByteOfIndex(s: number): number {
  const a2 = Math.floor(s / 27);
  const a1 = Math.floor(s / 9) % 3;
  const r2 = Math.floor(s / 3) % 3;
  const r1 = s % 3;
  return (a2 << 6) | (a1 << 4) | (r2 << 2) | r1;
}

/**
 * Kernel `synq_apply_td`: one invocation per (replica r, table entry e = a*81 + s).
 * Reads qOld (the whole table of replica r, for max over s'), counts, rewardCodes[r]; writes qNew.
 * qOld and qNew must be different buffers (entries read each other). Arithmetic in f32 order:
 * target = f32(R + f32(gamma * maxQ)), diff = f32(target - q), step factor k as per rule,
 * q' = f32(q + f32(k * diff)), with (1 - alphaQ)^n = powF32 (square-and-multiply in f32, as the
 * kernel: WGSL's pow is exp2(n log2 x), off by ~1e-5 relative at n ~ 100, enough to flip argmax ties).
 */
export function applyTdUpdate(
  replicas: number,
  qOld: Float32Array,
  qNew: Float32Array,
  counts: Uint32Array,
  rewardCodes: Uint8Array | Uint32Array,
  alphaQ: number,
  gamma: number,
  rule: TdCombineRule,
): void {
  const f = Math.fround;
  const alpha = f(alphaQ);
  const g = f(gamma);
  const keep = f(1 - alpha);
  for (let r = 0; r < replicas; r++) {
    const off = r * TABLE_SIZE;
    const rc = rewardCodes[r];
    const reward = rc - 1;
    for (let e = 0; e < TABLE_SIZE; e++) {
      const n = counts[off + e];
      const q = qOld[off + e];
      if (n === 0) {
        qNew[off + e] = q;
        continue;
      }
      const a = Math.floor(e / NUM_STATES);
      const s = e % NUM_STATES;
      const sNext = stateIndex(nextStateByte(stateByteOfIndex(s), a, rc));
      const maxNext = Math.max(qOld[off + sNext], qOld[off + 81 + sNext], qOld[off + 162 + sNext]);
      const target = f(reward + f(g * maxNext));
      const k = rule === 'mean' ? alpha : f(1 - powF32(keep, n));
      qNew[off + e] = f(q + f(k * f(target - q)));
    }
  }
}

/**
 * The reference code's rule (CPU only): synapses in index order, each applying
 * Q[a, s] += alphaQ * (R + gamma * max Q[:, s'] - Q[a, s]) to the live table, so later synapses
 * see earlier synapses' updates. Updates q in place (all replicas).
 */
export function tdUpdateSequential(
  replicas: number,
  numSynapses: number,
  stateWords: Uint32Array,
  actionWords: Uint32Array,
  q: Float32Array,
  rewardCodes: Uint8Array | Uint32Array,
  alphaQ: number,
  gamma: number,
): void {
  const W = wordsPerReplica(numSynapses);
  for (let r = 0; r < replicas; r++) {
    const off = r * TABLE_SIZE;
    const rc = rewardCodes[r];
    for (let i = 0; i < numSynapses; i++) {
      const sb = laneOf(stateWords[r * W + (i >>> 2)], i & 3);
      const a = laneOf(actionWords[r * W + (i >>> 2)], i & 3);
      const sNext = stateIndex(nextStateByte(sb, a, rc));
      const maxNext = Math.max(q[off + sNext], q[off + 81 + sNext], q[off + 162 + sNext]);
      const e = off + a * NUM_STATES + stateIndex(sb);
      q[e] = Math.fround(q[e] + alphaQ * (rc - 1 + gamma * maxNext - q[e]));
    }
  }
}
