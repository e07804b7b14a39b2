import { sincosF32 } from '../kernels/f32-math.ts';
import { rngUniform, Stream } from '../rng/counter-rng.ts';
import { checkDiscreteActions, checkNumEnvs, type EnvStore, type SizedBatchedEnv } from './env-types.ts';

const f = Math.fround;

/** MountainCar-v0 constants (Gymnasium `MountainCarEnv`). Shared by the CPU twin and the kernel. */
export interface MountainCarParams {
  minPosition: number;
  maxPosition: number;
  /** Velocity is clipped to [-maxSpeed, maxSpeed]. */
  maxSpeed: number;
  /** Terminated when position >= goalPosition and velocity >= goalVelocity. */
  goalPosition: number;
  goalVelocity: number;
  /** Acceleration of one push: velocity += (action - 1) * force. */
  force: number;
  /** velocity += cos(3 * position) * (-gravity). */
  gravity: number;
  maxEpisodeSteps: number;
  /** Reset draws the position uniformly from [resetLow, resetHigh); velocity starts at 0. */
  resetLow: number;
  resetHigh: number;
}

export const MOUNTAIN_CAR_V0: Readonly<MountainCarParams> = Object.freeze({
  minPosition: -1.2,
  maxPosition: 0.6,
  maxSpeed: 0.07,
  goalPosition: 0.5,
  goalVelocity: 0,
  force: 0.001,
  gravity: 0.0025,
  maxEpisodeSteps: 200,
  resetLow: -0.6,
  resetHigh: -0.4,
});

/** Observation: [position, velocity]. */
export const MOUNTAIN_CAR_OBS_DIM = 2;
/** 0: push left, 1: no push, 2: push right. */
export const MOUNTAIN_CAR_NUM_ACTIONS = 3;

/**
 * Batched MountainCar-v0, CPU twin of shaders/mountain-car-step.wgsl (`MOUNTAIN_CAR_STEP`).
 * Gymnasium `MountainCarEnv` semantics, one env per row:
 *
 *     velocity += (action - 1) * force + cos(3 * position) * (-gravity)
 *     velocity  = clip(velocity, -maxSpeed, maxSpeed)
 *     position  = clip(position + velocity, minPosition, maxPosition)
 *     if position == minPosition and velocity < 0: velocity = 0        (the left wall)
 *     terminated = position >= goalPosition and velocity >= goalVelocity
 *
 * reward -1 on every step (the terminal one included), truncated at 200 steps, next-step autoreset
 * (see `BatchedEnv`: the step after an end resets the env, ignores its action and reports reward 0
 * and both flags 0). Gymnasium keeps the state in float64; this twin keeps it in f32 and rounds
 * after every operation in the kernel's order; cos comes from `sincosF32`, bit-identical to the
 * kernels' `sincos` (shaders/common.wgsl). Reset draws come from the counter RNG keyed by
 * (seed, envReset, env * 2 + 0, episode): position = low + (high - low) * u in f32, velocity 0.
 */
export class MountainCarCpu implements SizedBatchedEnv {
  readonly obsDim = MOUNTAIN_CAR_OBS_DIM;
  readonly numActions = MOUNTAIN_CAR_NUM_ACTIONS;
  readonly position: Float32Array;
  readonly velocity: Float32Array;
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

  /**
   * `store`: arrays to keep the state in, laid out as the kernel's buffers (state [position |
   * velocity] x E, counters [steps | episodes | autoresetPending | terminated | truncated] x E,
   * reward [E]), so a step program's CPU executor and its checkpoints see the env exactly as the
   * device holds it.
   */
  constructor(
    readonly numEnvs: number,
    readonly params: Readonly<MountainCarParams> = MOUNTAIN_CAR_V0,
    store: EnvStore = {
      state: new Float32Array(2 * numEnvs),
      counters: new Uint32Array(5 * numEnvs),
      reward: new Float32Array(numEnvs),
    },
  ) {
    checkNumEnvs(numEnvs);
    const E = numEnvs;
    if (store.state.length < 2 * E || store.counters.length < 5 * E || store.reward.length < E) {
      throw new RangeError(`store must hold state [2 * ${E}], counters [5 * ${E}] and reward [${E}]`);
    }
    const s = (k: number) => store.state.subarray(k * E, (k + 1) * E);
    const c = (k: number) => store.counters.subarray(k * E, (k + 1) * E);
    [this.position, this.velocity] = [s(0), s(1)];
    [this.steps, this.episodes, this.autoresetPending, this.terminated, this.truncated] = [c(0), c(1), c(2), c(3), c(4)];
    this.reward = store.reward;
  }

  /** Reset every env with a new seed (episode counters restart); returns the observations [numEnvs * 2]. */
  reset(seed: number): Float32Array {
    this.seed = seed >>> 0;
    this.episodes.fill(0);
    for (let i = 0; i < this.numEnvs; i++) this.resetEnv(i);
    this.reward.fill(0);
    this.terminated.fill(0);
    this.truncated.fill(0);
    return this.observations();
  }

  private resetEnv(i: number): void {
    // Same rounding as the kernel: low + (high - low) * u in f32.
    const lo = f(this.params.resetLow), hi = f(this.params.resetHigh);
    this.position[i] = f(lo + f(f(hi - lo) * rngUniform(this.seed, Stream.envReset, i * 2, this.episodes[i]!)));
    this.velocity[i] = 0;
    this.steps[i] = 0;
    this.autoresetPending[i] = 0;
    this.episodes[i] = this.episodes[i]! + 1;
  }

  /** Advance every env by one step. `actions[i]` is 0 (push left), 1 (no push) or 2 (push right). */
  step(actions: ArrayLike<number>): void {
    checkDiscreteActions(actions, this.numEnvs, MOUNTAIN_CAR_NUM_ACTIONS);
    const p = this.params;
    const force = f(p.force), negGravity = f(-p.gravity), maxSpeed = f(p.maxSpeed);
    const minPos = f(p.minPosition), maxPos = f(p.maxPosition), goalPos = f(p.goalPosition), goalVel = f(p.goalVelocity);
    for (let i = 0; i < this.numEnvs; i++) {
      if (this.autoresetPending[i]) {
        this.resetEnv(i);
        this.reward[i] = 0;
        this.terminated[i] = 0;
        this.truncated[i] = 0;
        continue;
      }
      const pos = this.position[i]!, vel = this.velocity[i]!;
      const push = f((actions[i]! - 1) * force);
      const cos3 = sincosF32(f(3 * pos))[1];
      let v = f(vel + f(push + f(cos3 * negGravity)));
      v = Math.min(Math.max(v, -maxSpeed), maxSpeed);
      const x = Math.min(Math.max(f(pos + v), minPos), maxPos);
      if (x === minPos && v < 0) v = 0;
      this.position[i] = x;
      this.velocity[i] = v;
      this.steps[i] = this.steps[i]! + 1;
      const term = x >= goalPos && v >= goalVel;
      const trunc = this.steps[i]! >= p.maxEpisodeSteps;
      this.reward[i] = -1;
      this.terminated[i] = term ? 1 : 0;
      this.truncated[i] = trunc ? 1 : 0;
      this.autoresetPending[i] = term || trunc ? 1 : 0;
    }
  }

  /** Observations [numEnvs * 2], row i = (position, velocity) of env i. */
  observations(out: Float32Array = new Float32Array(this.numEnvs * MOUNTAIN_CAR_OBS_DIM)): Float32Array {
    for (let i = 0; i < this.numEnvs; i++) {
      out[i * 2] = this.position[i]!;
      out[i * 2 + 1] = this.velocity[i]!;
    }
    return out;
  }

  /** Overwrite (position, velocity) of every env from rows of 2 (steps and flags are kept). */
  setState(rows: ArrayLike<number>): void {
    if (rows.length !== this.numEnvs * 2) {
      throw new RangeError(`state must have length ${this.numEnvs * 2} (numEnvs * 2), got ${rows.length}`);
    }
    for (let i = 0; i < this.numEnvs; i++) {
      this.position[i] = rows[i * 2]!;
      this.velocity[i] = rows[i * 2 + 1]!;
    }
  }
}
