import { Box, Edge, Polygon, RevoluteJoint, Vec2, World, type Body } from 'planck';
import { rngUniform, Stream } from '../rng/counter-rng.ts';
import { EnvCounters } from './env-counters.ts';
import { checkDiscreteActions, type SizedBatchedEnv } from './env-types.ts';
import { LUNAR_LANDER_NUM_ACTIONS, LUNAR_LANDER_OBS_DIM, LUNAR_LANDER_V2, type LunarLanderParams } from './lunar-lander-params.ts';

/**
 * RNG step stride between episodes for the per-step engine dispersion draws: the draw of step t
 * (t = 0 is the step inside reset) of episode e uses RNG step e * DISPERSION_STRIDE + t, so
 * maxEpisodeSteps must stay below it.
 */
const DISPERSION_STRIDE = 2048;

/**
 * Gymnasium's shaping potential of an observation row (`state` starting at `offset`):
 * -100 |(x, y)| - 100 |(vx, vy)| - 100 |angle| + 10 leg0 + 10 leg1.
 */
export function lunarLanderShaping(state: ArrayLike<number>, offset = 0): number {
  const s = (k: number) => state[offset + k]!;
  return -100 * Math.sqrt(s(0) * s(0) + s(1) * s(1)) - 100 * Math.sqrt(s(2) * s(2) + s(3) * s(3)) - 100 * Math.abs(s(4)) + 10 * s(6) + 10 * s(7);
}

/**
 * Batched LunarLander-v2 (discrete), one planck.js (Box2D port) World per env, all stepped by one
 * `step(actions)` call. CPU only: there is no GPU twin, so this file follows Gymnasium's
 * lunar_lander.py line by line rather than mirroring a kernel.
 *
 * Semantics (Gymnasium `LunarLander`, `continuous=False`, no wind):
 * - Reset builds terrain (11 chunks, 12 heights uniform in [0, H/2], pad at H/4 over chunks 3..7,
 *   smoothed with Python's wrap-around index -1), the lander hull, two legs on motorised revolute
 *   joints, applies a random initial force, and then takes one no-op step (as Gymnasium's reset
 *   does); that step's shaping becomes `prev_shaping` and its reward is discarded.
 * - Each step fires the chosen engine with two dispersion draws, steps the world by 1/50 s with
 *   180 velocity and 60 position iterations, and computes the normalised observation and reward
 *   = shaping - prev_shaping - 0.3 main - 0.03 side; -100 and terminated if the hull touched the
 *   ground or |x| >= 1; +100 and terminated if the hull fell asleep (checked last, so it wins).
 *   Truncated after 1000 steps. Next-step autoreset as in every `BatchedEnv`.
 *
 * Random draws come from the counter RNG rather than numpy:
 * - reset of env i, episode e: height k in (seed, envReset, i * (chunks + 3) + k, e) for
 *   k = 0..chunks, initial force x / y at k = chunks + 1 / chunks + 2;
 * - dispersion j (0, 1) of step t of that episode: (seed, envNoise, i * 2 + j, e * 2048 + t).
 *
 * Known differences from Gymnasium: pybox2d computes in float32 and planck in float64, so
 * trajectories agree in distribution but not bit for bit. Gymnasium also spawns decorative
 * particle bodies for the side engines even when not rendering; they collide only with the static
 * ground, never with the lander or legs, so they cannot change the lander's motion and are not
 * simulated here.
 */
export class LunarLanderCpu extends EnvCounters implements SizedBatchedEnv {
  readonly obsDim = LUNAR_LANDER_OBS_DIM;
  readonly numActions = LUNAR_LANDER_NUM_ACTIONS;
  /** Ground contact of legs 0 and 1 per env, [numEnvs * 2], set by the contact listener. */
  readonly legContact: Uint32Array;
  /** 1 once the hull has touched the ground this episode (Gymnasium's `game_over`). */
  readonly gameOver: Uint32Array;
  /** Shaping of the previous step, float64 as in Gymnasium. */
  readonly prevShaping: Float64Array;
  /** Observations after the last step, [numEnvs * 8]. */
  private readonly obs: Float32Array;
  /** Float64 observation row of the env being stepped (Gymnasium computes rewards from it). */
  private readonly row = new Float64Array(LUNAR_LANDER_OBS_DIM);
  readonly worlds: World[] = [];
  readonly landers: Body[] = [];
  /** legs[i] = [leg 0 (Gymnasium's i = -1, on the +x side), leg 1]. */
  readonly legs: [Body, Body][] = [];
  /** World width and height in metres. */
  readonly W: number;
  readonly H: number;
  readonly helipadY: number;

  constructor(
    numEnvs: number,
    readonly params: Readonly<LunarLanderParams> = LUNAR_LANDER_V2,
  ) {
    super(numEnvs);
    if (!Number.isInteger(params.maxEpisodeSteps) || params.maxEpisodeSteps < 1 || params.maxEpisodeSteps >= DISPERSION_STRIDE) {
      throw new RangeError(`params.maxEpisodeSteps must be an integer in [1, ${DISPERSION_STRIDE - 1}], got ${params.maxEpisodeSteps}`);
    }
    this.legContact = new Uint32Array(numEnvs * 2);
    this.gameOver = new Uint32Array(numEnvs);
    this.prevShaping = new Float64Array(numEnvs);
    this.obs = new Float32Array(numEnvs * LUNAR_LANDER_OBS_DIM);
    this.W = params.viewportW / params.scale;
    this.H = params.viewportH / params.scale;
    this.helipadY = this.H / 4;
  }

  /** Reset every env with a new seed; returns the observations [numEnvs * 8]. */
  reset(seed: number): Float32Array {
    this.seed = seed >>> 0;
    this.episodes.fill(0);
    for (let i = 0; i < this.numEnvs; i++) this.resetEnv(i);
    return this.observations();
  }

  /** Gymnasium `LunarLander.reset`: a fresh world, then one no-op step to seed prev_shaping. */
  private resetEnv(i: number): void {
    const p = this.params,
      S = p.scale,
      W = this.W,
      H = this.H,
      e = this.episodes[i]!;
    const nk = p.chunks + 3;
    const draw = (k: number) => rngUniform(this.seed, Stream.envReset, i * nk + k, e);

    const world = new World({ gravity: new Vec2(0, p.gravity) });
    // Terrain: chunks + 1 heights so Python's height[-1] (the last one) smooths chunk 0.
    const CH = p.chunks;
    const height: number[] = [];
    for (let k = 0; k <= CH; k++) height.push((H / 2) * draw(k));
    const chunkX: number[] = [];
    for (let k = 0; k < CH; k++) chunkX.push((W / (CH - 1)) * k);
    const mid = Math.floor(CH / 2);
    for (let k = mid - 2; k <= mid + 2; k++) height[k] = this.helipadY;
    const smoothY: number[] = [];
    for (let k = 0; k < CH; k++) smoothY.push(0.33 * (height[(k - 1 + CH + 1) % (CH + 1)]! + height[k]! + height[k + 1]!));
    const moon = world.createBody();
    moon.createFixture({ shape: new Edge(new Vec2(0, 0), new Vec2(W, 0)) });
    for (let k = 0; k < CH - 1; k++) {
      moon.createFixture({
        shape: new Edge(new Vec2(chunkX[k]!, smoothY[k]!), new Vec2(chunkX[k + 1]!, smoothY[k + 1]!)),
        density: 0,
        friction: 0.1,
      });
    }

    const initialY = p.viewportH / S;
    const lander = world.createDynamicBody({ position: new Vec2(p.viewportW / S / 2, initialY), angle: 0 });
    lander.createFixture({
      shape: new Polygon(p.landerPoly.map(([x, y]) => new Vec2(x / S, y / S))),
      density: 5.0,
      friction: 0.1,
      filterCategoryBits: 0x0010,
      filterMaskBits: 0x001, // collide only with ground
      restitution: 0.0,
    });
    const r = p.initialRandom;
    lander.applyForceToCenter(new Vec2(-r + 2 * r * draw(CH + 1), -r + 2 * r * draw(CH + 2)), true);

    const legs: Body[] = [];
    for (const side of [-1, 1]) {
      const leg = world.createDynamicBody({
        position: new Vec2(p.viewportW / S / 2 - (side * p.legAway) / S, initialY),
        angle: side * 0.05,
      });
      leg.createFixture({
        shape: new Box(p.legW / S, p.legH / S),
        density: 1.0,
        restitution: 0.0,
        filterCategoryBits: 0x0020,
        filterMaskBits: 0x001,
      });
      world.createJoint(
        new RevoluteJoint({
          bodyA: lander,
          bodyB: leg,
          localAnchorA: new Vec2(0, 0),
          localAnchorB: new Vec2((side * p.legAway) / S, p.legDown / S),
          // pybox2d leaves referenceAngle at 0; planck would otherwise use the bodies' angle difference.
          referenceAngle: 0,
          enableMotor: true,
          enableLimit: true,
          maxMotorTorque: p.legSpringTorque,
          motorSpeed: 0.3 * side, // low enough not to jump back into the sky
          lowerAngle: side === -1 ? 0.9 - 0.5 : -0.9,
          upperAngle: side === -1 ? 0.9 : -0.9 + 0.5,
        }),
      );
      legs.push(leg);
    }
    const leg0 = legs[0]!,
      leg1 = legs[1]!;

    // Gymnasium's ContactDetector: hull contact ends the game, legs track ground contact.
    this.gameOver[i] = 0;
    this.legContact[2 * i] = 0;
    this.legContact[2 * i + 1] = 0;
    world.on('begin-contact', (c) => {
      const a = c.getFixtureA().getBody(),
        b = c.getFixtureB().getBody();
      if (a === lander || b === lander) this.gameOver[i] = 1;
      if (a === leg0 || b === leg0) this.legContact[2 * i] = 1;
      if (a === leg1 || b === leg1) this.legContact[2 * i + 1] = 1;
    });
    world.on('end-contact', (c) => {
      const a = c.getFixtureA().getBody(),
        b = c.getFixtureB().getBody();
      if (a === leg0 || b === leg0) this.legContact[2 * i] = 0;
      if (a === leg1 || b === leg1) this.legContact[2 * i + 1] = 0;
    });

    this.worlds[i] = world;
    this.landers[i] = lander;
    this.legs[i] = [leg0, leg1];
    this.steps[i] = 0;
    this.autoresetPending[i] = 0;
    this.episodes[i] = e + 1;
    // Gymnasium's reset returns self.step(0): physics moves once, prev_shaping is set.
    this.physicsStep(i, 0, 0);
  }

  /**
   * Gymnasium `LunarLander.step` for env i with dispersion draws at RNG step `t` of the current
   * episode: fires engines, steps the world, writes the observation, returns the shaped reward
   * (before the terminal overrides, which `step` applies).
   */
  private physicsStep(i: number, action: number, t: number): number {
    const p = this.params,
      S = p.scale,
      lander = this.landers[i]!;
    const key = ((this.episodes[i]! - 1) * DISPERSION_STRIDE + t) >>> 0;
    const d0 = (-1 + 2 * rngUniform(this.seed, Stream.envNoise, i * 2, key)) / S;
    const d1 = (-1 + 2 * rngUniform(this.seed, Stream.envNoise, i * 2 + 1, key)) / S;
    const angle = lander.getAngle();
    const tip0 = Math.sin(angle),
      tip1 = Math.cos(angle);
    const side0 = -tip1,
      side1 = tip0;
    const pos = lander.getPosition();

    let mPower = 0;
    if (action === 2) {
      mPower = 1.0;
      // 4 is move a bit downwards, +-2 for randomness
      const ox = tip0 * (4 / S + 2 * d0) + side0 * d1;
      const oy = -tip1 * (4 / S + 2 * d0) - side1 * d1;
      const at = new Vec2(pos.x + ox, pos.y + oy);
      lander.applyLinearImpulse(new Vec2(-ox * p.mainEnginePower * mPower, -oy * p.mainEnginePower * mPower), at, true);
    }
    let sPower = 0;
    if (action === 1 || action === 3) {
      const direction = action - 2;
      sPower = 1.0;
      const ox = tip0 * d0 + side0 * (3 * d1 + (direction * p.sideEngineAway) / S);
      const oy = -tip1 * d0 - side1 * (3 * d1 + (direction * p.sideEngineAway) / S);
      const at = new Vec2(pos.x + ox - (tip0 * 17) / S, pos.y + oy + (tip1 * p.sideEngineHeight) / S);
      lander.applyLinearImpulse(new Vec2(-ox * p.sideEnginePower * sPower, -oy * p.sideEnginePower * sPower), at, true);
    }

    this.worlds[i]!.step(1.0 / p.fps, p.velocityIterations, p.positionIterations);

    const np = lander.getPosition(),
      vel = lander.getLinearVelocity();
    const halfW = p.viewportW / S / 2,
      halfH = p.viewportH / S / 2;
    const s = this.row;
    s[0] = (np.x - halfW) / halfW;
    s[1] = (np.y - (this.helipadY + p.legDown / S)) / halfH;
    s[2] = (vel.x * halfW) / p.fps;
    s[3] = (vel.y * halfH) / p.fps;
    s[4] = lander.getAngle();
    s[5] = (20.0 * lander.getAngularVelocity()) / p.fps;
    s[6] = this.legContact[2 * i]!;
    s[7] = this.legContact[2 * i + 1]!;
    this.obs.set(s, i * LUNAR_LANDER_OBS_DIM);

    const shaping = lunarLanderShaping(s);
    const reward = shaping - this.prevShaping[i]! - mPower * 0.3 - sPower * 0.03;
    this.prevShaping[i] = shaping;
    return reward;
  }

  /** Advance every env by one step. `actions[i]`: 0 noop, 1 left engine, 2 main engine, 3 right engine. */
  step(actions: ArrayLike<number>): void {
    checkDiscreteActions(actions, this.numEnvs, LUNAR_LANDER_NUM_ACTIONS);
    for (let i = 0; i < this.numEnvs; i++) this.stepEnv(i, actions[i]!);
  }

  /** One step of env i (an autoreset if its episode ended on the last step). */
  private stepEnv(i: number, a: number): void {
    if (this.autoresetPending[i]) {
      this.autoreset(i, (j) => this.resetEnv(j));
      return;
    }
    this.steps[i] = this.steps[i]! + 1;
    let reward = this.physicsStep(i, a, this.steps[i]!);
    let term = false;
    if (this.gameOver[i] || Math.abs(this.row[0]!) >= 1.0) {
      term = true;
      reward = -100;
    }
    if (!this.landers[i]!.isAwake()) {
      term = true;
      reward = +100;
    }
    const trunc = this.steps[i]! >= this.params.maxEpisodeSteps;
    this.reward[i] = reward;
    this.terminated[i] = term ? 1 : 0;
    this.truncated[i] = trunc ? 1 : 0;
    this.autoresetPending[i] = term || trunc ? 1 : 0;
  }

  /**
   * Rebuild env i in episode `episode` (1-based, as `episodes` counts) of the current seed and replay
   * `actions` from its reset: the world, observation, reward and flags come out as they were (Box2D
   * is deterministic for the same inputs). Checkpoints of a LunarLander run hold this replay.
   */
  replay(i: number, episode: number, actions: readonly number[]): void {
    this.episodes[i] = episode - 1;
    this.autoresetPending[i] = 0;
    this.resetEnv(i);
    this.reward[i] = 0;
    this.terminated[i] = 0;
    this.truncated[i] = 0;
    for (const a of actions) this.stepEnv(i, a);
  }

  /** Observations [numEnvs * 8] after the last step (or reset). */
  observations(out: Float32Array = new Float32Array(this.numEnvs * LUNAR_LANDER_OBS_DIM)): Float32Array {
    out.set(this.obs);
    return out;
  }
}
