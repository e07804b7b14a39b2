/**
 * Reward vs coding cost for both presets (exact solver). Example (a) is run twice: from the symmetric
 * start (all p_i = 1/2) and with a 5% symmetry-breaking perturbation of the initial marginals, which
 * finds specialised populations (some neurons always on/off) with a higher objective at lambda >= 0.2.
 * Usage: npx tsx scripts/chalk/lambda-sweep.ts
 */
import { chalkCountsSweep, chalkPixelsSweep, CHALK_COUNTS_SWEEP, CHALK_PIXELS_SWEEP } from '../../src/chalk/index.ts';

const t0 = Date.now();
console.log('# example (a), symmetric start');
console.table(chalkCountsSweep(CHALK_COUNTS_SWEEP).map((r) => ({ ...r, marginals: r.marginals.map((m) => m.toFixed(2)).join(' ') })));
console.log('# example (a), symmetry breaking 0.05 (seed 5)');
console.table(
  chalkCountsSweep(CHALK_COUNTS_SWEEP, { exact: { symmetryBreaking: 0.05, seed: 5, maxRounds: 300 } }).map((r) => ({
    ...r,
    marginals: r.marginals.map((m) => m.toFixed(2)).join(' '),
  })),
);
console.log('# example (b)');
console.table(chalkPixelsSweep(CHALK_PIXELS_SWEEP).map((r) => ({ ...r, marginals: r.marginals.map((m) => m.toFixed(2)).join(' ') })));
console.log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
