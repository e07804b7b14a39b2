import { buildModel } from '../../src/experiment/build.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import { trainExperiment, type TrainResult } from '../../src/experiment/train.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import type { MetricsRecord } from '../../src/run/model.ts';
import type { CodingCostModel, CodingCostTrained } from '../../src/rules/coding-cost.ts';

/**
 * Train a coding-cost experiment (rule fields and run fields over the defaults) through the one loop:
 * the loop's result, every metrics record in order, and what the model kept of the trained network.
 */
export async function trainCodingCost(
  rule: Record<string, unknown>,
  run: Record<string, unknown> = {},
  ctx?: GpuContext,
): Promise<{ result: TrainResult; records: MetricsRecord[]; trained: CodingCostTrained }> {
  const x = parseExperiment({ rule: { name: 'coding-cost', ...rule }, run: { backend: 'cpu', ...run } });
  const model = buildModel(x) as CodingCostModel;
  const records: MetricsRecord[] = [];
  const result = await trainExperiment(x, { ctx, model, sink: { write: (m) => void records.push(m), flush: () => records.length } });
  return { result, records, trained: model.trained! };
}
