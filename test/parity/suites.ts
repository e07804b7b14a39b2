import type { GpuContext } from '../../src/gpu/context.ts';
import { rngParity, type ParityReport } from './rng-parity.ts';
import { spikeParity } from './spike-parity.ts';
import { cartpoleParity } from './cartpole-parity.ts';
import { learnerParity } from './learner-parity.ts';

/**
 * Every GPU-vs-CPU-twin parity check, with its pass criteria. The Node tier (test/gpu) and the
 * headless-Chromium tier (test/browser) both run this list, so a kernel added here is checked on
 * both; `violations` returns what failed (empty = pass).
 */
export interface ParitySuite {
  name: string;
  run(ctx: GpuContext): Promise<ParityReport>;
  violations(r: ParityReport): string[];
}

const exactAnd = (tol: number) => (r: ParityReport): string[] => {
  const v: string[] = [];
  if (r.count <= 0) v.push('compared nothing');
  if (r.exactMismatches !== 0) v.push(`${r.exactMismatches} of ${r.count} exact outputs differ`);
  if (!(r.maxAbsError <= tol)) v.push(`max |gpu - cpu| = ${r.maxAbsError} > ${tol}`);
  if (r.notes?.knifeEdge !== undefined && r.notes.knifeEdge > r.count * 1e-3) v.push(`${r.notes.knifeEdge} knife-edge draws (> 0.1%)`);
  return v;
};

export const PARITY_SUITES: ParitySuite[] = [
  { name: 'rng-stream', run: (ctx) => rngParity(ctx), violations: exactAnd(0) },
  { name: 'spike-sample dense', run: (ctx) => spikeParity(ctx, { sparse: false }), violations: exactAnd(1e-5) },
  { name: 'spike-sample sparse', run: (ctx) => spikeParity(ctx, { sparse: true, neurons: 2048, fanIn: 16 }), violations: exactAnd(1e-5) },
  {
    name: 'cartpole-step',
    run: (ctx) => cartpoleParity(ctx),
    violations: (r) => [...exactAnd(1e-5)(r), ...(r.notes!.episodesEnded! < 100 ? [`only ${r.notes!.episodesEnded} episodes ended: autoreset not exercised`] : [])],
  },
  {
    // theta moves by Adam steps of up to lr = 0.03 per episode; 1e-4 is far below one step.
    name: 'cartpole-reinforce step (spike, env, record, update)',
    run: (ctx) => learnerParity(ctx),
    violations: (r) => [...exactAnd(1e-4)(r), ...(r.notes!.episodes! < 30 ? [`only ${r.notes!.episodes} episodes: updates not exercised`] : [])],
  },
];
