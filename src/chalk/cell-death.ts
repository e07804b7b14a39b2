/**
 * Cell-death predictions [ours]: remove k neurons (they stay silent), re-optimise the survivors under
 * a (typically inferred) reward with the same lambda, and compare their firing before and after.
 * The reduced network has N - k neurons; its reward is r(sigma embedded with the dead neurons at 0, x).
 */
import { analysePolicy } from './analysis.ts';
import { type ExactSolverConfig, solveExact } from './exact-solver.ts';
import { type ChalkProblem, viewCount } from './problem.ts';

/** Summary of a cell-death prediction. */
export interface CellDeathPrediction {
  dead: number[];
  survivors: number[];
  /** Firing rate P(sigma_i = 1 | x) of each survivor in the intact network, per input label. */
  ratesBefore: Record<string, number[]>;
  /** Same neurons after death, policies unchanged (dead neurons forced silent). */
  ratesNoAdaptation: Record<string, number[]>;
  /** Same neurons after re-optimising under the given reward. */
  ratesAfter: Record<string, number[]>;
  /** Total spike-count distributions P(count | x). */
  countDistBefore: Record<string, number[]>;
  countDistNoAdaptation: Record<string, number[]>;
  countDistAfter: Record<string, number[]>;
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** Reduced problem on the survivors: reward evaluated with dead neurons silent. */
export function survivorProblem(p: ChalkProblem, reward: Float64Array, dead: readonly number[]): { problem: ChalkProblem; survivors: number[] } {
  const n = p.neurons;
  const survivors = [...Array(n).keys()].filter((i) => !dead.includes(i));
  const m = survivors.length;
  if (m < 1) throw new RangeError('at least one neuron must survive');
  const Sm = 1 << m;
  const S = 1 << n;
  const r = new Float64Array(Sm * p.inputs);
  for (let x = 0; x < p.inputs; x++) {
    for (let s = 0; s < Sm; s++) {
      let full = 0;
      for (let k = 0; k < m; k++) if (s & (1 << k)) full |= 1 << survivors[k]!;
      r[x * Sm + s] = reward[x * S + full]!;
    }
  }
  return { problem: { ...p, neurons: m, reward: r }, survivors };
}

/**
 * Predict the effect of killing `dead` neurons. `piOne` is the intact network's policy (for the
 * "before" and "no adaptation" columns); `reward` is the reward to re-optimise under.
 */
export function predictCellDeath(p: ChalkProblem, piOne: Float64Array, reward: Float64Array, lambda: number, dead: readonly number[], exact: Partial<ExactSolverConfig> = {}): CellDeathPrediction {
  for (const d of dead) if (!Number.isInteger(d) || d < 0 || d >= p.neurons) throw new RangeError(`dead neuron index must be an integer in [0, ${p.neurons - 1}], got ${d}`);
  const before = analysePolicy(p, piOne);
  const clamped = Float64Array.from(piOne);
  const nV = viewCount(p);
  for (const d of dead) clamped.fill(0, d * nV, (d + 1) * nV);
  const noAdapt = analysePolicy(p, clamped);
  const { problem, survivors } = survivorProblem(p, reward, dead);
  const after = solveExact(problem, lambda, exact).analysis;
  const lab = <T>(f: (x: number) => T) => Object.fromEntries(p.inputLabels.map((l, x) => [l, f(x)]));
  const pad = (d: number[]) => [...d, ...new Array<number>(p.neurons + 1 - d.length).fill(0)].map(round);
  return {
    dead: [...dead],
    survivors,
    ratesBefore: lab((x) => survivors.map((i) => round(before.rates[x]![i]!))),
    ratesNoAdaptation: lab((x) => survivors.map((i) => round(noAdapt.rates[x]![i]!))),
    ratesAfter: lab((x) => after.rates[x]!.map(round)),
    countDistBefore: lab((x) => before.countDist[x]!.map(round)),
    countDistNoAdaptation: lab((x) => noAdapt.countDist[x]!.map(round)),
    countDistAfter: lab((x) => pad(after.countDist[x]!)),
  };
}
