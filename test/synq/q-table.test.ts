import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenQTable, parseQTable, qTableFromJson, qTableToJson, serializeQTable, tableIndex, TABLE_SIZE } from '../../src/synq/q-table.ts';

describe('Q-table JSON', () => {
  it('the shipped golden table equals the reference file and keeps its layout', () => {
    const g = goldenQTable();
    expect(g.length).toBe(TABLE_SIZE);
    const ref = JSON.parse(readFileSync('/work/shared/reference/synaptic-q-golden-table.json', 'utf8'));
    expect(g[tableIndex(0, 0, 0, 0, 0)]).toBe(Math.fround(ref.Q[0][0][0][0][0]));
    expect(g[tableIndex(0, 1, 1, 1, 1)]).toBe(Math.fround(ref.Q[0][1][1][1][1]));
    expect(g[tableIndex(2, 1, 0, 2, 0)]).toBe(Math.fround(ref.Q[2][1][0][2][0]));
    expect(Array.from(parseQTable(JSON.stringify(ref)))).toEqual(Array.from(g));
  });

  it('round-trips through JSON', () => {
    const t = new Float32Array(TABLE_SIZE).map((_, i) => Math.fround(i * 0.37 - 20));
    const back = parseQTable(serializeQTable(t));
    expect(Array.from(back)).toEqual(Array.from(t));
    expect(qTableToJson(t).Q[1][2][0][1][2]).toBe(t[tableIndex(1, 2, 0, 1, 2)]);
  });

  it('names the path and the problem of a bad table', () => {
    const good = qTableToJson(goldenQTable());
    const clone = () => JSON.parse(JSON.stringify(good));
    expect(() => qTableFromJson(null, 'f.json')).toThrow(/f\.json: expected an object/);
    expect(() => qTableFromJson({}, 'f.json')).toThrow(/missing "Q"/);
    const short = clone();
    short.Q[2][0].pop();
    expect(() => qTableFromJson(short, 'f.json')).toThrow(/f\.json: Q\[2\]\[0\] has length 2, expected 3/);
    const nan = clone();
    nan.Q[1][2][0][1][2] = 'x';
    expect(() => qTableFromJson(nan)).toThrow(/Q\[1\]\[2\]\[0\]\[1\]\[2\] must be a finite number/);
    const notArr = clone();
    notArr.Q[0][0][0] = 5;
    expect(() => qTableFromJson(notArr)).toThrow(/Q\[0\]\[0\]\[0\] must be an array/);
    expect(() => parseQTable('{oops', 'bad.json')).toThrow(/bad\.json: not valid JSON/);
    expect(() => parseQTable(JSON.stringify({ Q: [[1e400]] }))).toThrow(/length 1/);
  });
});
