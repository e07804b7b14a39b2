/** Configs and presets for the chalk entry points (examples (a) counts and (b) pixels). */
import { EXACT_DEFAULTS, type ExactSolverConfig, validateExactSolverConfig } from './exact-solver.ts';
import type { CountReward, UpdateMode } from './problem.ts';
import { LOGISTIC_DEFAULTS, LOGISTIC_MAX_NEURONS, type LogisticConfig, validateLogisticConfig } from './logistic-learner.ts';
import { SAMPLING_DEFAULTS, type SamplingConfig, validateSamplingConfig } from './sampling-learner.ts';

/** Example (a): N neurons, binary input x in {-1, +1}, reward on the spike count. */
export interface ChalkCountsConfig {
  /** Number of neurons N; integer in [1, 12]. */
  neurons: number;
  /** Coding-cost weight lambda (reward units per nat); > 0. */
  lambda: number;
  /** Target spike count for x = -1 and x = +1; integers in [0, N]. */
  targets: [number, number];
  /** 'exact': 1 if count == target(x) else 0; 'smooth': -|count - target(x)|. */
  reward: CountReward;
  /** Probability per step that x is redrawn from p(x); in (0, 1]. */
  switchProb: number;
  /** p(x = +1); in (0, 1). */
  pInputPlus: number;
  /** 'exact' (enumerated soft RVI + Blahut-Arimoto) or 'sampled' (parallel-chain actor-critic). */
  solver: 'exact' | 'sampled';
  /** Seed for every random draw (sampler, symmetry breaking, spike trains). */
  seed: number;
  /** Exact-solver settings (see ExactSolverConfig). */
  exact: ExactSolverConfig;
  /** Sampling-learner settings (see SamplingConfig). */
  sampled: SamplingConfig;
  /** Network updates: 'async' (one neuron per step) or 'sync' (all; exact solver N <= 10, logistic learner). */
  update: UpdateMode;
  /** Sampled solver's policy class: 'tabular' (views, N <= 12) or 'logistic' (count features, any N; CPU or WebGPU). */
  policy: 'tabular' | 'logistic';
  /** Logistic-learner settings (see LogisticConfig). */
  logistic: LogisticConfig;
}

/** Example (b): P pixels, P neurons, reward log q(y | sigma) for y = [more than P/2 pixels active]. */
export interface ChalkPixelsConfig {
  /** Number of pixels = number of neurons; integer in [1, 10]. */
  pixels: number;
  /** Coding-cost weight lambda; > 0. */
  lambda: number;
  /** Probability that each pixel is active; in (0, 1). */
  pixelProb: number;
  /** Probability per step that a fresh image is drawn; in (0, 1]. */
  switchProb: number;
  /** 'count': inputs reduced to the number of active pixels (exact, fast); 'pixels': all 2^P patterns. */
  inputMode: 'count' | 'pixels';
  /** Slope of the initial decoder q(y=+1|sigma) = logistic(slope (count - P/2)) that seeds the loop; > 0. */
  decoderSlope: number;
  /** log q(y|sigma) is floored at this value (finite rewards for impossible codes); < 0. */
  logFloor: number;
  /** Seed (symmetry breaking). */
  seed: number;
  /** Exact-solver settings. */
  exact: ExactSolverConfig;
}

/** Preset (a): 8 neurons, targets 2 (x=-1) and 6 (x=+1), input switching every ~50 steps. */
export const CHALK_COUNTS_PRESET: Readonly<ChalkCountsConfig> = Object.freeze({
  neurons: 8,
  lambda: 0.15,
  targets: [2, 6] as [number, number],
  reward: 'exact' as CountReward,
  switchProb: 0.02,
  pInputPlus: 0.5,
  solver: 'exact' as const,
  seed: 1,
  exact: { ...EXACT_DEFAULTS },
  sampled: { ...SAMPLING_DEFAULTS },
  update: 'async' as UpdateMode,
  policy: 'tabular' as const,
  logistic: { ...LOGISTIC_DEFAULTS, countBins: 8 },
});

/** Preset (b): 7 pixels / 7 neurons, pixels active with probability 1/2, new image every ~20 steps. */
export const CHALK_PIXELS_PRESET: Readonly<ChalkPixelsConfig> = Object.freeze({
  pixels: 7,
  lambda: 0.1,
  pixelProb: 0.5,
  switchProb: 0.05,
  inputMode: 'count' as const,
  decoderSlope: 1,
  logFloor: -10,
  seed: 1,
  exact: { ...EXACT_DEFAULTS, valueTol: 1e-8, marginalTol: 1e-6, maxRounds: 300, stationaryTol: 1e-10 },
});

/** Lambda sweeps used by the presets' reward-vs-coding-cost curves. */
export const CHALK_COUNTS_SWEEP = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2] as const;
export const CHALK_PIXELS_SWEEP = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5] as const;

/** Throws RangeError naming the field and its allowed range. */
export function validateChalkCountsConfig(c: ChalkCountsConfig): void {
  if (c.policy !== 'tabular' && c.policy !== 'logistic') throw new RangeError(`policy must be 'tabular' or 'logistic', got ${c.policy}`);
  if (c.policy === 'logistic') {
    if (!Number.isInteger(c.neurons) || c.neurons < 1 || c.neurons > LOGISTIC_MAX_NEURONS)
      throw new RangeError(`neurons must be an integer in [1, ${LOGISTIC_MAX_NEURONS}] with policy 'logistic', got ${c.neurons}`);
  } else if (!Number.isInteger(c.neurons) || c.neurons < 1 || c.neurons > 12) {
    throw new RangeError(`neurons must be an integer in [1, 12] with policy 'tabular' (2^N states; use policy 'logistic' for larger N), got ${c.neurons}`);
  }
  if (c.update !== 'async' && c.update !== 'sync') throw new RangeError(`update must be 'async' or 'sync', got ${c.update}`);
  if (c.policy === 'tabular' && c.update === 'sync' && c.solver === 'exact' && c.neurons > 10) throw new RangeError(`neurons must be <= 10 for the synchronous exact solver, got ${c.neurons}`);
  if (c.policy === 'tabular' && c.update === 'sync' && c.solver === 'sampled')
    throw new RangeError(`update 'sync' with the sampled solver needs policy 'logistic' (the tabular sampler is asynchronous)`);
  if (c.policy === 'logistic' && c.solver === 'exact') throw new RangeError(`policy 'logistic' is a sampled solver: use solver 'sampled'`);
  if (!(c.lambda > 0) || !Number.isFinite(c.lambda)) throw new RangeError(`lambda must be a finite number > 0, got ${c.lambda}`);
  if (!Array.isArray(c.targets) || c.targets.length !== 2) throw new RangeError(`targets must be [target for x=-1, target for x=+1]`);
  for (const t of c.targets) {
    if (!Number.isInteger(t) || t < 0 || t > c.neurons) throw new RangeError(`targets must be integers in [0, ${c.neurons}], got ${t}`);
  }
  if (c.reward !== 'exact' && c.reward !== 'smooth') throw new RangeError(`reward must be 'exact' or 'smooth', got ${c.reward}`);
  if (!(c.switchProb > 0 && c.switchProb <= 1)) throw new RangeError(`switchProb must be in (0, 1], got ${c.switchProb}`);
  if (!(c.pInputPlus > 0 && c.pInputPlus < 1)) throw new RangeError(`pInputPlus must be in (0, 1), got ${c.pInputPlus}`);
  if (c.solver !== 'exact' && c.solver !== 'sampled') throw new RangeError(`solver must be 'exact' or 'sampled', got ${c.solver}`);
  if (!Number.isInteger(c.seed)) throw new RangeError(`seed must be an integer, got ${c.seed}`);
  validateExactSolverConfig(c.exact);
  validateSamplingConfig(c.sampled);
  validateLogisticConfig(c.logistic, c.policy === 'logistic' ? c.neurons : undefined);
}

/** Throws RangeError naming the field and its allowed range. */
export function validateChalkPixelsConfig(c: ChalkPixelsConfig): void {
  if (!Number.isInteger(c.pixels) || c.pixels < 1 || c.pixels > 10) throw new RangeError(`pixels must be an integer in [1, 10], got ${c.pixels}`);
  if (!(c.lambda > 0) || !Number.isFinite(c.lambda)) throw new RangeError(`lambda must be a finite number > 0, got ${c.lambda}`);
  if (!(c.pixelProb > 0 && c.pixelProb < 1)) throw new RangeError(`pixelProb must be in (0, 1), got ${c.pixelProb}`);
  if (!(c.switchProb > 0 && c.switchProb <= 1)) throw new RangeError(`switchProb must be in (0, 1], got ${c.switchProb}`);
  if (c.inputMode !== 'count' && c.inputMode !== 'pixels') throw new RangeError(`inputMode must be 'count' or 'pixels', got ${c.inputMode}`);
  if (c.inputMode === 'pixels' && c.pixels > 7) throw new RangeError(`pixels must be <= 7 with inputMode 'pixels' (2^P inputs x 2^P states), got ${c.pixels}`);
  if (!(c.decoderSlope > 0)) throw new RangeError(`decoderSlope must be > 0, got ${c.decoderSlope}`);
  if (!(c.logFloor < 0)) throw new RangeError(`logFloor must be < 0, got ${c.logFloor}`);
  validateExactSolverConfig(c.exact);
}

/** Merge user overrides (nested exact/sampled partials allowed) onto a preset. */
export function mergeCountsConfig(
  o: Partial<Omit<ChalkCountsConfig, 'exact' | 'sampled' | 'logistic'>> & { exact?: Partial<ExactSolverConfig>; sampled?: Partial<SamplingConfig>; logistic?: Partial<LogisticConfig> } = {},
): ChalkCountsConfig {
  const c: ChalkCountsConfig = {
    ...CHALK_COUNTS_PRESET,
    ...o,
    targets: [...(o.targets ?? CHALK_COUNTS_PRESET.targets)] as [number, number],
    exact: { ...CHALK_COUNTS_PRESET.exact, ...(o.exact ?? {}) },
    sampled: { ...CHALK_COUNTS_PRESET.sampled, seed: o.seed ?? CHALK_COUNTS_PRESET.seed, ...(o.sampled ?? {}) },
    logistic: {
      ...CHALK_COUNTS_PRESET.logistic,
      countBins: Math.min(32, o.neurons ?? CHALK_COUNTS_PRESET.neurons),
      // Synchronous populations move together: cap the actor's step (trust region, see LogisticConfig).
      actorTrust: (o.update ?? CHALK_COUNTS_PRESET.update) === 'sync' ? 0.5 : 0,
      seed: o.seed ?? CHALK_COUNTS_PRESET.seed,
      ...(o.logistic ?? {}),
    },
  };
  validateChalkCountsConfig(c);
  return c;
}

/** Merge user overrides onto the pixels preset. */
export function mergePixelsConfig(o: Partial<Omit<ChalkPixelsConfig, 'exact'>> & { exact?: Partial<ExactSolverConfig> } = {}): ChalkPixelsConfig {
  const c: ChalkPixelsConfig = { ...CHALK_PIXELS_PRESET, ...o, exact: { ...CHALK_PIXELS_PRESET.exact, ...(o.exact ?? {}) } };
  validateChalkPixelsConfig(c);
  return c;
}
