/**
 * Hand-written policies on the chemotaxis twin (docs/worm.md, "A setting where it learns"): which
 * strategies climb this env, and how much motor noise they stand. Each policy sets the 12 motor
 * slots from "did the concentration fall on the last move" (the ASER channel > 0), seen `delay`
 * moves late, plus random spikes (the counter RNG, stream `exploration`); 400 worms, env seed 3.
 *
 *   npx tsx scripts/worm/reference-policies.ts
 */
import { CHEMOTAXIS_ACT_SLOTS, CHEMOTAXIS_V0, ChemotaxisCpu, chemotaxisAction, chemotaxisParams, successConcentration } from '../../src/envs/chemotaxis.ts';
import { rngUniform, Stream } from '../../src/rng/counter-rng.ts';

const N = 400;
/** Slot groups: AVB (forward) 0-1, AVA (reversal) 2-3, dorsal 4-7 (SMDD, RMDD), ventral 8-11. */
const AVA = [2, 3],
  DORSAL = [4, 5, 6, 7];
/** Per-slot firing probability given "fell `delay` moves ago". */
type Policy = (fell: boolean) => number[];

function score(name: string, policy: Policy, o: { delay?: number; ticks?: number; pirouetteAngle?: number } = {}): void {
  const ticks = o.ticks ?? 1,
    delay = o.delay ?? 0;
  const env = new ChemotaxisCpu(N, { ...chemotaxisParams(ticks), pirouetteAngle: o.pirouetteAngle ?? CHEMOTAXIS_V0.pirouetteAngle });
  env.reset(3);
  const fell: boolean[][] = Array.from({ length: N }, () => []);
  const slots = new Float32Array(CHEMOTAXIS_ACT_SLOTS);
  let ret = 0;
  for (let t = 0; t < CHEMOTAXIS_V0.maxEpisodeSteps * ticks; t++) {
    const obs = env.observations();
    const actions: number[] = [];
    for (let i = 0; i < N; i++) {
      const h = fell[i]!;
      h.push(obs[i * 2 + 1]! > 0);
      const p = policy(h.length > delay ? h[h.length - 1 - delay]! : false);
      for (let s = 0; s < CHEMOTAXIS_ACT_SLOTS; s++) slots[s] = rngUniform(7, Stream.exploration, i * CHEMOTAXIS_ACT_SLOTS + s, t) < p[s]! ? 1 : 0;
      actions.push(chemotaxisAction(slots, 0));
    }
    env.step(actions);
    for (let i = 0; i < N; i++) ret += env.reward[i]!;
  }
  const end = Array.from(env.conc);
  const reached = end.filter((c) => c >= successConcentration()).length / N;
  const mean = end.reduce((a, b) => a + b, 0) / N;
  console.log(`${name.padEnd(64)} return ${(ret / N).toFixed(1).padStart(6)}  end concentration ${mean.toFixed(3)}  reached ${(100 * reached).toFixed(0)}%`);
}

/** Probabilities: `base` everywhere, `on` on the given slots when the condition holds. */
const when = (fellNow: boolean, slotsOn: number[], on: number, base: number, overrides: Record<number, number> = {}) =>
  Array.from({ length: CHEMOTAXIS_ACT_SLOTS }, (_, s) => (fellNow && slotsOn.includes(s) ? on : (overrides[s] ?? base)));

score('random spikes p = 0.2', () => when(false, [], 0, 0.2));
score('straight ahead (AVB only)', () => when(false, [], 0, 0, { 0: 1, 1: 1 }));
for (const angle of [1, 2, Math.PI])
  for (const delay of [0, 1, 2, 3])
    score(`pirouette: reverse when fell (AVA on, AVB off), angle ${angle.toFixed(2)}, delay ${delay}`, (f) => (f ? when(true, AVA, 1, 0) : when(false, [], 0, 0, { 0: 1, 1: 1 })), {
      delay,
      pirouetteAngle: angle,
    });
for (const delay of [0, 2]) score(`turn dorsally when fell, no noise, delay ${delay}`, (f) => when(f, DORSAL, 1, 0, { 0: 1, 1: 1 }), { delay });
for (const q of [0.3, 0.6]) score(`dorsal p = ${q} when fell, every slot p = 0.2 otherwise`, (f) => when(f, DORSAL, q, 0.2));
for (const ticks of [1, 4, 8]) score(`dorsal p = 0.6 when fell, AVB 0.4, others 0.2, env.ticks ${ticks}`, (f) => when(f, DORSAL, 0.6, 0.2, { 0: 0.4, 1: 0.4 }), { ticks });
// The trained connectome's motor rates (docs/worm.md), as independent spikes: AVBL/R, AVAL/R, SMDDL/R, RMDDL/R, SMDVL/R, RMDVL/R.
const quiet = [0.03, 0.03, 0.16, 0.01, 0.02, 0.09, 0.05, 0.04, 0.03, 0.06, 0.11, 0.09];
const driven = [0.03, 0.04, 0.26, 0.01, 0.02, 0.07, 0.04, 0.03, 0.04, 0.06, 0.11, 0.1];
for (const delay of [0, 2]) score(`the trained network's motor rates, quiet / ASER driven, delay ${delay}`, (f) => (f ? driven : quiet), { delay });
score("the trained network's motor rates when quiet, on every step", () => quiet);
