/**
 * Full Table 1 protocol for one or more cells on the CPU reference (long: minutes to hours).
 * Usage: npx tsx scripts/ott/protocol.ts <replicas> <layers,...> <modes,...> [seed] [out.json]
 * e.g.   npx tsx scripts/ott/protocol.ts 6 1 all 0 /tmp/ott-all-1.json
 */
import { writeFileSync } from 'node:fs';
import type { OttRewardMode } from '../../src/ott/config.ts';
import { reproduceOttTable1 } from '../../src/ott/table1.ts';

const replicas = Number(process.argv[2] ?? 4);
const layers = (process.argv[3] ?? '1').split(',').map(Number);
const rewards = (process.argv[4] ?? 'all').split(',') as OttRewardMode[];
const seed = Number(process.argv[5] ?? 0);
const out = process.argv[6];
const t0 = Date.now();
const rows = await reproduceOttTable1(
  { replicas, layers, rewards, seed },
  {
    onEpisode: (m, r) => {
      if (m.episode! % 250 === 0) {
        console.log(`[${((Date.now() - t0) / 1000).toFixed(0)}s] replica ${r} episode ${m.episode} mean100 ${m.mean100!.toFixed(1)}`);
      }
    },
    onCell: (row) => {
      console.log(JSON.stringify(row));
      if (out) writeFileSync(out, JSON.stringify({ replicas, seed, rows: [row] }, null, 1));
    },
  },
);
if (out) writeFileSync(out, JSON.stringify({ replicas, seed, rows }, null, 1));
console.log('reward        layers  trials mean ± std   (paper)   first>300 mean ± std   crossed/solved');
for (const r of rows) {
  console.log(
    `${r.reward.padEnd(13)} ${r.layers}       ${r.trialsMean.toFixed(0)} ± ${r.trialsStd.toFixed(0)}   (${r.paperTrials ?? '-'})   ` +
      `${r.firstAboveMean?.toFixed(0) ?? '-'} ± ${r.firstAboveStd?.toFixed(0) ?? '-'}   ${r.crossedCount}/${r.solvedCount} of ${r.replicas}`,
  );
}
