import { checkNumEnvs } from './env-types.ts';

/**
 * The Gymnasium vector-env bookkeeping every CPU env keeps per env: the counters [steps | episodes
 * | autoresetPending | terminated | truncated] and the reward, as views of a step program's
 * `counters` and `reward` arrays when given (so executors and checkpoints see the device layout),
 * else its own, and the seed of the last reset.
 */
export abstract class EnvCounters {
  /** Steps taken in the current episode. */
  readonly steps: Uint32Array;
  /** Episodes started so far per env (the reset counter). */
  readonly episodes: Uint32Array;
  /** 1 where the env ended on the last step and will be reset by the next. */
  readonly autoresetPending: Uint32Array;
  readonly reward: Float32Array;
  readonly terminated: Uint32Array;
  readonly truncated: Uint32Array;
  seed = 0;

  constructor(
    readonly numEnvs: number,
    store?: { counters: Uint32Array; reward: Float32Array },
  ) {
    checkNumEnvs(numEnvs);
    const E = numEnvs;
    const counters = store?.counters ?? new Uint32Array(5 * E);
    const c = (k: number) => counters.subarray(k * E, (k + 1) * E);
    [this.steps, this.episodes, this.autoresetPending, this.terminated, this.truncated] = [c(0), c(1), c(2), c(3), c(4)];
    this.reward = store ? store.reward.subarray(0, E) : new Float32Array(E);
  }

  /** The step of env i after its episode ended: it only resets (`resetEnv`), with no reward and neither flag. */
  protected autoreset(i: number, resetEnv: (i: number) => void): void {
    resetEnv(i);
    this.reward[i] = 0;
    this.terminated[i] = 0;
    this.truncated[i] = 0;
  }
}
