/** CartPole-v1 constants (Gymnasium; identical physics to gym 0.17). Shared by the CPU twin and the kernel. */
export interface CartPoleParams {
  gravity: number;
  massCart: number;
  massPole: number;
  /** Half the pole's length. */
  length: number;
  forceMag: number;
  tau: number;
  thetaThresholdRadians: number;
  xThreshold: number;
  maxEpisodeSteps: number;
  /** Reset draws each state component uniformly from [-resetBound, resetBound]. */
  resetBound: number;
}

export const CARTPOLE_V1: Readonly<CartPoleParams> = Object.freeze({
  gravity: 9.8,
  massCart: 1.0,
  massPole: 0.1,
  length: 0.5,
  forceMag: 10.0,
  tau: 0.02,
  thetaThresholdRadians: (12 * 2 * Math.PI) / 360,
  xThreshold: 2.4,
  maxEpisodeSteps: 500,
  resetBound: 0.05,
});

export const CARTPOLE_OBS_DIM = 4;
