import { checkDiscreteActions, checkNumEnvs, type EnvStore, type SizedBatchedEnv } from './env-types.ts';

/**
 * What every batched env twin shares: the state as `stateFloats` struct-of-arrays components and
 * the counters [steps | episodes | autoresetPending | terminated | truncated] x E and reward [E]
 * over an `EnvStore` (the layout of the kernels' buffers, so a step program's executor and its
 * checkpoints see the env as the device holds it), seeded resets, and Gymnasium's vector-env step
 * with next-step autoreset. A subclass gives its reset draw (`drawReset`), its dynamics
 * (`advance`) and, when the observation is not the state itself, `observations`.
 */
export abstract class EnvTwin implements SizedBatchedEnv {
  abstract readonly obsDim: number;
  abstract readonly numActions: number;
  /** The state components, each [numEnvs]. */
  protected readonly components: Float32Array[];
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
  /** Set by `advance` when the step reached a terminal state. */
  protected ended = false;

  constructor(
    readonly numEnvs: number,
    readonly stateFloats: number,
    /** The episode length limit (truncation). */
    readonly maxEpisodeSteps: number,
    store?: EnvStore,
  ) {
    checkNumEnvs(numEnvs);
    const E = numEnvs;
    const st = store ?? { state: new Float32Array(stateFloats * E), counters: new Uint32Array(5 * E), reward: new Float32Array(E) };
    if (st.state.length < stateFloats * E || st.counters.length < 5 * E || st.reward.length < E) {
      throw new RangeError(`store must hold state [${stateFloats} * ${E}], counters [5 * ${E}] and reward [${E}]`);
    }
    const c = (k: number) => st.counters.subarray(k * E, (k + 1) * E);
    this.components = Array.from({ length: stateFloats }, (_, k) => st.state.subarray(k * E, (k + 1) * E));
    [this.steps, this.episodes, this.autoresetPending, this.terminated, this.truncated] = [c(0), c(1), c(2), c(3), c(4)];
    this.reward = st.reward;
  }

  /** Draw env i's initial state for episode `this.episodes[i]` (counted from 0) into the components. */
  protected abstract drawReset(i: number): void;
  /** One step of env i's dynamics under `action`; returns the reward and sets `ended` when terminal. */
  protected abstract advance(i: number, action: number): number;

  /** Throws unless `actions` holds a valid action per env (before any env moves). */
  protected checkStepActions(actions: ArrayLike<number>): void {
    checkDiscreteActions(actions, this.numEnvs, this.numActions);
  }

  /** Reset every env with a new seed (episode counters restart); returns the observations. */
  reset(seed: number): Float32Array {
    this.seed = seed >>> 0;
    this.episodes.fill(0);
    for (let i = 0; i < this.numEnvs; i++) this.resetEnv(i);
    this.reward.fill(0);
    this.terminated.fill(0);
    this.truncated.fill(0);
    return this.observations();
  }

  protected resetEnv(i: number): void {
    this.drawReset(i);
    this.steps[i] = 0;
    this.autoresetPending[i] = 0;
    this.episodes[i] = this.episodes[i]! + 1;
  }

  /**
   * Advance every env (or envs [from, to)) by one step (an env that ended on the last step is reset
   * instead).
   */
  step(actions: ArrayLike<number>, from = 0, to = this.numEnvs): void {
    this.checkStepActions(actions);
    for (let i = from; i < to; i++) {
      if (this.autoresetPending[i]) {
        this.resetEnv(i);
        this.reward[i] = 0;
        this.terminated[i] = 0;
        this.truncated[i] = 0;
        continue;
      }
      this.ended = false;
      const r = this.advance(i, actions[i]!);
      this.steps[i] = this.steps[i]! + 1;
      const trunc = this.steps[i]! >= this.maxEpisodeSteps;
      this.reward[i] = r;
      this.terminated[i] = this.ended ? 1 : 0;
      this.truncated[i] = trunc ? 1 : 0;
      this.autoresetPending[i] = this.ended || trunc ? 1 : 0;
    }
  }

  /** Observations [numEnvs * obsDim]; by default row i is env i's state components in order. */
  observations(out: Float32Array = new Float32Array(this.numEnvs * this.obsDim)): Float32Array {
    const S = this.stateFloats;
    for (let i = 0; i < this.numEnvs; i++) for (let k = 0; k < S; k++) out[i * S + k] = this.components[k]![i]!;
    return out;
  }

  /** Overwrite the state of every env from rows of `stateFloats` (steps and flags are kept). */
  setState(rows: ArrayLike<number>): void {
    const S = this.stateFloats;
    if (rows.length !== this.numEnvs * S) throw new RangeError(`state must have length ${this.numEnvs * S} (numEnvs * ${S}), got ${rows.length}`);
    for (let i = 0; i < this.numEnvs; i++) for (let k = 0; k < S; k++) this.components[k]![i] = rows[i * S + k]!;
  }
}
