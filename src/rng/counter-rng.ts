/**
 * Counter-based RNG: a hash of (seed, stream, agent, step), bit-identical to shaders/rng.wgsl.
 * Every stochastic draw in the engine (spikes, resets, exploration) comes from this function, so a
 * run is reproducible from its seed and GPU kernels can be checked draw-for-draw against CPU twins.
 */

/** lowbias32 mixer; same constants as `rng_mix32` in WGSL. */
export function rngMix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** The u32 draw for (seed, stream, agent, step); all four are taken modulo 2^32. */
export function rngU32(seed: number, stream: number, agent: number, step: number): number {
  let h = rngMix32((seed ^ 0x9e3779b9) >>> 0);
  h = rngMix32((h ^ stream) >>> 0);
  h = rngMix32((h ^ agent) >>> 0);
  h = rngMix32((h ^ step) >>> 0);
  return h;
}

/**
 * The hash state after (seed, stream): rngU32(seed, stream, agent, step) equals
 * rngU32From(rngPrefix(seed, stream), agent, step). Loops that draw for many agents with one seed
 * and stream compute it once.
 */
export function rngPrefix(seed: number, stream: number): number {
  return rngMix32((rngMix32((seed ^ 0x9e3779b9) >>> 0) ^ stream) >>> 0);
}

/** rngU32 from a prefix (rngPrefix). */
export function rngU32From(prefix: number, agent: number, step: number): number {
  return rngMix32((rngMix32((prefix ^ agent) >>> 0) ^ step) >>> 0);
}

/** rngUniform from a prefix (rngPrefix). */
export function rngUniformFrom(prefix: number, agent: number, step: number): number {
  return (rngU32From(prefix, agent, step) >>> 8) * (1 / 16777216);
}

/** Uniform in [0, 1) on a 2^-24 grid (exactly representable in f32, equal to the WGSL value). */
export function rngUniform(seed: number, stream: number, agent: number, step: number): number {
  return (rngU32(seed, stream, agent, step) >>> 8) * (1 / 16777216);
}

/**
 * Named streams, so independent uses of the RNG never share draws. Kernels pass these numbers
 * as the `stream` argument; new users add a name here rather than picking a number ad hoc.
 */
export const Stream = {
  spike: 1,
  envReset: 2,
  envNoise: 3,
  init: 4,
  exploration: 5,
  data: 6,
  /** connectivity: which presynaptic units a neuron receives (agent = neuron). */
  wiring: 7,
  /** the GD baseline's initial weights in the authors' GD code's scheme (agent = replica). */
  gdInit: 8,
  /** statistics: random relabellings of a permutation test (src/analysis/two-sample.ts). */
  permutation: 9,
  /** chalk: does the input switch this step (agent = chain). */
  chalkInputSwitch: 40,
  /** chalk: which input value is drawn on a switch (agent = chain). */
  chalkInputValue: 41,
  /** chalk: which neuron updates in asynchronous mode (agent = chain). */
  chalkPick: 42,
  test: 99,
} as const;

/**
 * A sequential generator on top of the counter hash for CPU-only code (initialisation, data
 * shuffles): draw i of (seed, stream, agent) is rngU32(seed, stream, agent, i).
 */
export class CounterRng {
  private counter = 0;
  constructor(
    readonly seed: number,
    readonly stream: number = Stream.init,
    readonly agent: number = 0,
  ) {}
  u32(): number {
    return rngU32(this.seed, this.stream, this.agent, this.counter++);
  }
  /** Draws taken so far (the counter of the next draw); with seek, enough to checkpoint the generator. */
  get position(): number {
    return this.counter;
  }
  /** Continue from draw `position` (an integer >= 0). */
  seek(position: number): this {
    if (!Number.isInteger(position) || position < 0) throw new RangeError(`position must be an integer >= 0, got ${position}`);
    this.counter = position;
    return this;
  }
  /** Uniform in [0, 1). */
  uniform(): number {
    return (this.u32() >>> 8) * (1 / 16777216);
  }
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }
  /** Standard normal (Box-Muller on two draws; uses (u + 2^-25) so log never sees 0). */
  normal(): number {
    const u1 = this.uniform() + 2 ** -25;
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
