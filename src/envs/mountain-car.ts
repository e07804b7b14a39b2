import { sincosF32 } from '../kernels/f32-math.ts';
import { rngUniform, Stream } from '../rng/counter-rng.ts';
import type { EnvStore } from './env-types.ts';
import { EnvTwin } from './env-twin.ts';

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
export class MountainCarCpu extends EnvTwin {
  readonly obsDim = MOUNTAIN_CAR_OBS_DIM;
  readonly numActions = MOUNTAIN_CAR_NUM_ACTIONS;
  readonly position: Float32Array;
  readonly velocity: Float32Array;

  /** `store`: the kernel's buffers (state [position | velocity] x E, counters, reward); see EnvTwin. */
  constructor(
    numEnvs: number,
    readonly params: Readonly<MountainCarParams> = MOUNTAIN_CAR_V0,
    store?: EnvStore,
  ) {
    super(numEnvs, 2, params.maxEpisodeSteps, store);
    [this.position, this.velocity] = this.components as [Float32Array, Float32Array];
  }

  protected drawReset(i: number): void {
    // Same rounding as the kernel: low + (high - low) * u in f32.
    const lo = f(this.params.resetLow),
      hi = f(this.params.resetHigh);
    this.position[i] = f(lo + f(f(hi - lo) * rngUniform(this.seed, Stream.envReset, i * 2, this.episodes[i]!)));
    this.velocity[i] = 0;
  }

  /** `action` is 0 (push left), 1 (no push) or 2 (push right). */
  protected advance(i: number, action: number): number {
    const p = this.params;
    const maxSpeed = f(p.maxSpeed),
      minPos = f(p.minPosition);
    const pos = this.position[i]!,
      vel = this.velocity[i]!;
    const push = f((action - 1) * f(p.force));
    const cos3 = sincosF32(f(3 * pos))[1];
    let v = f(vel + f(push + f(cos3 * f(-p.gravity))));
    v = Math.min(Math.max(v, -maxSpeed), maxSpeed);
    const x = Math.min(Math.max(f(pos + v), minPos), f(p.maxPosition));
    if (x === minPos && v < 0) v = 0;
    this.position[i] = x;
    this.velocity[i] = v;
    this.ended = x >= f(p.goalPosition) && v >= f(p.goalVelocity);
    return -1;
  }
}
