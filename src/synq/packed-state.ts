/**
 * Per-synapse state of synaptic Q-learning, packed for a GPU.
 *
 * Every value is a code in {0, 1, 2}: for actions 0 = decrease, 1 = hold, 2 = increase; for
 * rewards 0 = -1 (loss did not fall), 1 = none yet (only before the first two rewards),
 * 2 = +1 (loss fell). These are the golden table's indices (the Julia code's 1..3, minus one).
 *
 * State byte of one synapse (2 bits per field):
 *   bits 0-1: R_{t-1}   bits 2-3: R_{t-2}   bits 4-5: a_{t-1}   bits 6-7: a_{t-2}
 * Initial byte 0b01_01_01_01 = 0x55 (all "hold"/"none"), as in the reference code.
 *
 * Four synapses share one u32 word: synapse 4w+k lives in bits 8k..8k+7 of word w. WGSL has no
 * u8 storage, so a kernel invocation owns a whole word (4 synapses) and never races another.
 * The pending action a_t (chosen by selectActions, consumed by the TD update and shiftState)
 * uses the same word/lane layout in a second array, one byte per synapse holding 0..2.
 *
 * Replica axis: with N synapses per network, W = ceil(N/4) words per replica; replica r's word w
 * is at index r*W + w. Lanes past N (padding) keep 0x55 / action 1 and are skipped by kernels.
 */

/** Number of distinct states (a_{t-2}, a_{t-1}, R_{t-2}, R_{t-1}): 3^4. */
export const NUM_STATES = 81;
/** Actions: decrease, hold, increase. */
export const NUM_ACTIONS = 3;
/** Initial state byte: all four fields 1. */
export const INITIAL_STATE_BYTE = 0x55;
/** A word of four initial state bytes. */
export const INITIAL_STATE_WORD = 0x55555555;
/** A word of four "hold" actions. */
export const HOLD_ACTION_WORD = 0x01010101;

/** Words per replica for N synapses. */
export function wordsPerReplica(numSynapses: number): number {
  return Math.ceil(numSynapses / 4);
}

/** Packs (a_{t-2}, a_{t-1}, R_{t-2}, R_{t-1}) codes into a state byte. */
export function packState(a2: number, a1: number, r2: number, r1: number): number {
  return (a2 << 6) | (a1 << 4) | (r2 << 2) | r1;
}

/** Unpacks a state byte into [a_{t-2}, a_{t-1}, R_{t-2}, R_{t-1}]. */
export function unpackState(byte: number): [number, number, number, number] {
  return [(byte >>> 6) & 3, (byte >>> 4) & 3, (byte >>> 2) & 3, byte & 3];
}

/**
 * Row of the Q-table for a state byte: a2*27 + a1*9 + r2*3 + r1, so the table entry of
 * (action a, state s) is at a*81 + stateIndex(s), matching Q[a][a_{t-2}][a_{t-1}][R_{t-2}][R_{t-1}].
 */
export function stateIndex(byte: number): number {
  return ((byte >>> 6) & 3) * 27 + ((byte >>> 4) & 3) * 9 + ((byte >>> 2) & 3) * 3 + (byte & 3);
}

/**
 * Next state byte after taking action a (code) and receiving reward code r:
 * (a_{t-2}, a_{t-1}, R_{t-2}, R_{t-1}) -> (a_{t-1}, a, R_{t-1}, r).
 */
export function nextStateByte(byte: number, action: number, reward: number): number {
  const a1 = (byte >>> 4) & 3;
  const r1 = byte & 3;
  return (a1 << 6) | (action << 4) | (r1 << 2) | reward;
}

/** Byte k (0..3) of a word. */
export function laneOf(word: number, k: number): number {
  return (word >>> (8 * k)) & 0xff;
}

/** Word with byte k replaced by `byte`. */
export function withLane(word: number, k: number, byte: number): number {
  const shift = 8 * k;
  return ((word & ~(0xff << shift)) | ((byte & 0xff) << shift)) >>> 0;
}

/** Fresh state words for R replicas of N synapses (all 0x55). */
export function initStateWords(replicas: number, numSynapses: number): Uint32Array {
  return new Uint32Array(replicas * wordsPerReplica(numSynapses)).fill(INITIAL_STATE_WORD);
}

/** Fresh action words for R replicas of N synapses (all hold). */
export function initActionWords(replicas: number, numSynapses: number): Uint32Array {
  return new Uint32Array(replicas * wordsPerReplica(numSynapses)).fill(HOLD_ACTION_WORD);
}

/** Reads synapse i of replica r's state byte (CPU convenience, not a kernel). */
export function getStateByte(words: Uint32Array, numSynapses: number, r: number, i: number): number {
  return laneOf(words[r * wordsPerReplica(numSynapses) + (i >>> 2)], i & 3);
}

/**
 * Kernel `synq_shift_state`: one invocation per (replica r, word w).
 * After the global reward code of replica r (rewardCodes[r]) is known, every synapse's state
 * becomes (a_{t-1}, a_t, R_{t-1}, R_t). Must run after the TD update, which reads the old state.
 */
export function shiftState(replicas: number, numSynapses: number, stateWords: Uint32Array, actionWords: Uint32Array, rewardCodes: Uint8Array | Uint32Array): void {
  const W = wordsPerReplica(numSynapses);
  for (let r = 0; r < replicas; r++) {
    const reward = rewardCodes[r];
    for (let w = 0; w < W; w++) {
      const idx = r * W + w;
      let sw = stateWords[idx];
      const aw = actionWords[idx];
      for (let k = 0; k < 4; k++) {
        if (4 * w + k >= numSynapses) break;
        sw = withLane(sw, k, nextStateByte(laneOf(sw, k), laneOf(aw, k), reward));
      }
      stateWords[idx] = sw;
    }
  }
}
