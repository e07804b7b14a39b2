/**
 * The unit map of the weight-max rule's actor (src/run/model.ts UnitMap, for src/analysis/): its
 * Bernoulli-logistic hidden layers are the units (`h<layer>.<i>`, spikes in `actor.<l>.values`,
 * firing probabilities in `actor.<l>.mean`); the softmax output is no spiking unit, so no unit is
 * an action. Evaluation keeps the actor's forward ops, the env and the clock, and leaves out the
 * critic, the TD error, the updates, the traces and the episode log.
 */
import type { Actor } from '../chung/actor.ts';
import type { EnvDef } from '../envs/registry.ts';
import { CHUNG_AC_HIDDEN, CHUNG_AC_SOFTMAX } from '../kernels/chung-ac.ts';
import { CLOCK_TICK } from '../kernels/clock.ts';
import type { UnitMap } from '../run/model.ts';
import type { StepProgram } from '../run/program.ts';
import { actorBuf, isBandit } from './weight-max.ts';

/** Undefined for the backprop baseline (rule.hiddenRule backprop: ReLU hidden units, no spikes). */
export function weightMaxUnits(actor: Actor, env: EnvDef, program: StepProgram): UnitMap | undefined {
  const R = actor.net.replicas;
  const hidden = actor.net.layers.slice(0, -1);
  if (hidden.some((L) => L.kind !== 'bernoulli')) return undefined;
  const obs = isBandit(env) ? (['obs-a', 'obs-b'] as const) : (['obs', 'obs'] as const);
  const keep = new Set<unknown>([CHUNG_AC_HIDDEN, CHUNG_AC_SOFTMAX, CLOCK_TICK, env.kernel]);
  return {
    rows: obs,
    stride: env.obsDim,
    episodeSteps: env.maxEpisodeSteps,
    obs: { offset: 0, count: env.obsDim },
    obsRows: { rows: obs, stride: env.obsDim },
    units: hidden.flatMap((L, l) => Array.from({ length: L.nOut }, (_, n) => ({ name: `h${l}.${n}`, col: n, layer: l }))),
    actions: [],
    spikeOps: program.step.flatMap((op, i) => (op.kernel === CHUNG_AC_HIDDEN ? [i] : [])),
    learnOps: program.step.flatMap((op, i) => (keep.has(op.kernel) ? [] : [i])),
    weights: actor.net.layers.map((_, l) => actorBuf(l, 'theta')),
    weightBlocks: Object.fromEntries(actor.net.layers.map((L, l) => [actorBuf(l, 'theta'), [L.w.length / R, L.b.length / R]])),
    layerRows: hidden.map((L, l) => ({ rows: [actorBuf(l, 'values'), actorBuf(l, 'values')] as const, stride: L.nVals, prob: actorBuf(l, 'mean'), probStride: L.nVals })),
    prob: { buffer: actorBuf(0, 'mean'), stride: hidden[0]?.nVals ?? 0, cols: hidden.flatMap((L) => Array.from({ length: L.nOut }, (_, n) => n)) },
  };
}
