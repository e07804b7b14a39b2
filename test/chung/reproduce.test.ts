import { describe, expect, it } from 'vitest';
import { reproduceChungTable1, runChungScaling, table1Config } from '../../src/chung/reproduce.ts';

describe('reproduction entry points', () => {
  it('Table 1 rows sit beside the paper numbers', async () => {
    const rows = await reproduceChungTable1({
      tasks: ['multiplexer', 'cartpole'],
      rows: ['weightmax', 'weightmax+traces'],
      replicas: 2,
      episodes: { multiplexer: 200, cartpole: 3 },
    });
    // The paper has no traces cell for the multiplexer.
    expect(rows.map((r) => `${r.task}/${r.row}`)).toEqual(['multiplexer/weightmax', 'cartpole/weightmax', 'cartpole/weightmax+traces']);
    expect(rows[0]).toMatchObject({ paperMean: 0.81, paperStd: 0.01, replicas: 2, episodes: 200, comparable: false });
    expect(rows[2]).toMatchObject({ paperMean: 373.11, paperStd: 17.86 });
    for (const r of rows) {
      expect(Number.isFinite(r.mean)).toBe(true);
      expect(r.std).toBeGreaterThanOrEqual(0);
    }
    expect(table1Config('weightmax+traces', 'cartpole')).toMatchObject({ rule: 'weightmax', traces: true, episodes: 1000, replicas: 10 });
    expect(table1Config('weightmax+traces', 'multiplexer')).toBeNull();
  });

  it('scaling runs dense and sparse 64M-32M networks', async () => {
    const rows = await runChungScaling({ M: [0.25, 2], rules: ['weightmax'], episodes: 100, fanIn: 8 });
    expect(rows.map((r) => r.hidden)).toEqual([
      [16, 8],
      [128, 64],
    ]);
    expect(rows.every((r) => r.fanIn === 8 && Number.isFinite(r.mean))).toBe(true);
  });
});
