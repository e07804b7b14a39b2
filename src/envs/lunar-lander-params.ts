/**
 * LunarLander-v2 constants (Gymnasium `LunarLander`, discrete actions, no wind), in Gymnasium's
 * units: pixel-like lengths are divided by `scale` to get metres.
 */
export interface LunarLanderParams {
  fps: number;
  /** Pixels per metre; also scales forces, so changing it changes the game. */
  scale: number;
  mainEnginePower: number;
  sideEnginePower: number;
  /** The initial force on the lander is uniform in [-initialRandom, initialRandom] on each axis. */
  initialRandom: number;
  /** Lander hull vertices in pixels, in Gymnasium's order. */
  landerPoly: readonly (readonly [number, number])[];
  /** Horizontal distance of each leg from the hull centre, pixels. */
  legAway: number;
  /** Leg joint anchor height on the leg, pixels; also shifts the observed y. */
  legDown: number;
  /** Half-width and half-height of a leg box, pixels (Box2D `box=` takes half extents). */
  legW: number;
  legH: number;
  /** Max motor torque of the leg joints. */
  legSpringTorque: number;
  sideEngineHeight: number;
  sideEngineAway: number;
  viewportW: number;
  viewportH: number;
  /** Vertical gravity (Gymnasium requires -12 < gravity < 0). */
  gravity: number;
  /** Terrain chunks. */
  chunks: number;
  /** World.step iterations: Gymnasium passes 6 * 30 and 2 * 30. */
  velocityIterations: number;
  positionIterations: number;
  maxEpisodeSteps: number;
}

export const LUNAR_LANDER_V2: Readonly<LunarLanderParams> = Object.freeze({
  fps: 50,
  scale: 30.0,
  mainEnginePower: 13.0,
  sideEnginePower: 0.6,
  initialRandom: 1000.0,
  landerPoly: Object.freeze(
    [
      [-14, 17],
      [-17, 0],
      [-17, -10],
      [17, -10],
      [17, 0],
      [14, 17],
    ].map((v) => Object.freeze(v as [number, number])),
  ),
  legAway: 20,
  legDown: 18,
  legW: 2,
  legH: 8,
  legSpringTorque: 40,
  sideEngineHeight: 14.0,
  sideEngineAway: 12.0,
  viewportW: 600,
  viewportH: 400,
  gravity: -10.0,
  chunks: 11,
  velocityIterations: 6 * 30,
  positionIterations: 2 * 30,
  maxEpisodeSteps: 1000,
});

/** Observation: [x, y, vx, vy, angle, angular velocity, leg 0 contact, leg 1 contact], normalised. */
export const LUNAR_LANDER_OBS_DIM = 8;
/** 0 noop, 1 left orientation engine, 2 main engine, 3 right orientation engine. */
export const LUNAR_LANDER_NUM_ACTIONS = 4;
