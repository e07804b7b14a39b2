/**
 * Closing the loop (docs/worm.md, "Inverse RL on recorded activity"): Chalk's inverse RL
 * (`invertBellman`, what `hedonist infer-reward --method bellman` runs) on spike trains recorded
 * from a trained network, scored by how well the inferred reward of each recorded state follows the
 * task's reward at that step, against the same score for spike trains shifted in time (which keep
 * every unit's statistics and break their relation to the inputs and rewards).
 *
 * Score: the Pearson correlation, over recorded steps, of r_hat(x_t, sigma_t) (the inferred reward
 * of the step's state, centred per input as the inverse is only defined up to a constant per input)
 * with the env's reward after step t (centred per input the same way).
 */
import { centrePerInput, invertBellman } from '../chalk/inverse.ts';
import { CounterRng, Stream } from '../rng/counter-rng.ts';
import type { Evaluation } from './evaluate.ts';
import { chalkTrain } from './recording.ts';

export interface IrlScore {
  /** Correlation of the inferred reward with the task reward, the recorded spikes. */
  observed: number;
  /** The same for each time-shifted control. */
  shifted: number[];
  /** One-sided: (1 + shifts scoring >= observed) / (1 + shifts). */
  p: number;
  transitions: number;
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0,
    mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma,
      db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** Subtract each input's mean over the steps that had it. */
function centreByInput(v: Float64Array, input: Int32Array): Float64Array {
  const sum = new Map<number, [number, number]>();
  input.forEach((x, i) => {
    const s = sum.get(x) ?? [0, 0];
    s[0] += v[i]!;
    s[1]++;
    sum.set(x, s);
  });
  return v.map((val, i) => {
    const s = sum.get(input[i]!)!;
    return val - s[0] / s[1];
  });
}

/** Score one spike sequence (`spikesOf`, default the recorded one) of the chosen units against the recorded rewards. */
function score(ev: Evaluation, chosen: readonly number[], lambda: number, seed: number, spikesOf?: (step: number, unit: number) => number): { r: number; transitions: number } {
  const c = chalkTrain(ev, chosen, seed, spikesOf);
  const inv = invertBellman(c.train, lambda, { inputs: c.inputValues.length });
  const S = 1 << chosen.length;
  const r = centrePerInput(inv.reward, inv.counts.postVisits, chosen.length, c.inputValues.length);
  const K = c.rowOfStep.length;
  const rHat = new Float64Array(K);
  const truth = new Float64Array(K);
  const N = chosen.length;
  let k = 0;
  for (const e of ev.episodes)
    for (let t = 0; t < e.steps; t++, k++) {
      const row = c.rowOfStep[k]!;
      let s = 0;
      for (let i = 0; i < N; i++) s |= c.train.sigma[row * N + i]! << i;
      rHat[k] = r[c.inputOfStep[k]! * S + s]!;
      truth[k] = e.reward![t]!;
    }
  return { r: pearson(centreByInput(rHat, c.inputOfStep), centreByInput(truth, c.inputOfStep)), transitions: inv.counts.transitions };
}

/**
 * The inferred reward's correlation with the task reward for the recorded spikes and for `shifts`
 * controls, each the same spikes shifted circularly in time by a random offset of at least one
 * episode against the inputs and rewards.
 */
export function irlRecovery(ev: Evaluation, chosen: readonly number[], o: { lambda: number; shifts: number; seed: number }): IrlScore {
  const U = ev.units.length;
  const flat: Uint8Array[] = [];
  for (const e of ev.episodes) for (let t = 0; t < e.steps; t++) flat.push(e.spikes!.subarray(t * U, (t + 1) * U));
  const K = flat.length;
  const minShift = Math.max(1, ...ev.episodes.map((e) => e.steps));
  if (K < 2 * minShift) throw new RangeError(`a time-shifted control needs at least 2 episodes' steps (have ${K}, episodes up to ${minShift} steps)`);
  const obs = score(ev, chosen, o.lambda, o.seed);
  const rng = new CounterRng(o.seed, Stream.init, 0x1e1);
  const shifted: number[] = [];
  for (let i = 0; i < o.shifts; i++) {
    const shift = minShift + rng.int(K - 2 * minShift + 1);
    shifted.push(score(ev, chosen, o.lambda, o.seed, (k, u) => flat[(k + shift) % K]![u]!).r);
  }
  return { observed: obs.r, shifted, p: (1 + shifted.filter((v) => v >= obs.r).length) / (1 + o.shifts), transitions: obs.transitions };
}
