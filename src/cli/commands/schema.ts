import { experimentDocs, experimentJsonSchema } from '../../experiment/docs.ts';
import type { CliCommand } from '../command.ts';
import { jsonFlag } from '../flags.ts';

/** `hedonist schema [--json]`: the experiment file's reference (markdown) or its JSON Schema. */
export const schemaCommand: CliCommand = {
  path: ['schema'],
  summary: 'the experiment file reference (markdown; --json: the JSON Schema)',
  flags: { json: jsonFlag() },
  async run(f) {
    return f.json ? experimentJsonSchema() : { markdown: experimentDocs() };
  },
  format: (r) => String((r as { markdown: string }).markdown).trimEnd(),
};
