import { experimentDocs, experimentJsonSchema } from '../../experiment/docs.ts';
import { sweepDocs, sweepJsonSchema } from '../../sweep/docs.ts';
import type { CliCommand } from '../command.ts';
import { jsonFlag } from '../flags.ts';

/** `hedonist schema [--sweep] [--json]`: the experiment (or sweep) file's reference (markdown) or its JSON Schema. */
export const schemaCommand: CliCommand = {
  path: ['schema'],
  summary: "the experiment file reference (markdown; --json: the JSON Schema; --sweep: the sweep file's)",
  flags: {
    json: jsonFlag(),
    sweep: { type: 'bool', help: 'the sweep file (docs/sweep-file.md, experiments/sweeps/sweep.schema.json) instead of the experiment file' },
  },
  async run(f) {
    if (f.sweep) return f.json ? sweepJsonSchema() : { markdown: sweepDocs() };
    return f.json ? experimentJsonSchema() : { markdown: experimentDocs() };
  },
  format: (r) => String((r as { markdown: string }).markdown).trimEnd(),
};
