import { rngUniform, Stream } from '../rng/counter-rng.ts';
import { sincosF32 } from '../kernels/f32-math.ts';
import { CARTPOLE_V1, type CartPoleParams } from './cartpole-params.ts';
import type { EnvStore } from './env-types.ts';

const f = Math.fround;

/**
 * Batched CartPole-v1, CPU twin of shaders/cartpole-step.wgsl. Struct-of-arrays state, Gymnasium
 * `CartPoleVectorEnv` semantics: reward 1 on every step (the terminal one included), separate
 * terminated / truncated flags, next-step autoreset (an env that ended is reset by the following
 * `step`, which ignores its action and returns reward 0 and both flags false).
 * Arithmetic is rounded to f32 after every operation to mirror the kernel.
 * Reset draws come from the counter RNG keyed by (seed, envReset, env * 4 + component, episode).
 */
export class CartPoleCpu {
  readonly x: Float32Array;
  readonly xDot: Float32Array;
  readonly theta: Float32Array;
  readonly thetaDot: Float32Array;
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
  readonly obsDim = 4;
  readonly numActions = 2;

  /**
   * `store`: arrays to keep the state in, laid out as the kernel's buffers (state [4 x E] SoA,
   * counters [steps | episodes | autoresetPending | terminated | truncated] x E, reward [E]), so a
   * step program's CPU executor and its checkpoints see the env exactly as the device holds it.
   */
  constructor(
    readonly numEnvs: number,
    readonly params: CartPoleParams = CARTPOLE_V1,
    store: EnvStore = {
      state: new Float32Array(4 * numEnvs),
      counters: new Uint32Array(5 * numEnvs),
      reward: new Float32Array(numEnvs),
    },
  ) {
    if (!Number.isInteger(numEnvs) || numEnvs < 1) {
      throw new RangeError(`numEnvs must be an integer >= 1, got ${numEnvs}`);
    }
    const E = numEnvs;
    const s = (k: number) => store.state.subarray(k * E, (k + 1) * E);
    const c = (k: number) => store.counters.subarray(k * E, (k + 1) * E);
    [this.x, this.xDot, this.theta, this.thetaDot] = [s(0), s(1), s(2), s(3)];
    [this.steps, this.episodes, this.autoresetPending, this.terminated, this.truncated] = [c(0), c(1), c(2), c(3), c(4)];
    this.reward = store.reward;
  }

  /** Reset every env with a new seed; returns the observations [numEnvs * 4]. */
  reset(seed: number): Float32Array {
    this.seed = seed >>> 0;
    this.episodes.fill(0);
    for (let i = 0; i < this.numEnvs; i++) this.resetEnv(i);
    return this.observations();
  }

  private resetEnv(i: number): void {
    // Same rounding as the kernel: -b + (2b) * u in f32.
    const b = f(this.params.resetBound);
    const draw = (c: number) => f(-b + f(f(2 * b) * rngUniform(this.seed, Stream.envReset, i * 4 + c, this.episodes[i]!)));
    this.x[i] = draw(0);
    this.xDot[i] = draw(1);
    this.theta[i] = draw(2);
    this.thetaDot[i] = draw(3);
    this.steps[i] = 0;
    this.autoresetPending[i] = 0;
    this.episodes[i] = this.episodes[i]! + 1;
  }

  /** Advance every env by one step. `actions[i]` is 0 (push left) or 1 (push right). */
  step(actions: ArrayLike<number>): void {
    if (actions.length !== this.numEnvs) {
      throw new RangeError(`actions must have length ${this.numEnvs} (numEnvs), got ${actions.length}`);
    }
    const p = this.params;
    const totalMass = f(p.massPole + p.massCart);
    const poleMassLength = f(p.massPole * p.length);
    for (let i = 0; i < this.numEnvs; i++) {
      if (this.autoresetPending[i]) {
        this.resetEnv(i);
        this.reward[i] = 0;
        this.terminated[i] = 0;
        this.truncated[i] = 0;
        continue;
      }
      const x = this.x[i]!, xDot = this.xDot[i]!, theta = this.theta[i]!, thetaDot = this.thetaDot[i]!;
      const force = actions[i] === 1 ? f(p.forceMag) : f(-p.forceMag);
      const [sinT, cosT] = sincosF32(theta);
      const temp = f(f(force + f(f(poleMassLength * f(thetaDot * thetaDot)) * sinT)) / totalMass);
      const thetaAcc = f(
        f(f(f(p.gravity) * sinT) - f(cosT * temp)) /
          f(f(p.length) * f(f(4 / 3) - f(f(f(p.massPole) * f(cosT * cosT)) / totalMass))),
      );
      const xAcc = f(temp - f(f(f(poleMassLength * thetaAcc) * cosT) / totalMass));
      const tau = f(p.tau);
      this.x[i] = f(x + f(tau * xDot));
      this.xDot[i] = f(xDot + f(tau * xAcc));
      this.theta[i] = f(theta + f(tau * thetaDot));
      this.thetaDot[i] = f(thetaDot + f(tau * thetaAcc));
      this.steps[i] = this.steps[i]! + 1;
      const nx = this.x[i]!, nt = this.theta[i]!;
      const xT = f(p.xThreshold), thT = f(p.thetaThresholdRadians);
      const term = nx < -xT || nx > xT || nt < -thT || nt > thT;
      const trunc = this.steps[i]! >= p.maxEpisodeSteps;
      this.reward[i] = 1;
      this.terminated[i] = term ? 1 : 0;
      this.truncated[i] = trunc ? 1 : 0;
      this.autoresetPending[i] = term || trunc ? 1 : 0;
    }
  }

  /** Observations [numEnvs * 4], row i = (x, xDot, theta, thetaDot) of env i. */
  observations(out: Float32Array = new Float32Array(this.numEnvs * 4)): Float32Array {
    for (let i = 0; i < this.numEnvs; i++) {
      out[i * 4] = this.x[i]!;
      out[i * 4 + 1] = this.xDot[i]!;
      out[i * 4 + 2] = this.theta[i]!;
      out[i * 4 + 3] = this.thetaDot[i]!;
    }
    return out;
  }

  /** Overwrite the state of every env from observations [numEnvs * 4] (steps are kept). */
  setState(obs: ArrayLike<number>): void {
    if (obs.length !== this.numEnvs * 4) {
      throw new RangeError(`state must have length ${this.numEnvs * 4} (numEnvs * 4), got ${obs.length}`);
    }
    for (let i = 0; i < this.numEnvs; i++) {
      this.x[i] = obs[i * 4]!;
      this.xDot[i] = obs[i * 4 + 1]!;
      this.theta[i] = obs[i * 4 + 2]!;
      this.thetaDot[i] = obs[i * 4 + 3]!;
    }
  }
}
