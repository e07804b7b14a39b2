/**
 * Multiplexer scaling (paper Fig. 3/4) and the sparse fan-in variant.
 * Usage: npx tsx scripts/chung/scaling.ts <M list, e.g. 0.25,1,4> <episodes> [rules=weightmax,reinforce,backprop] [fanIn=0] [replicas=1]
 * Example (>= 2^20 hidden units, sparse): npx tsx scripts/chung/scaling.ts 11000 20 weightmax 16
 */
import type { ChungRule } from '../../src/chung/config.ts';
import { runChungScaling } from '../../src/chung/reproduce.ts';

const M = (process.argv[2] ?? '0.25,1,4').split(',').map(Number);
const episodes = Number(process.argv[3] ?? 20_000);
const rules = (process.argv[4] ?? 'weightmax,reinforce,backprop').split(',') as ChungRule[];
const fanIn = Number(process.argv[5] ?? 0);
const replicas = Number(process.argv[6] ?? 1);
await runChungScaling({
  M,
  rules,
  episodes,
  fanIn,
  replicas,
  seed: 1,
  onRun: (row) => console.log(JSON.stringify({ ...row, rss_MB: Math.round(process.memoryUsage().rss / 1e6) })),
});
