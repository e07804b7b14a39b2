/**
 * Bhargava et al. Table 1 on MNIST with the CPU reference (hours at the paper's iteration counts).
 *   npx tsx scripts/synq/table1.mts [replicas] [synrlIters0] [synrlIters32] [gdIters] [maxSamples]
 * Prints the rows as JSON, measured beside the paper's.
 */
import { reproduceBhargavaTable1 } from '../../src/synq/table1.ts';

const [replicas = 5, it0 = 200_000, it32 = 500_000, gd = 1000, maxSamples = 0] = process.argv.slice(2).map(Number);
const res = await reproduceBhargavaTable1({
  replicas,
  iterations0: it0,
  iterations32: it32,
  gdIterations: gd,
  synq: { maxSamples, evalEvery: Math.max(1, Math.floor(it0 / 10)) },
  gd: { maxSamples, evalEvery: Math.max(1, Math.floor(gd / 10)) },
});
for (const r of res.rows) {
  console.log(JSON.stringify({
    experiment: r.experiment, iterations: r.iterations, mean: r.mean, std: r.std, min: r.min, max: r.max,
    wallSeconds: r.wallSeconds, paperMean: r.paper.mean, paperStd: r.paper.std,
  }));
}
