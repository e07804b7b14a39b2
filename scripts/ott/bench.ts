/**
 * Throughput of the Ott CPU reference: env steps/s and neuron-steps/s (forward + reward + the
 * per-episode REINFORCE/Adam update, amortised) for 1, 2 and 5 hidden layers, MLP and logistic.
 * Usage: npx tsx scripts/ott/bench.ts [replicas=4] [episodes=150]
 */
import { trainOttCartpole } from '../../src/ott/trainer.ts';

const R = Number(process.argv[2] ?? 4);
const E = Number(process.argv[3] ?? 150);
console.log(`replicas=${R} episodes=${E} ('all' rewards, no early stop)`);
for (const policy of ['mlp', 'logistic'] as const) {
  for (const layers of [1, 2, 5]) {
    const s = await trainOttCartpole({ replicas: R, layers, policy, rewardMode: 'all', maxEpisodes: E, stopWhenSolved: false, seed: 7 });
    const N = layers * 15 + 1;
    console.log(
      `${policy.padEnd(8)} layers=${layers} neurons=${String(N).padStart(2)}  ` +
        `env steps ${s.envSteps.toString().padStart(7)} in ${s.wallSeconds.toFixed(2)} s  ` +
        `-> ${Math.round(s.envStepsPerSecond).toString().padStart(6)} env steps/s, ` +
        `${((s.envStepsPerSecond * N) / 1e6).toFixed(2)} M neuron-steps/s`,
    );
  }
}
