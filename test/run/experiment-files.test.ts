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

  // A field the rule does not read is refused (one line naming it), never silently ignored.
  it.each<[string, { population: object; rule?: object }, RegExp]>([
    [
      'worm-chemotaxis-balanced.json',
      { population: { hidden: [16], wiring: [{ kind: 'connectome' }, { kind: 'dense' }] }, rule: { name: 'weight-max', actorLr: { start: [0.01, 0.001], end: [0.01, 0.001] } } },
      /^population\.wiring: rule weight-max does not use it \(rules reinforce, ott do\); leave it out or list only dense layers$/,
    ],
    ['chung-cartpole.json', { population: { dale: {} } }, /^population\.dale: rule weight-max does not use it \(rule reinforce does\); leave it out$/],
    ['ott-cartpole.json', { population: { fanIn: 4 } }, /^population\.fanIn: rule ott does not use it \(rule weight-max does\); leave it out$/],
    ['cartpole-reinforce.json', { population: { mlpHidden: 8 } }, /^population\.mlpHidden: rule reinforce does not use it \(rule ott does\); leave it out$/],
    ['synq-mnist.json', { population: { leakySlope: 0.1 } }, /^population\.leakySlope: rule synaptic-q does not use it \(rule ott does\); leave it out$/],
  ])('%s with population fields its rule does not read is refused', (f, patch, msg) => {
    const path = `experiments/${f}`;
    const raw = JSON.parse(readFileSync(path, 'utf8'));
    const x = { ...raw, population: { ...raw.population, ...patch.population }, rule: patch.rule ?? raw.rule };
    expect(() => buildModel(inlineFiles(parseExperimentText(JSON.stringify(x), path), path))).toThrow(msg);
  });

  it('an all-dense wiring is no wiring: weight-max builds with one', () => {
    const path = 'experiments/chung-cartpole.json';
    const raw = JSON.parse(readFileSync(path, 'utf8'));
    const x = { ...raw, population: { ...raw.population, wiring: [{ kind: 'dense' }, { kind: 'dense' }, { kind: 'dense' }] } };
    expect(buildModel(parseExperimentText(JSON.stringify(x), path)).program.step.length).toBeGreaterThan(0);
  });
});
