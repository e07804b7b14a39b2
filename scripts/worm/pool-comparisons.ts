/**
 * Pools the runs of several `hedonist reproduce worm-chemotaxis` comparisons of different seeds
 * (same experiment, episodes and eval episodes) into one table with the same tests, as if one
 * comparison had run all the seeds (docs/worm.md):
 *
 *   npx tsx scripts/worm/pool-comparisons.ts runs/a/comparison.json runs/b/comparison.json
 */
import { readFileSync } from 'node:fs';
import type { ConnectomeVariant } from '../../src/connectome/celegans.ts';
import { type WormComparison, wormComparisonMarkdown, wormComparisonOf } from '../../src/connectome/worm-comparison.ts';

const files = process.argv.slice(2);
if (files.length < 1) {
  console.error('usage: pool-comparisons.ts COMPARISON.json ...');
  process.exit(2);
}
const parts = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as WormComparison & { experiment?: string });
const first = parts[0]!;
for (const [i, c] of parts.entries()) {
  if (c.episodes !== first.episodes || c.evalEpisodes !== first.evalEpisodes || c.experiment !== first.experiment) {
    console.error(`${files[i]}: episodes ${c.episodes}, eval episodes ${c.evalEpisodes}, experiment ${c.experiment} differ from ${files[0]}'s`);
    process.exit(2);
  }
}
const runs = parts.flatMap((c) => c.runs);
const seen = new Set<string>();
for (const r of runs) {
  const key = `${r.variant} seed ${r.seed}`;
  if (seen.has(key)) {
    console.error(`${key} appears twice: pool comparisons of different seeds`);
    process.exit(2);
  }
  seen.add(key);
}
const variants = [...new Set(runs.map((r) => r.variant))] as ConnectomeVariant[];
console.log(wormComparisonMarkdown(wormComparisonOf(runs, variants, first.episodes, first.evalEpisodes)));
