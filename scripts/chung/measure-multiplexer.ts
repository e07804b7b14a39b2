/**
 * Time per multiplexer episode at the paper size (64-32) and the learning curve of each rule.
 * Usage: npx tsx scripts/chung/measure-multiplexer.ts [episodes=200000] [replicas=2] [rules=weightmax,reinforce] [window=20000] [weightDecay=0]
 */
import { chungPreset, type ChungRule } from '../../src/chung/config.ts';
import { trainChung } from '../../src/chung/trainer.ts';

const episodes = Number(process.argv[2] ?? 200_000);
const replicas = Number(process.argv[3] ?? 2);
const rules = (process.argv[4] ?? 'weightmax,reinforce').split(',') as ChungRule[];
const window = Number(process.argv[5] ?? 20_000);
const weightDecay = Number(process.argv[6] ?? 0);

for (const rule of rules) {
  const sums = new Float64Array(Math.ceil(episodes / window));
  const s = await trainChung(chungPreset('multiplexer', { rule, episodes, replicas, seed: 1, weightDecay }), {
    onEpisode: (m) => {
      sums[Math.floor(m.episode! / window)]! += m.return!;
    },
  });
  const curve = Array.from(sums, (v, i) => +(v / (replicas * Math.min(window, episodes - i * window))).toFixed(3));
  console.log(
    JSON.stringify({
      rule,
      episodes,
      replicas,
      weightDecay,
      meanReturn: +s.meanReturn.toFixed(4),
      stdReturn: +s.stdReturn.toFixed(4),
      perReplica: s.perReplica.map((v) => +v.toFixed(4)),
      finalMeanReturn: +s.finalMeanReturn.toFixed(4),
      usPerReplicaEpisode: +((s.wallSeconds * 1e6) / (episodes * replicas)).toFixed(1),
      wallSeconds: +s.wallSeconds.toFixed(1),
      curveWindow: window,
      curve,
    }),
  );
}
