/** Runs a synaptic-Q or GD experiment through the core for the synq tests: its records and summary. */
import { parseExperiment } from '../../src/experiment/load.ts';
import { trainExperiment, type TrainResult } from '../../src/experiment/train.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import type { LoopOptions } from '../../src/run/loop.ts';
import type { MetricsRecord } from '../../src/run/model.ts';

export type Rec = MetricsRecord;

/** An experiment from a rule and run fields (the backend 'cpu' unless given). */
export const experiment = (rule: Record<string, unknown>, run: Record<string, unknown> = {}) => parseExperiment({ rule, run: { backend: 'cpu', ...run } });

/** Train through the one loop, keeping every record; `records` may start with a resumed run's lines. */
export async function train<S = Record<string, unknown>>(
  rule: Record<string, unknown>,
  run: Record<string, unknown> = {},
  o: LoopOptions & { ctx?: GpuContext; records?: Rec[] } = {},
): Promise<{ records: Rec[]; summary: S; result: TrainResult }> {
  const records = o.records ?? [];
  const result = await trainExperiment(experiment(rule, run), { ...o, sink: { write: (m) => void records.push(m), flush: () => records.length } });
  return { records, summary: result.summary as S, result };
}
