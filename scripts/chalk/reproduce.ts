/**
 * Example (a) end to end: targets reached, reward recovered from spike trains (error vs samples),
 * cell-death prediction. Usage: npx tsx scripts/chalk/reproduce.ts [lambda] [out.json]
 */
import { writeFileSync } from 'node:fs';
import { reproduceChalk } from '../../src/chalk/index.ts';

const lambda = Number(process.argv[2] ?? 0.5);
const r = reproduceChalk({ lambda, samples: [3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000] });
console.log(`lambda ${r.lambda}: targets reached ${r.targetsReached}, mass on target ${JSON.stringify(r.trained.massOnTarget)}`);
console.table(r.recovery.map((row) => ({ samples: row.samples, bellmanError: row.bellmanError, targets: JSON.stringify(row.inferredTarget) })));
console.log('max likelihood', JSON.stringify(r.maxLikelihood));
console.log(
  'cell death (neurons',
  r.cellDeath.dead.join(','),
  'removed): survivor rate at x=+1 before',
  r.cellDeath.ratesBefore['+1']![0],
  'no adaptation',
  r.cellDeath.ratesNoAdaptation['+1']![0],
  'after re-optimisation',
  r.cellDeath.ratesAfter['+1']![0],
);
console.log(
  'P(count=6 | x=+1): before',
  r.cellDeath.countDistBefore['+1']![6],
  'no adaptation',
  r.cellDeath.countDistNoAdaptation['+1']![6],
  'after',
  r.cellDeath.countDistAfter['+1']![6],
  'TV inferred vs true reward',
  JSON.stringify(r.cellDeath.tvInferredVsTrue),
);
console.log(`time ${(r.timeMs / 1000).toFixed(1)} s`);
if (process.argv[3]) writeFileSync(process.argv[3], JSON.stringify(r, null, 1));
