import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inlineFiles } from '../../src/cli/experiment-files.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { experimentDocs, experimentJsonSchema } from '../../src/experiment/docs.ts';
import { parseExperimentText } from '../../src/experiment/load.ts';

const PRESETS = readdirSync('experiments').filter((f) => f.endsWith('.json') && f !== 'experiment.schema.json');

describe('experiment files', () => {
  it('docs/experiment.md is generated from the schema (run `hedonist schema > docs/experiment.md`)', () => {
    expect(readFileSync('docs/experiment.md', 'utf8')).toBe(experimentDocs());
  });

  it('experiments/experiment.schema.json is the current JSON Schema (run `hedonist schema --json > experiments/experiment.schema.json`)', () => {
    expect(JSON.parse(readFileSync('experiments/experiment.schema.json', 'utf8'))).toEqual(experimentJsonSchema());
  });

  it.each(PRESETS)('preset %s validates and composes into a step program', (f) => {
    const path = `experiments/${f}`;
    const x = inlineFiles(parseExperimentText(readFileSync(path, 'utf8'), path), path);
    const m = buildModel({ ...x, run: { ...x.run, replicas: 2 } });
    // Only a model that runs no steps (the exact coding-cost solver) may have an empty step list.
    if (m.stepLimit !== 0) expect(m.program.step.length).toBeGreaterThan(0);
    expect(m.program.buffers.length + (m.stepLimit === 0 ? 1 : 0)).toBeGreaterThan(0);
  });
});
