import { rngU32, Stream } from '../rng/counter-rng.ts';
import { EnvCounters } from './env-counters.ts';
import { checkActions, type SizedBatchedEnv } from './env-types.ts';

/**
 * Batched Boolean multiplexer (the Weight Maximization paper's 20-bit task, 4 address bits); in
 * bandit mode the CPU twin of shaders/multiplexer-step.wgsl (MULTIPLEXER_STEP, multiplexer-gpu.ts).
 *
 * Input layout of one env (`obsDim = k + 2^k` numbers, each -1 or +1):
 * - `obs[0 .. k-1]` are the address bits, most significant first: bit j counts `2^(k-1-j)` when
 *   it is +1 and 0 when it is -1, so `address = sum_j [obs[j] == +1] * 2^(k-1-j)`.
 * - `obs[k .. k+2^k-1]` are the data bits; the target is `obs[k + address]`.
 *
 * Action 0 means output -1 and action 1 means output +1 (any value other than 1 counts as 0).
 * Reward is +1 when the output equals the target and -1 otherwise.
 *
 * Bit b of env i in episode e is +1 when the top bit of
 * `rngU32(seed, Stream.envReset, i * obsDim + b, e)` is 1 and -1 otherwise, so a kernel that knows
 * (seed, env, episode) draws the same inputs without reading CPU state.
 *
 * Two ways to step:
 * - `step` (Gymnasium next-step autoreset, like every other batched env): each episode is one
 *   step, so every step terminates, and the step after it only draws the next input (reward 0,
 *   flags 0, action ignored). Half the calls do no learning work.
 * - `stepBandit` (contextual-bandit mode): scores the action against the current input, reports
 *   `terminated = 1`, and immediately draws the next episode's input, so `observations()` after
 *   the call already show the next input. Every call is a scored trial.
 *
 * Episode e of env i (episodes[i] counted from 0) draws its input at RNG step e; `steps` stays 0.
 */
export class MultiplexerCpu extends EnvCounters implements SizedBatchedEnv {
  /** Address bits k. */
  readonly addressBits: number;
  /** Inputs per env: k + 2^k. */
  readonly obsDim: number;
  readonly numActions = 2;
  /** Current inputs, [numEnvs * obsDim], each -1 or +1. */
  readonly bits: Float32Array;
  /** The correct output (-1 or +1) for the current input of each env. */
  readonly target: Float32Array;

  /**
   * @param numEnvs independent multiplexers stepped together
   * @param addressBits k; 4 gives the 20-bit multiplexer, 2 the 6-bit one, 3 the 11-bit one
   */
  constructor(
    numEnvs: number,
    addressBits = 4,
    /**
     * Keep the target, counters and reward in these arrays (a step program's `env.state`,
     * `env.counters` [steps | episodes | autoresetPending | terminated | truncated] x E and
     * `env.reward`) instead of its own.
     */
    store?: { target: Float32Array; counters: Uint32Array; reward: Float32Array },
  ) {
    super(numEnvs, store);
    // 2^10 data bits is already far beyond any multiplexer in the literature.
    if (!Number.isInteger(addressBits) || addressBits < 1 || addressBits > 10) {
      throw new RangeError(`addressBits must be an integer in [1, 10], got ${addressBits}`);
    }
    this.addressBits = addressBits;
    this.obsDim = addressBits + (1 << addressBits);
    this.bits = new Float32Array(numEnvs * this.obsDim);
    this.target = store ? store.target.subarray(0, numEnvs) : new Float32Array(numEnvs);
  }

  /** Reset every env with a new seed; returns the observations [numEnvs * obsDim]. */
  reset(seed: number): Float32Array {
    this.seed = seed >>> 0;
    this.episodes.fill(0);
    this.autoresetPending.fill(0);
    this.reward.fill(0);
    this.terminated.fill(0);
    this.truncated.fill(0);
    for (let i = 0; i < this.numEnvs; i++) this.drawInput(i);
    return this.observations();
  }

  /** Draws the input of env i's next episode (RNG step = episodes[i]) and counts the episode. */
  private drawInput(i: number): void {
    const n = this.obsDim,
      k = this.addressBits,
      e = this.episodes[i]!,
      base = i * n;
    for (let b = 0; b < n; b++) {
      this.bits[base + b] = rngU32(this.seed, Stream.envReset, i * n + b, e) >>> 31 ? 1 : -1;
    }
    let address = 0;
    for (let j = 0; j < k; j++) address = (address << 1) | (this.bits[base + j]! > 0 ? 1 : 0);
    this.target[i] = this.bits[base + k + address]!;
    this.autoresetPending[i] = 0;
    this.episodes[i] = e + 1;
  }

  /** Next-step autoreset step: scores the action (every episode ends here) or draws a new input. */
  step(actions: ArrayLike<number>): void {
    this.score(actions, false);
  }

  /**
   * Bandit step: scores every env's action against its current input (`terminated` = 1), then
   * draws the next input right away. An env left pending by `step` is only reset, exactly as
   * `step` would do it (reward 0, flags 0, action ignored), because its action was chosen on the
   * old input. With [from, to), those envs only.
   */
  stepBandit(actions: ArrayLike<number>, from = 0, to = this.numEnvs): void {
    this.score(actions, true, from, to);
  }

  /** Scores each env's action in [from, to) (a pending env only draws its input); `bandit`: the next input at once, else at the next step. */
  private score(actions: ArrayLike<number>, bandit: boolean, from = 0, to = this.numEnvs): void {
    checkActions(actions, this.numEnvs);
    for (let i = from; i < to; i++) {
      if (this.autoresetPending[i]) {
        this.autoreset(i, (j) => this.drawInput(j));
        continue;
      }
      this.reward[i] = (actions[i] === 1 ? 1 : -1) === this.target[i] ? 1 : -1;
      this.terminated[i] = 1;
      this.truncated[i] = 0;
      if (bandit) this.drawInput(i);
      else this.autoresetPending[i] = 1;
    }
  }

  /** Observations [numEnvs * obsDim]: the current input bits, -1 or +1. */
  observations(out: Float32Array = new Float32Array(this.numEnvs * this.obsDim)): Float32Array {
    out.set(this.bits);
    return out;
  }

  /** Overwrite the inputs of every env (values > 0 count as +1, others as -1); recomputes targets. */
  setState(bits: ArrayLike<number>): void {
    const n = this.obsDim,
      k = this.addressBits;
    if (bits.length !== this.numEnvs * n) {
      throw new RangeError(`state must have length ${this.numEnvs * n} (numEnvs * obsDim), got ${bits.length}`);
    }
    for (let i = 0; i < this.numEnvs; i++) {
      let address = 0;
      for (let b = 0; b < n; b++) this.bits[i * n + b] = bits[i * n + b]! > 0 ? 1 : -1;
      for (let j = 0; j < k; j++) address = (address << 1) | (this.bits[i * n + j]! > 0 ? 1 : 0);
      this.target[i] = this.bits[i * n + k + address]!;
    }
  }
}
