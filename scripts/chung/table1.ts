/**
 * Table 1 beside the paper. Usage: npx tsx scripts/chung/table1.ts [tasks=cartpole] [replicas=10] [episodes=paper] [rows=all]
 * e.g. npx tsx scripts/chung/table1.ts cartpole,acrobot 3 200 weightmax,reinforce
 */
import type { ChungTask } from '../../src/chung/config.ts';
import { reproduceChungTable1, type ChungTableRow } from '../../src/chung/reproduce.ts';

const tasks = (process.argv[2] ?? 'cartpole').split(',') as ChungTask[];
const replicas = Number(process.argv[3] ?? 10);
const ep = process.argv[4] ? Number(process.argv[4]) : undefined;
const rows = process.argv[5] ? (process.argv[5].split(',') as ChungTableRow[]) : undefined;
const episodes = ep ? Object.fromEntries(tasks.map((t) => [t, ep])) : undefined;
await reproduceChungTable1({
  tasks,
  replicas,
  episodes,
  rows,
  onCell: (r) => console.log(JSON.stringify({ ...r, mean: +r.mean.toFixed(3), std: +r.std.toFixed(3), wallSeconds: +r.wallSeconds.toFixed(1) })),
});
