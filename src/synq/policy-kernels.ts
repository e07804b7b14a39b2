/**
 * Acting: epsilon-greedy action choice over the shared table, and the weight step.
 */
import { rngU32, rngUniform, Stream } from '../rng/counter-rng.ts';
import { laneOf, wordsPerReplica, stateIndex, withLane } from './packed-state.ts';
import { TABLE_SIZE } from './q-table.ts';

/**
 * Greedy action for a state row of replica r's table: argmax_a Q[a, s], the FIRST index on ties
 * (strict >), as Julia's argmax in the reference code.
 */
export function greedyAction(q: Float32Array, tableOffset: number, sIndex: number): number {
  let best = 0;
  let bestQ = q[tableOffset + sIndex];
  for (let a = 1; a < 3; a++) {
    const v = q[tableOffset + a * 81 + sIndex];
    if (v > bestQ) {
      bestQ = v;
      best = a;
    }
  }
  return best;
}

/**
 * The exploration draws of one synapse at one iteration. agent = r*N + i (global synapse index).
 *  - explore if rngUniform(seed, exploration, agent, 2t) < f32(epsilon)
 *  - the random action is floor(3 * k / 2^24) with k = rngU32(seed, exploration, agent, 2t+1) >> 8,
 *    computed in integers (((k * 3) >> 24), exact in u32) so WGSL gets the same value.
 * Step keys 2t and 2t+1 wrap modulo 2^32 like u32 arithmetic on the GPU.
 */
export function explorationDraw(seed: number, agent: number, iteration: number, epsilonF32: number): number {
  const step = (2 * iteration) >>> 0;
  if (rngUniform(seed, Stream.exploration, agent, step) >= epsilonF32) return -1;
  const k = rngU32(seed, Stream.exploration, agent, (step + 1) >>> 0) >>> 8;
  return (k * 3) >>> 24;
}

/**
 * Kernel `synq_select_actions`: one invocation per (replica r, state word w) = 4 synapses.
 * Reads the state words and replica r's table (at r*243); writes the action words (byte = 0..2).
 * Exploring synapses (explorationDraw >= 0) take the random action, others the greedy one.
 * `iteration` is the 1-based iteration t.
 */
export function selectActions(replicas: number, numSynapses: number, stateWords: Uint32Array, q: Float32Array, actionWords: Uint32Array, epsilon: number, seed: number, iteration: number): void {
  const W = wordsPerReplica(numSynapses);
  const eps = Math.fround(epsilon);
  for (let r = 0; r < replicas; r++) {
    const tOff = r * TABLE_SIZE;
    for (let w = 0; w < W; w++) {
      const idx = r * W + w;
      const sw = stateWords[idx];
      let aw = actionWords[idx];
      for (let k = 0; k < 4; k++) {
        const i = 4 * w + k;
        if (i >= numSynapses) break;
        const explored = explorationDraw(seed, r * numSynapses + i, iteration, eps);
        const a = explored >= 0 ? explored : greedyAction(q, tOff, stateIndex(laneOf(sw, k)));
        aw = withLane(aw, k, a);
      }
      actionWords[idx] = aw;
    }
  }
}

/**
 * Kernel `synq_apply_actions`: one invocation per (replica r, word w) = 4 weights.
 * w_i += (a_i - 1) * f32(f32(alphaS) * stepScale[i]). stepScale is per synapse, shared by replicas:
 * the reference code moves biases twice as far as other weights (biasStepScale = 2).
 * Weights of replica r are at r*N .. r*N + N - 1.
 */
export function applyActions(replicas: number, numSynapses: number, weights: Float32Array, actionWords: Uint32Array, stepScale: Float32Array, alphaS: number): void {
  const W = wordsPerReplica(numSynapses);
  const alpha = Math.fround(alphaS);
  for (let r = 0; r < replicas; r++) {
    for (let w = 0; w < W; w++) {
      const aw = actionWords[r * W + w];
      for (let k = 0; k < 4; k++) {
        const i = 4 * w + k;
        if (i >= numSynapses) break;
        const dir = laneOf(aw, k) - 1;
        if (dir === 0) continue;
        const step = Math.fround(alpha * stepScale[i]);
        weights[r * numSynapses + i] = Math.fround(weights[r * numSynapses + i] + dir * step);
      }
    }
  }
}
