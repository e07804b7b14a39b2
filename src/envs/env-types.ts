/**
 * The shape every batched CPU environment shares, so trainers, benchmarks and GPU-twin checks can
 * drive any of them the same way.
 *
 * Conventions (Gymnasium vector envs, next-step autoreset):
 * - `reset(seed)` resets all envs and returns observations `[numEnvs * obsDim]` (row-major, env i
 *   in row i).
 * - `step(actions)` advances every env once and fills `reward`, `terminated` and `truncated`
 *   (0/1 per env). An env that ended is reset by the following `step`, which ignores its action
 *   and reports reward 0 with both flags 0.
 * - `observations(out?)` writes the current observations into `out` (or a fresh array).
 */
export interface BatchedEnv {
  readonly numEnvs: number;
  /** Reset every env with a new seed; returns the observations `[numEnvs * obsDim]`. */
  reset(seed: number): Float32Array;
  /** Advance every env by one step; `actions.length` must equal `numEnvs`. */
  step(actions: ArrayLike<number>): void;
  /** Current observations `[numEnvs * obsDim]`, written into `out` when given. */
  observations(out?: Float32Array): Float32Array;
  /** Reward of the last step, per env. */
  readonly reward: Float32Array;
  /** 1 where the last step ended the episode by reaching a terminal state. */
  readonly terminated: Uint32Array;
  /** 1 where the last step ended the episode by the time limit. */
  readonly truncated: Uint32Array;
}

/**
 * A batched env that also states its sizes. Kept separate from `BatchedEnv` only because
 * `CartPoleCpu` does not (yet) carry `obsDim` / `numActions` fields; the other CPU envs do.
 */
export interface SizedBatchedEnv extends BatchedEnv {
  /** Numbers per env in an observation row. */
  readonly obsDim: number;
  /** Discrete actions are 0 .. numActions - 1. */
  readonly numActions: number;
}

/** Throws a RangeError naming `actions` unless it holds one action per env. */
export function checkActions(actions: ArrayLike<number>, numEnvs: number): void {
  if (actions.length !== numEnvs) {
    throw new RangeError(`actions must have length ${numEnvs} (numEnvs), got ${actions.length}`);
  }
}

/**
 * Throws a RangeError unless `actions` holds one integer in [0, numActions) per env; checked
 * before any env moves, so a bad batch leaves every env untouched.
 */
export function checkDiscreteActions(actions: ArrayLike<number>, numEnvs: number, numActions: number): void {
  checkActions(actions, numEnvs);
  for (let i = 0; i < numEnvs; i++) {
    const a = actions[i]!;
    if (!Number.isInteger(a) || a < 0 || a >= numActions) {
      throw new RangeError(`actions[${i}] must be an integer in [0, ${numActions}), got ${a}`);
    }
  }
}

/** Throws a RangeError naming `numEnvs` unless it is an integer >= 1. */
export function checkNumEnvs(numEnvs: number): void {
  if (!Number.isInteger(numEnvs) || numEnvs < 1) {
    throw new RangeError(`numEnvs must be an integer >= 1, got ${numEnvs}`);
  }
}

/**
 * An env's state as a step program holds it, one array per device buffer: `state` (the env's
 * floats, struct-of-arrays), `counters` ([steps | episodes | autoresetPending | terminated |
 * truncated] x E) and `reward` [E].
 */
export interface EnvStore {
  state: Float32Array;
  counters: Uint32Array;
  reward: Float32Array;
}
