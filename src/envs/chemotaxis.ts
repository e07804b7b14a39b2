import { expNegF32, sincosF32 } from '../kernels/f32-math.ts';
import { rngUniform, Stream } from '../rng/counter-rng.ts';
import type { EnvStore } from './env-types.ts';
import { EnvTwin } from './env-twin.ts';

const f = Math.fround;

/**
 * Salt chemotaxis on a plane (klinotaxis / pirouettes of C. elegans, reduced to a point worm).
 * Lengths are in units of the gradient's width; one step is one sensory-motor update.
 */
export interface ChemotaxisParams {
  /** The salt peak. */
  peakX: number;
  peakY: number;
  /** The Gaussian's width: C(x, y) = exp(-d^2 / (2 sigma^2)), d the distance to the peak (C = 1 there). */
  sigma: number;
  /** A reset puts the worm at this distance from the peak, at a uniform angle, with a uniform heading. */
  startDistance: number;
  /** Distance per forward step. */
  speed: number;
  /** Distance per reversal step (backwards along the heading). */
  reverseSpeed: number;
  /** Heading change (radians) per spike of dorsal minus ventral head motor neurons. */
  steerGain: number;
  /** Extra heading change (radians) of a reversal step: reversal + turn, the pirouette. */
  pirouetteAngle: number;
  /** The sensory input: ASEL gets max(dC, 0) x obsGain, ASER max(-dC, 0) x obsGain. */
  obsGain: number;
  /** Reward per step: rewardGain x dC (the concentration gained; over an episode, rewardGain x (C_end - C_start)). */
  rewardGain: number;
  /** Success radius of the reports: an episode ends within it of the peak (not a termination). */
  successRadius: number;
  /** Moves per episode (truncation). An episode lasts maxEpisodeSteps x ticks env steps. */
  maxEpisodeSteps: number;
  /**
   * Neural ticks per move: the env is stepped once per network update (tick) but moves the worm
   * only every `ticks`-th step, on the motor spikes summed over those ticks (steering per spike
   * steerGain / ticks; reversal when AVA's summed spikes beat AVB's); between moves it pays no
   * reward and the observation (the last move's concentration change) is held. 1: one network
   * update per move, the original env.
   */
  ticks: number;
}

export const CHEMOTAXIS_V0: Readonly<ChemotaxisParams> = Object.freeze({
  peakX: 0,
  peakY: 0,
  sigma: 1,
  startDistance: 1.5,
  speed: 0.05,
  reverseSpeed: 0.025,
  steerGain: 0.2,
  pirouetteAngle: 1,
  obsGain: 30,
  rewardGain: 100,
  successRadius: 0.5,
  maxEpisodeSteps: 100,
  ticks: 1,
});

/** The largest `ticks` (neural updates per move) an experiment may ask for. */
export const CHEMOTAXIS_MAX_TICKS = 16;

/** The env's params with `ticks` neural updates per move. */
export function chemotaxisParams(ticks: number): Readonly<ChemotaxisParams> {
  if (!Number.isInteger(ticks) || ticks < 1 || ticks > CHEMOTAXIS_MAX_TICKS) throw new RangeError(`ticks must be an integer in [1, ${CHEMOTAXIS_MAX_TICKS}], got ${ticks}`);
  return ticks === 1 ? CHEMOTAXIS_V0 : Object.freeze({ ...CHEMOTAXIS_V0, ticks });
}

/** State floats per env: x, y, heading, C, dC, and the motor spikes summed since the last move (forward, reversal, turn). */
export const CHEMOTAXIS_STATE_FLOATS = 8;

/** Observation: [ASEL drive (concentration rose), ASER drive (concentration fell)]. */
export const CHEMOTAXIS_OBS_DIM = 2;
/**
 * Act slots read per env (one spike each): AVB L/R (forward), AVA L/R (reversal), SMDD L/R, RMDD
 * L/R (dorsal), SMDV L/R, RMDV L/R (ventral): `CHEMOTAXIS_OUTPUTS` in src/connectome/celegans.ts.
 */
export const CHEMOTAXIS_ACT_SLOTS = 12;

/** The 12 slots as a bit mask (bit s: slot s > 0.5), the twin's action; the kernel reads the slots the same way. */
export function chemotaxisAction(actIn: ArrayLike<number>, base: number): number {
  let m = 0;
  for (let s = 0; s < CHEMOTAXIS_ACT_SLOTS; s++) if (actIn[base + s]! > 0.5) m |= 1 << s;
  return m;
}

/** The concentration an episode must end at or above to count as within `successRadius` of the peak. */
export function successConcentration(p: Readonly<ChemotaxisParams> = CHEMOTAXIS_V0): number {
  return expNegF32(f(f(p.successRadius * p.successRadius) * f(1 / (2 * p.sigma * p.sigma))));
}

/** The concentration at the start of every episode (the worm starts at `startDistance`; up to f32 rounding of its position). */
export function startConcentration(p: Readonly<ChemotaxisParams> = CHEMOTAXIS_V0): number {
  return Math.exp(-(p.startDistance * p.startDistance) / (2 * p.sigma * p.sigma));
}

/**
 * Batched chemotaxis, CPU twin of shaders/chemotaxis-step.wgsl (`CHEMOTAXIS_STEP`). State per env
 * [x | y | heading | C | dC | fwd | rev | turn] x E. One step adds the 12 motor spikes to the sums
 *
 *     fwd += AVBL + AVBR, rev += AVAL + AVAR, turn += (SMDD + RMDD spikes) - (SMDV + RMDV spikes)
 *
 * and, on every `ticks`-th step of the episode (every step when ticks = 1), moves and clears them:
 *
 *     rev > fwd: heading += pirouetteAngle + (steerGain / ticks) * turn; v = -reverseSpeed  (reversal)
 *     else:      heading += (steerGain / ticks) * turn;                   v = speed         (forward)
 *     (x, y) += v (cos heading, sin heading)
 *     C' = exp(-|(x, y) - peak|^2 / (2 sigma^2)); dC = C' - C; reward = rewardGain * dC
 *
 * Steps between moves pay 0 and leave C and dC (so the observation) as they were. No terminal
 * state; truncated at maxEpisodeSteps x ticks steps; next-step autoreset. f32 after every operation
 * in the kernel's order; sin/cos and exp from the shared polynomials (`sincosF32`, `expNegF32`).
 * Reset draws (seed, envReset, env * 5 + c, episode), c = 0: start angle, 1: heading.
 */
export class ChemotaxisCpu extends EnvTwin {
  readonly obsDim = CHEMOTAXIS_OBS_DIM;
  readonly numActions = 1 << CHEMOTAXIS_ACT_SLOTS;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly heading: Float32Array;
  readonly conc: Float32Array;
  readonly dConc: Float32Array;
  /** Motor spikes summed since the last move: forward (AVB), reversal (AVA), dorsal minus ventral. */
  readonly fwdSum: Float32Array;
  readonly revSum: Float32Array;
  readonly turnSum: Float32Array;

  constructor(
    numEnvs: number,
    readonly params: Readonly<ChemotaxisParams> = CHEMOTAXIS_V0,
    store?: EnvStore,
  ) {
    super(numEnvs, CHEMOTAXIS_STATE_FLOATS, params.maxEpisodeSteps * params.ticks, store);
    [this.x, this.y, this.heading, this.conc, this.dConc, this.fwdSum, this.revSum, this.turnSum] = this.components as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ];
  }

  private concentration(x: number, y: number): number {
    const p = this.params;
    const dx = f(x - f(p.peakX)),
      dy = f(y - f(p.peakY));
    return expNegF32(f(f(f(dx * dx) + f(dy * dy)) * f(1 / (2 * p.sigma * p.sigma))));
  }

  protected drawReset(i: number): void {
    const p = this.params;
    const TAU = f(2 * Math.PI),
      PI = f(Math.PI);
    const ep = this.episodes[i]!;
    const angle = f(TAU * rngUniform(this.seed, Stream.envReset, i * 5, ep));
    const [s, c] = sincosF32(angle);
    this.x[i] = f(f(p.peakX) + f(f(p.startDistance) * c));
    this.y[i] = f(f(p.peakY) + f(f(p.startDistance) * s));
    this.heading[i] = f(f(TAU * rngUniform(this.seed, Stream.envReset, i * 5 + 1, ep)) - PI);
    this.conc[i] = this.concentration(this.x[i]!, this.y[i]!);
    this.dConc[i] = 0;
    this.fwdSum[i] = 0;
    this.revSum[i] = 0;
    this.turnSum[i] = 0;
  }

  /** `action`: the 12 motor spikes as a bit mask (`chemotaxisAction`). */
  protected advance(i: number, action: number): number {
    const p = this.params;
    const bit = (s: number) => (action >> s) & 1;
    const fwd = f(this.fwdSum[i]! + (bit(0) + bit(1))),
      rev = f(this.revSum[i]! + (bit(2) + bit(3)));
    const turn = f(this.turnSum[i]! + (bit(4) + bit(5) + bit(6) + bit(7) - (bit(8) + bit(9) + bit(10) + bit(11))));
    if ((this.steps[i]! + 1) % p.ticks !== 0) {
      this.fwdSum[i] = fwd;
      this.revSum[i] = rev;
      this.turnSum[i] = turn;
      return 0;
    }
    this.fwdSum[i] = 0;
    this.revSum[i] = 0;
    this.turnSum[i] = 0;
    const steer = f(p.steerGain / p.ticks);
    let h = this.heading[i]!,
      v: number;
    if (rev > fwd) {
      h = f(h + f(f(p.pirouetteAngle) + f(steer * turn)));
      v = -f(p.reverseSpeed);
    } else {
      h = f(h + f(steer * turn));
      v = f(p.speed);
    }
    const [s, c] = sincosF32(h);
    const x = f(this.x[i]! + f(v * c)),
      y = f(this.y[i]! + f(v * s));
    const cNew = this.concentration(x, y);
    const dc = f(cNew - this.conc[i]!);
    this.x[i] = x;
    this.y[i] = y;
    this.heading[i] = h;
    this.conc[i] = cNew;
    this.dConc[i] = dc;
    return f(f(p.rewardGain) * dc);
  }

  observations(out: Float32Array = new Float32Array(this.numEnvs * CHEMOTAXIS_OBS_DIM)): Float32Array {
    const g = f(this.params.obsGain);
    for (let i = 0; i < this.numEnvs; i++) {
      const dc = this.dConc[i]!;
      out[i * 2] = f(Math.max(dc, 0) * g);
      out[i * 2 + 1] = f(Math.max(-dc, 0) * g);
    }
    return out;
  }
}
