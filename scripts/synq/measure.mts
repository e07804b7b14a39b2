/**
 * Measurements for the synaptic Q-learning CPU reference (long runs; not a test).
 *   npx tsx scripts/synq/measure.mts [boundaryIters] [mnistIters] [gdIters] [boundaryReplicas]
 * Prints one JSON line per measurement.
 */
import { trainSynqBoundary } from '../../src/synq/train-boundary.ts';
import { trainSynqMnist } from '../../src/synq/train-mnist.ts';
import { trainGdMnist } from '../../src/synq/train-gd.ts';

const [bIters = 20000, mIters = 10000, gIters = 50, bReplicas = 3] = process.argv.slice(2).map(Number);
const log = (o: unknown): void => console.log(JSON.stringify(o));

if (bIters > 0) {
  for (const policy of ['golden', 'train'] as const) {
    const s = await trainSynqBoundary({ policy, iterations: bIters, evalEvery: 250, replicas: bReplicas, seed: 7 });
    log({
      what: `boundary-${policy}`, iterations: bIters, replicas: bReplicas, points: 2000,
      itersPerSec: s.iterationsPerSecond, finalAccuracy: s.finalAccuracy, firstReached: s.firstReached,
      curve: s.curve.filter((_, i) => i % 8 === 7).map((c) => [c.iteration, ...c.accuracy.map((a) => +a.toFixed(4))]),
    });
  }
}
if (mIters > 0) {
  const s = await trainSynqMnist({ hidden: 0, iterations: mIters, evalEvery: Math.min(1000, Math.max(1, Math.floor(mIters / 5))) }, {
    onIteration(m) {
      if (m.validAccuracy !== undefined) log({ what: 'mnist0-progress', iteration: m.iteration, batchLoss: m.loss, validAccuracy: m.validAccuracy });
    },
  });
  log({ what: 'synq-mnist-0hu', iterations: mIters, itersPerSec: s.iterationsPerSecond, validAccuracy: s.validAccuracy, validLoss: s.validLoss });
}
if (gIters > 0) {
  const g = await trainGdMnist({ hidden: 0, iterations: gIters, evalEvery: 10 });
  log({ what: 'gd-mnist-0hu', iterations: gIters, itersPerSec: g.iterationsPerSecond, validAccuracy: g.validAccuracy, curve: g.curve.map((c) => [c.iteration, c.validAccuracy[0]]) });
}
