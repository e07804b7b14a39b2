import { describe, expect, it } from 'vitest';
import { PAPER_TABLE1, table1Gaps, type Table1Row } from '../../src/synq/table1.ts';

function row(experiment: string, acc: number[], failed = acc.map(() => false)): Table1Row {
  const kept = acc.filter((_, r) => !failed[r]);
  const mean = kept.reduce((a, b) => a + b, 0) / kept.length;
  const paper = PAPER_TABLE1.find((p) => p.experiment === experiment)!;
  return { experiment, params: paper.params, iterations: 1, validAccuracy: acc, failed, min: 0, max: 0, mean, std: 0, wallSeconds: 1, paper };
}

describe('table1Gaps: SynRL - GD per size', () => {
  it('gives the mean and paired differences, the paper difference and the 2-point verdict, only for sizes with both rows', () => {
    // the measured Table 1 (SynRL on the H100, GD at the authors' GD protocol), as fractions
    const rows = [
      row('synrl-32hu', [0.9016, 0.8955, 0.8987, 0.9005, 0.8976]),
      row('gd-32hu', [0.9067, 0.9019, 0.9064, 0.9069, 0.9027]),
      row('synrl-0hu', [0.8835, 0.8821, 0.8841, 0.8832, 0.8819]),
      row('gd-0hu', [0.9191, 0.9143, 0.9185, 0.9199, 0.9165]), // the longer GD: more than 2 points above
    ];
    const [g0, g32] = table1Gaps(rows);
    expect(g0.hidden).toBe(0);
    expect(g0.gap).toBeCloseTo(-0.0347, 4);
    expect(g0.pairedGap).toBeCloseTo(-0.0347, 4);
    expect(g0.within2).toBe(false);
    expect(g0.paperGap).toBeCloseTo(0.0186, 4);
    expect(g32.gap).toBeCloseTo(-0.0061, 4);
    expect(g32.within2).toBe(true);
    expect(g32.paperGap).toBeCloseTo(-0.0111, 4);
    expect(table1Gaps(rows.slice(0, 3)).map((g) => g.hidden)).toEqual([32]); // no GD 0 HU row, no 0 HU gap
  });

  it('drops the paired difference when a SynRL replica failed to start (the means skip it)', () => {
    const rows = [row('synrl-0hu', [0.88, 0.1], [false, true]), row('gd-0hu', [0.89, 0.9])];
    const [g] = table1Gaps(rows);
    expect(g.pairedGap).toBeNull();
    expect(g.gap).toBeCloseTo(0.88 - 0.895, 6);
  });
});
