import { sincosF32 } from '../kernels/f32-math.ts';
import { rngUniform, Stream } from '../rng/counter-rng.ts';
import { ACROBOT_NUM_ACTIONS, ACROBOT_OBS_DIM, ACROBOT_V1, type AcrobotParams } from './acrobot-params.ts';
import type { EnvStore } from './env-types.ts';
import { EnvTwin } from './env-twin.ts';

const f = Math.fround;

/**
 * Batched Acrobot-v1, CPU twin of shaders/acrobot-step.wgsl (`AcrobotGpu`). Gymnasium `AcrobotEnv`
 * semantics: "book" dynamics integrated by one RK4 step of dt = 0.2 per env step, angles wrapped to
 * [-pi, pi], velocities clipped to +-4pi / +-9pi, reward -1 per step and 0 on the terminal step,
 * terminated when -cos(t1) - cos(t1 + t2) > 1, truncated at 500 steps, next-step autoreset (see
 * `BatchedEnv`).
 *
 * Gymnasium integrates in float64; this twin rounds to f32 after every operation in the kernel's
 * order and keeps the state in f32. Constant products of the link parameters are folded in float64
 * and rounded once (`AcrobotConsts`); the kernel receives the same folded constants. sin and cos
 * come from `sincosF32`, bit-identical to the kernels' `sincos` (shaders/common.wgsl).
 * Reset draws come from the counter RNG keyed by (seed, envReset, env * 4 + component, episode),
 * component order (theta1, theta2, dtheta1, dtheta2), each -b + (2b) * u in f32 as in the kernel.
 */
export class AcrobotCpu extends EnvTwin {
  readonly obsDim = ACROBOT_OBS_DIM;
  readonly numActions = ACROBOT_NUM_ACTIONS;
  /** Angle of link 1 from straight down, in [-pi, pi]. */
  readonly theta1: Float32Array;
  /** Angle of link 2 relative to link 1, in [-pi, pi]. */
  readonly theta2: Float32Array;
  readonly dtheta1: Float32Array;
  readonly dtheta2: Float32Array;
  private readonly c: AcrobotConsts;
  // Scratch for one RK4 step: stage state and the four derivative vectors.
  private readonly y = new Float32Array(4);
  private readonly k1 = new Float32Array(4);
  private readonly k2 = new Float32Array(4);
  private readonly k3 = new Float32Array(4);
  private readonly k4 = new Float32Array(4);

  /** `store`: the kernel's buffers (state [theta1 | theta2 | dtheta1 | dtheta2] x E, counters, reward); see EnvTwin. */
  constructor(
    numEnvs: number,
    readonly params: Readonly<AcrobotParams> = ACROBOT_V1,
    store?: EnvStore,
  ) {
    super(numEnvs, 4, params.maxEpisodeSteps, store);
    [this.theta1, this.theta2, this.dtheta1, this.dtheta2] = this.components as [Float32Array, Float32Array, Float32Array, Float32Array];
    this.c = acrobotConsts(params);
  }

  protected drawReset(i: number): void {
    // Same rounding as the kernel: -b + (2b) * u in f32.
    const b = f(this.params.resetBound);
    const draw = (c: number) => f(-b + f(f(2 * b) * rngUniform(this.seed, Stream.envReset, i * 4 + c, this.episodes[i]!)));
    this.theta1[i] = draw(0);
    this.theta2[i] = draw(1);
    this.dtheta1[i] = draw(2);
    this.dtheta2[i] = draw(3);
  }

  /** `action` is 0, 1 or 2 (torque -1, 0, +1): one RK4 step of dt. */
  protected advance(i: number, a: number): number {
    const c = this.c;
    const { y, k1, k2, k3, k4 } = this;
    const torque = f(this.params.availTorque[a]!);
    const s0 = this.theta1[i]!,
      s1 = this.theta2[i]!,
      s2 = this.dtheta1[i]!,
      s3 = this.dtheta2[i]!;
    // rk4(derivs, s, [0, dt]) from gymnasium/envs/classic_control/acrobot.py, one interval.
    acrobotDerivs(c, s0, s1, s2, s3, torque, k1);
    y[0] = f(s0 + f(c.halfDt * k1[0]!));
    y[1] = f(s1 + f(c.halfDt * k1[1]!));
    y[2] = f(s2 + f(c.halfDt * k1[2]!));
    y[3] = f(s3 + f(c.halfDt * k1[3]!));
    acrobotDerivs(c, y[0]!, y[1]!, y[2]!, y[3]!, torque, k2);
    y[0] = f(s0 + f(c.halfDt * k2[0]!));
    y[1] = f(s1 + f(c.halfDt * k2[1]!));
    y[2] = f(s2 + f(c.halfDt * k2[2]!));
    y[3] = f(s3 + f(c.halfDt * k2[3]!));
    acrobotDerivs(c, y[0]!, y[1]!, y[2]!, y[3]!, torque, k3);
    y[0] = f(s0 + f(c.dt * k3[0]!));
    y[1] = f(s1 + f(c.dt * k3[1]!));
    y[2] = f(s2 + f(c.dt * k3[2]!));
    y[3] = f(s3 + f(c.dt * k3[3]!));
    acrobotDerivs(c, y[0]!, y[1]!, y[2]!, y[3]!, torque, k4);
    // y0 + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4), summed left to right as numpy does.
    const comb = (j: number) => f(f(f(k1[j]! + f(2 * k2[j]!)) + f(2 * k3[j]!)) + k4[j]!);
    const t1 = wrapAngle(f(s0 + f(c.sixthDt * comb(0))), c);
    const t2 = wrapAngle(f(s1 + f(c.sixthDt * comb(1))), c);
    this.theta1[i] = t1;
    this.theta2[i] = t2;
    this.dtheta1[i] = Math.min(Math.max(f(s2 + f(c.sixthDt * comb(2))), -c.maxVel1), c.maxVel1);
    this.dtheta2[i] = Math.min(Math.max(f(s3 + f(c.sixthDt * comb(3))), -c.maxVel2), c.maxVel2);
    this.ended = f(-sincosF32(t1)[1] - sincosF32(f(t1 + t2))[1]) > 1;
    return this.ended ? 0 : -1;
  }

  /** Observations [numEnvs * 6], row i = (cos t1, sin t1, cos t2, sin t2, dt1, dt2) of env i. */
  observations(out: Float32Array = new Float32Array(this.numEnvs * ACROBOT_OBS_DIM)): Float32Array {
    for (let i = 0; i < this.numEnvs; i++) {
      const [s1, c1] = sincosF32(this.theta1[i]!),
        [s2, c2] = sincosF32(this.theta2[i]!),
        o = i * ACROBOT_OBS_DIM;
      out[o] = c1;
      out[o + 1] = s1;
      out[o + 2] = c2;
      out[o + 3] = s2;
      out[o + 4] = this.dtheta1[i]!;
      out[o + 5] = this.dtheta2[i]!;
    }
    return out;
  }
}

/**
 * f32 constants of the dynamics, folded in float64 from the link parameters and rounded once.
 * Names follow `_dsdt` in Gymnasium: d1 = d1c + 2 * b * cos(t2), d2 = d2c + b * cos(t2), etc.
 */
export interface AcrobotConsts {
  /** m1*lc1^2 + m2*(l1^2 + lc2^2) + I1 + I2 */
  d1c: number;
  /** m2*lc2^2 + I2 (also the first term of ddt2's denominator) */
  d2c: number;
  /** m2*l1*lc2 */
  b: number;
  /** 2*m2*l1*lc2 */
  twoB: number;
  /** m2*lc2*g */
  phi2c: number;
  /** (m1*lc1 + m2*l1)*g */
  phi1c: number;
  halfPi: number;
  pi: number;
  twoPi: number;
  dt: number;
  halfDt: number;
  sixthDt: number;
  maxVel1: number;
  maxVel2: number;
}

/** Fold the link parameters into the f32 constants the step uses. */
export function acrobotConsts(p: Readonly<AcrobotParams>): AcrobotConsts {
  const m1 = p.linkMass1,
    m2 = p.linkMass2,
    l1 = p.linkLength1,
    lc1 = p.linkComPos1,
    lc2 = p.linkComPos2;
  const I = p.linkMoi,
    g = p.gravity;
  return {
    d1c: f(m1 * lc1 ** 2 + m2 * (l1 ** 2 + lc2 ** 2) + I + I),
    d2c: f(m2 * lc2 ** 2 + I),
    b: f(m2 * l1 * lc2),
    twoB: f(2 * m2 * l1 * lc2),
    phi2c: f(m2 * lc2 * g),
    phi1c: f((m1 * lc1 + m2 * l1) * g),
    halfPi: f(Math.PI / 2),
    pi: f(Math.PI),
    twoPi: f(2 * Math.PI),
    dt: f(p.dt),
    halfDt: f(p.dt / 2),
    sixthDt: f(p.dt / 6),
    maxVel1: f(p.maxVel1),
    maxVel2: f(p.maxVel2),
  };
}

/**
 * Time derivative of (t1, t2, dt1, dt2) under torque `a` ("book" dynamics), in f32; writes
 * (dt1, dt2, ddt1, ddt2) to `out`.
 */
export function acrobotDerivs(c: AcrobotConsts, t1: number, t2: number, dt1: number, dt2: number, a: number, out: Float32Array): void {
  const [sin2, cos2] = sincosF32(t2);
  const d1 = f(c.d1c + f(c.twoB * cos2));
  const d2 = f(c.d2c + f(c.b * cos2));
  const phi2 = f(c.phi2c * sincosF32(f(f(t1 + t2) - c.halfPi))[1]);
  const phi1 = f(f(f(f(-c.b * f(f(dt2 * dt2) * sin2)) - f(c.twoB * f(f(dt2 * dt1) * sin2))) + f(c.phi1c * sincosF32(f(t1 - c.halfPi))[1])) + phi2);
  const num = f(f(f(a + f(f(d2 / d1) * phi1)) - f(c.b * f(f(dt1 * dt1) * sin2))) - phi2);
  const ddt2 = f(num / f(c.d2c - f(f(d2 * d2) / d1)));
  const ddt1 = f(-f(f(f(d2 * ddt2) + phi1) / d1));
  out[0] = dt1;
  out[1] = dt2;
  out[2] = ddt1;
  out[3] = ddt2;
}

/**
 * Gymnasium's `wrap(x, -pi, pi)`: add or subtract 2pi until x lies in [-pi, pi]. A step that no
 * longer moves x (+-Infinity, or |x| so large that 2pi is below half an ulp) stops the loop, which
 * would otherwise never end; the kernel's `wrap_angle` does the same.
 */
function wrapAngle(x: number, c: AcrobotConsts): number {
  while (x > c.pi) {
    const n = f(x - c.twoPi);
    if (n === x) break;
    x = n;
  }
  while (x < -c.pi) {
    const n = f(x + c.twoPi);
    if (n === x) break;
    x = n;
  }
  return x;
}
