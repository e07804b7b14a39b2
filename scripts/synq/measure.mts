/**
 * Measurements for the synaptic Q-learning CPU reference (long runs; not a test): the 'synaptic-q'
 * and 'gd' rules on the CPU executor.
 *   npx tsx scripts/synq/measure.mts [boundaryIters] [mnistIters] [gdIters] [boundaryReplicas]
 * Prints one JSON line per measurement.
 */
import { parseExperiment } from '../../src/experiment/load.ts';
import { trainExperiment } from '../../src/experiment/train.ts';
import type { GdMnistSummary, SynqBoundarySummary, SynqMnistSummary } from '../../src/rules/synq-decoders.ts';
import type { MetricsRecord } from '../../src/run/model.ts';

const [bIters = 20000, mIters = 10000, gIters = 50, bReplicas = 3] = process.argv.slice(2).map(Number);
const log = (o: unknown): void => console.log(JSON.stringify(o));
const train = async <S,>(rule: Record<string, unknown>, run: Record<string, unknown>, onRecord?: (m: MetricsRecord) => void): Promise<S> =>
  (await trainExperiment(parseExperiment({ rule, run: { backend: 'cpu', ...run } }), { sink: { write: (m) => onRecord?.(m), flush: () => 0 } })).summary as S;

if (bIters > 0) {
  for (const policy of ['golden', 'train'] as const) {
    const s = await train<SynqBoundarySummary>({ name: 'synaptic-q', task: { kind: 'boundary' }, policy, iterations: bIters, evalEvery: 250 }, { replicas: bReplicas, seed: 7 });
    log({
      what: `boundary-${policy}`,
      iterations: bIters,
      replicas: bReplicas,
      points: 2000,
      itersPerSec: s.iterationsPerSecond,
      finalAccuracy: s.finalAccuracy,
      firstReached: s.firstReached,
      curve: s.curve.filter((_, i) => i % 8 === 7).map((c) => [c.iteration, ...c.accuracy.map((a) => +a.toFixed(4))]),
    });
  }
}
if (mIters > 0) {
  const evalEvery = Math.min(1000, Math.max(1, Math.floor(mIters / 5)));
  const s = await train<SynqMnistSummary>({ name: 'synaptic-q', task: { kind: 'mnist', hidden: 0 }, iterations: mIters, evalEvery }, { replicas: 1, seed: 1 }, (m) => {
    if (m.validAccuracy !== undefined) log({ what: 'mnist0-progress', iteration: m.iteration, batchLoss: m.loss, validAccuracy: m.validAccuracy });
  });
  log({ what: 'synq-mnist-0hu', iterations: mIters, itersPerSec: s.iterationsPerSecond, validAccuracy: s.validAccuracy, validLoss: s.validLoss });
}
if (gIters > 0) {
  const g = await train<GdMnistSummary>({ name: 'gd', task: { kind: 'mnist', hidden: 0 }, iterations: gIters, evalEvery: 10 }, { replicas: 1, seed: 1 });
  log({ what: 'gd-mnist-0hu', iterations: gIters, itersPerSec: g.iterationsPerSecond, validAccuracy: g.validAccuracy, curve: g.curve.map((c) => [c.iteration, c.validAccuracy[0]]) });
}
