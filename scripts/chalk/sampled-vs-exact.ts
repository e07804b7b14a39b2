/**
 * Sampling learner vs exact solver on the 8-neuron preset over lambda and run length (the sampler
 * runs as the coding-cost experiment on the CPU executor).
 * Usage: npx tsx scripts/chalk/sampled-vs-exact.ts
 */
import { countsProblemFromConfig, mergeCountsConfig, solveExact, totalVariation, viewIndex } from '../../src/chalk/index.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import { trainExperiment } from '../../src/experiment/train.ts';
import type { CodingCostModel } from '../../src/rules/coding-cost.ts';

async function runSampler(lambda: number, sampled: { steps: number; inputExpectation: boolean }) {
  const x = parseExperiment({ rule: { name: 'coding-cost', lambda, solver: 'sampled', sampled }, run: { seed: 1, backend: 'cpu' } });
  const model = buildModel(x) as CodingCostModel;
  await trainExperiment(x, { model });
  return model.trained!.sampled!;
}

const rows = [];
for (const lambda of [0.1, 0.15]) {
  const p = countsProblemFromConfig(mergeCountsConfig({ lambda }));
  const ex = solveExact(p, lambda);
  for (const steps of [3_000, 12_000, 30_000]) {
    for (const inputExpectation of [true, false]) {
      const t0 = Date.now();
      const sm = await runSampler(lambda, { steps, inputExpectation });
      let err = 0;
      for (let i = 0; i < 8; i++)
        for (let x = 0; x < 2; x++)
          for (let s = 0; s < 256; s++) {
            const k = i * 256 + viewIndex(8, s, x, i);
            err += (ex.analysis.nu[x * 256 + s]! * Math.abs(ex.piOne[k]! - sm.piOne[k]!)) / 8;
          }
      rows.push({
        lambda,
        steps,
        inputExpectation,
        tvCountMinus: +totalVariation(ex.analysis.countDist[0]!, sm.analysis.countDist[0]!).toFixed(4),
        tvCountPlus: +totalVariation(ex.analysis.countDist[1]!, sm.analysis.countDist[1]!).toFixed(4),
        policyErr: +err.toFixed(4),
        gainSampled: +sm.gain.toFixed(4),
        gainExact: +ex.gain.toFixed(4),
        maxMarginalDev: +Math.max(...Array.from(sm.state.marginal, (m) => Math.abs(m - 0.5))).toFixed(3),
        seconds: (Date.now() - t0) / 1000,
      });
    }
  }
}
console.table(rows);
