import { z } from 'zod';
import { fieldTables, type Js } from '../experiment/docs.ts';
import { SweepSchema } from './schema.ts';

/** The sweep file's JSON Schema (input side: defaults optional), for editors and `hedonist schema --sweep --json`. */
export function sweepJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(SweepSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** docs/sweep-file.md: every field of the sweep file, generated from the one schema. */
export function sweepDocs(): string {
  return (
    [
      '# Sweep files',
      '',
      'Generated from `SweepSchema` (src/sweep/schema.ts) by `hedonist schema --sweep > docs/sweep-file.md`;',
      'a test keeps it current. `hedonist schema --sweep --json` prints the JSON Schema (also in',
      '`experiments/sweeps/sweep.schema.json`, for editors: a sweep file names it in `"$schema"`). What a sweep',
      'is, how its cells are resolved and run, and the executors: [sweeps.md](sweeps.md). Every cell must also',
      'be a valid experiment ([experiment.md](experiment.md)); `hedonist sweep FILE` checks each before any runs.',
      '',
      ...fieldTables(sweepJsonSchema() as Js),
    ].join('\n') + '\n'
  );
}
