/**
 * Acrobot-v1 constants (Gymnasium `AcrobotEnv`, "book" dynamics). Shared by the CPU twin and a
 * future kernel. Gymnasium's `torque_noise_max` is 0 by default, so torque noise is not modelled.
 */
export interface AcrobotParams {
  /** Seconds per env step; one RK4 step of this size per env step, as Gymnasium does. */
  dt: number;
  linkLength1: number;
  /** Only used for drawing in Gymnasium; kept for completeness. */
  linkLength2: number;
  linkMass1: number;
  linkMass2: number;
  /** Distance from each joint to its link's centre of mass. */
  linkComPos1: number;
  linkComPos2: number;
  /** Moment of inertia of both links. */
  linkMoi: number;
  gravity: number;
  /** Angular velocity bounds: dtheta1 in [-maxVel1, maxVel1], dtheta2 in [-maxVel2, maxVel2]. */
  maxVel1: number;
  maxVel2: number;
  /** Torque of action 0, 1, 2. */
  availTorque: readonly number[];
  maxEpisodeSteps: number;
  /** Reset draws each state component uniformly from [-resetBound, resetBound]. */
  resetBound: number;
}

export const ACROBOT_V1: Readonly<AcrobotParams> = Object.freeze({
  dt: 0.2,
  linkLength1: 1.0,
  linkLength2: 1.0,
  linkMass1: 1.0,
  linkMass2: 1.0,
  linkComPos1: 0.5,
  linkComPos2: 0.5,
  linkMoi: 1.0,
  gravity: 9.8,
  maxVel1: 4 * Math.PI,
  maxVel2: 9 * Math.PI,
  availTorque: Object.freeze([-1.0, 0.0, 1.0]),
  maxEpisodeSteps: 500,
  resetBound: 0.1,
});

/** Observation: [cos t1, sin t1, cos t2, sin t2, dt1, dt2]. */
export const ACROBOT_OBS_DIM = 6;
export const ACROBOT_NUM_ACTIONS = 3;
