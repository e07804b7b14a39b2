/**
 * Helpers shared by the synaptic-Q runs: the starting table of a policy and summary statistics.
 * One iteration is the 'synaptic-q' rule's step program (src/rules/synq-program.ts), in the order
 * of the reference code:
 *   1. selectActions   (every synapse picks a_t from its state, epsilon-greedy)
 *   2. applyActions    (w += (a_t - 1) * alpha_s * stepScale)
 *   3. task loss       (forward + per-sample loss + reduction)
 *   4. computeRewards  (R_t = +1 iff the loss fell strictly)
 *   5. TD update       (train mode only; reads the pre-shift state)
 *   6. shiftState      (state <- (a_{t-1}, a_t, R_{t-1}, R_t))
 */
import type { SynqPolicy } from './config.ts';
import { goldenQTable, qTableFromJson, TABLE_SIZE, zeroQTable } from './q-table.ts';

/** Resolves a policy to one flat table of 243. */
export function resolvePolicyTable(policy: SynqPolicy): Float32Array {
  if (policy === 'golden') return goldenQTable();
  if (policy === 'train') return zeroQTable();
  if (policy instanceof Float32Array) return policy.slice(0, TABLE_SIZE);
  return qTableFromJson(policy, 'policy');
}

/** Summary statistics of a list of numbers (population std, as numpy's default). */
export function stats(xs: number[]): { min: number; max: number; mean: number; std: number } {
  const n = xs.length;
  if (n === 0) return { min: Number.NaN, max: Number.NaN, mean: Number.NaN, std: Number.NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return { min: Math.min(...xs), max: Math.max(...xs), mean, std };
}
