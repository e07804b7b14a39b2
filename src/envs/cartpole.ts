import { rngUniform, Stream } from '../rng/counter-rng.ts';
import { sincosF32 } from '../kernels/f32-math.ts';
import { CARTPOLE_V1, type CartPoleParams } from './cartpole-params.ts';
import { checkActions, type EnvStore } from './env-types.ts';
import { EnvTwin } from './env-twin.ts';

const f = Math.fround;

/**
 * Batched CartPole-v1, CPU twin of shaders/cartpole-step.wgsl. Struct-of-arrays state, Gymnasium
 * `CartPoleVectorEnv` semantics: reward 1 on every step (the terminal one included), separate
 * terminated / truncated flags, next-step autoreset (an env that ended is reset by the following
 * `step`, which ignores its action and returns reward 0 and both flags false).
 * Arithmetic is rounded to f32 after every operation to mirror the kernel.
 * Reset draws come from the counter RNG keyed by (seed, envReset, env * 4 + component, episode).
 */
export class CartPoleCpu extends EnvTwin {
  readonly x: Float32Array;
  readonly xDot: Float32Array;
  readonly theta: Float32Array;
  readonly thetaDot: Float32Array;
  readonly obsDim = 4;
  readonly numActions = 2;

  /** `store`: the kernel's buffers (state [x | xDot | theta | thetaDot] x E, counters, reward); see EnvTwin. */
  constructor(
    numEnvs: number,
    readonly params: CartPoleParams = CARTPOLE_V1,
    store?: EnvStore,
  ) {
    super(numEnvs, 4, params.maxEpisodeSteps, store);
    [this.x, this.xDot, this.theta, this.thetaDot] = this.components as [Float32Array, Float32Array, Float32Array, Float32Array];
  }

  /** Any action other than 1 pushes left (the kernel reads `> 0.5`); only the length is checked. */
  protected checkStepActions(actions: ArrayLike<number>): void {
    checkActions(actions, this.numEnvs);
  }

  protected drawReset(i: number): void {
    // Same rounding as the kernel: -b + (2b) * u in f32.
    const b = f(this.params.resetBound);
    const draw = (c: number) => f(-b + f(f(2 * b) * rngUniform(this.seed, Stream.envReset, i * 4 + c, this.episodes[i]!)));
    this.x[i] = draw(0);
    this.xDot[i] = draw(1);
    this.theta[i] = draw(2);
    this.thetaDot[i] = draw(3);
  }

  /** `action` 1 pushes right, 0 left. */
  protected advance(i: number, action: number): number {
    const p = this.params;
    const totalMass = f(p.massPole + p.massCart);
    const poleMassLength = f(p.massPole * p.length);
    const x = this.x[i]!,
      xDot = this.xDot[i]!,
      theta = this.theta[i]!,
      thetaDot = this.thetaDot[i]!;
    const force = action === 1 ? f(p.forceMag) : f(-p.forceMag);
    const [sinT, cosT] = sincosF32(theta);
    const temp = f(f(force + f(f(poleMassLength * f(thetaDot * thetaDot)) * sinT)) / totalMass);
    const thetaAcc = f(f(f(f(p.gravity) * sinT) - f(cosT * temp)) / f(f(p.length) * f(f(4 / 3) - f(f(f(p.massPole) * f(cosT * cosT)) / totalMass))));
    const xAcc = f(temp - f(f(f(poleMassLength * thetaAcc) * cosT) / totalMass));
    const tau = f(p.tau);
    this.x[i] = f(x + f(tau * xDot));
    this.xDot[i] = f(xDot + f(tau * xAcc));
    this.theta[i] = f(theta + f(tau * thetaDot));
    this.thetaDot[i] = f(thetaDot + f(tau * thetaAcc));
    const nx = this.x[i]!,
      nt = this.theta[i]!;
    const xT = f(p.xThreshold),
      thT = f(p.thetaThresholdRadians);
    this.ended = nx < -xT || nx > xT || nt < -thT || nt > thT;
    return 1;
  }
}
