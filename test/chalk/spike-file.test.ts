import { describe, expect, it } from 'vitest';
import { countsProblemFromConfig } from '../../src/chalk/counts.ts';
import { mergeCountsConfig } from '../../src/chalk/config.ts';
import { simulate } from '../../src/chalk/dynamics.ts';
import { solveExact } from '../../src/chalk/exact-solver.ts';
import { inferReward } from '../../src/chalk/infer.ts';
import { countTransitions } from '../../src/chalk/inverse.ts';
import { formatSpikeFile, parseSpikeFile, SpikeFileError } from '../../src/chalk/spike-file.ts';

describe('chalk spike files', () => {
  it('parses whitespace/comma rows, comments, and numbers inputs in sorted order', () => {
    const t = parseSpikeFile('# a comment\n0 1 0 +1\n\n1,1,0,-1\n1 1 0 -1\n');
    expect(t.neurons).toBe(3);
    expect(t.steps).toBe(3);
    expect(Array.from(t.sigma)).toEqual([0, 1, 0, 1, 1, 0, 1, 1, 0]);
    expect(Array.from(t.input)).toEqual([1, 0, 0]);
    expect(t.inputLabels).toEqual(['-1', '+1']);
  });

  it('reads multi-column inputs with a header', () => {
    const t = parseSpikeFile('# chalk-spikes neurons=2 inputs=3\n0 1 1 0 1\n1 1 0 0 0\n');
    expect(t.neurons).toBe(2);
    expect(t.inputValues).toEqual([
      [0, 0, 0],
      [1, 0, 1],
    ]);
  });

  it.each([
    ['', /empty spike file/],
    ['# only comments\n\n', /empty spike file/],
    ['0 1 0 1\n0 1 1\n', /^line 2: expected 4 columns \(3 neurons \+ 1 input\), got 3/],
    ['0 1 0 1\n0 2 0 1\n', /^line 2: column 2: spike value '2' is not binary/],
    ['0 1 0 1\n0 1 0 x\n', /^line 2: column 4: input value 'x' is not an integer/],
    ['0 1 0 1\n', /at least 2 are needed/],
    ['1\n', /^line 1: expected at least 2 columns/],
    ['# chalk-spikes neurons=3 inputs=1\n0 1 0 1 1\n', /^line 2: expected 4 columns/],
    ['# chalk-spikes neurons=a\n0 1\n', /^line 1: header neurons must be an integer/],
    ['# chalk-spikes neurons=2 colour=red\n', /^line 1: unknown header field 'colour'/],
    ['0 1 1\n# chalk-spikes neurons=2\n0 1 1\n', /^line 2: header "# chalk-spikes" must come before/],
  ])('rejects malformed file %#', (text, msg) => {
    expect(() => parseSpikeFile(text)).toThrow(SpikeFileError);
    expect(() => parseSpikeFile(text)).toThrow(msg);
  });

  it('rejects trains that change two neurons in one step (not asynchronous)', () => {
    const t = parseSpikeFile('0 0 1\n1 1 1\n');
    expect(() => countTransitions(t)).toThrow(/row 2: 2 neurons changed/);
  });

  it('round-trips an engine spike train and infers the targets from the text', () => {
    const lambda = 0.5;
    const p = countsProblemFromConfig(mergeCountsConfig({ lambda }));
    const sol = solveExact(p, lambda);
    const train = simulate(p, sol.piOne, { steps: 100_000, seed: 5 });
    const text = formatSpikeFile(train);
    const back = parseSpikeFile(text);
    expect(Array.from(back.sigma)).toEqual(Array.from(train.sigma));
    expect(Array.from(back.input)).toEqual(Array.from(train.input));
    const res = inferReward({ spikes: text, lambda, method: 'bellman' });
    expect(res.bellman!.inferredTarget).toEqual({ '-1': 2, '+1': 6 });
  });
});
