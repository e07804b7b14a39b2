/**
 * The unit map of the ott rule's network (src/run/model.ts UnitMap, for src/analysis/): every
 * neuron-agent is a unit (`h<layer>.<i>`, the output `out.0`), its spike in `signals` after the
 * observation (column obsDim + n), its firing probability in `probs`. Evaluation keeps the step
 * begin (which copies the observation into `signals`), the forward layers, the env and the clock,
 * and leaves out the history, the rewards, the returns, the gradients, Adam and the episode log.
 */
import type { EnvDef } from '../envs/registry.ts';
import { CLOCK_TICK } from '../kernels/clock.ts';
import { OTT_LOGISTIC_FORWARD, OTT_MLP_FORWARD, OTT_STEP_BEGIN } from '../kernels/ott.ts';
import type { OttNetwork } from '../ott/network.ts';
import type { UnitMap } from '../run/model.ts';
import type { StepProgram } from '../run/program.ts';

/** Undefined for the fused step forms (one op runs the whole step: no place to silence a layer). */
export function ottUnits(net: OttNetwork, env: EnvDef, program: StepProgram): UnitMap | undefined {
  const forward = new Set<unknown>([OTT_MLP_FORWARD, OTT_LOGISTIC_FORWARD]);
  const spikeOps = program.step.flatMap((op, i) => (forward.has(op.kernel) ? [i] : []));
  if (spikeOps.length !== net.NL) return undefined;
  const keep = new Set<unknown>([...forward, OTT_STEP_BEGIN, CLOCK_TICK, env.kernel]);
  const D = env.obsDim;
  const out = net.N - 1;
  const counts = new Array<number>(net.NL).fill(0);
  const units = Array.from({ length: net.N }, (_, n) => {
    const layer = net.w.layerOf[n]!;
    const name = n === out ? 'out.0' : `h${layer}.${counts[layer]!++}`;
    return { name, col: D + n, layer };
  });
  return {
    rows: ['signals', 'signals'],
    stride: net.S,
    episodeSteps: env.maxEpisodeSteps,
    obs: { offset: 0, count: D },
    obsRows: { rows: ['obs', 'obs'], stride: D },
    units,
    actions: [out],
    spikeOps,
    learnOps: program.step.flatMap((op, i) => (keep.has(op.kernel) ? [] : [i])),
    weights: ['theta'],
    prob: { buffer: 'probs', stride: net.N, cols: units.map((_, n) => n) },
  };
}
