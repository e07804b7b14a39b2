/**
 * Per-kernel wall time of one multiplexer episode on a large sparse actor.
 * Usage: npx tsx scripts/chung/profile-large.ts [M=11000] [fanIn=16] [episodes=3]
 */
import { actorForward, actorLearn, actorRecord, createActor } from '../../src/chung/actor.ts';
import { ADAM_DEFAULTS } from '../../src/chung/adam.ts';
import { MultiplexerCpu } from '../../src/envs/multiplexer.ts';

const M = Number(process.argv[2] ?? 11000),
  fanIn = Number(process.argv[3] ?? 16),
  episodes = Number(process.argv[4] ?? 3);
let t = performance.now();
const lap = () => {
  const n = performance.now();
  const d = n - t;
  t = n;
  return +d.toFixed(1);
};
const a = createActor({ replicas: 1, obsDim: 20, numActions: 2, hidden: [Math.round(64 * M), Math.round(32 * M)], temp: [1, 1, 1], rule: 'weightmax', fanIn, seed: 1 });
const env = new MultiplexerCpu(1);
const obs = env.reset(1);
console.log(JSON.stringify({ hiddenUnits: a.net.layers[0]!.nOut + a.net.layers[1]!.nOut, initMs: lap() }));
for (let ep = 0; ep < episodes; ep++) {
  actorForward(a, obs, 1, ep);
  const fwd = lap();
  env.stepBandit(a.actions);
  env.observations(obs);
  actorRecord(a, 0);
  const rec = lap();
  actorLearn(a, env.reward, { lr: [0.01, 0.001, 0.0001], t: ep + 1, adam: ADAM_DEFAULTS, weightMaxP: 2, weightDecay: 0, weightDecayP: 2 });
  const learn = lap();
  console.log(JSON.stringify({ ep, forwardMs: fwd, recordMs: rec, learnMs: learn, totalMs: +(fwd + rec + learn).toFixed(1) }));
}
