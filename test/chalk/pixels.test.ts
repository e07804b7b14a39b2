import { describe, expect, it } from 'vitest';
import { mergePixelsConfig } from '../../src/chalk/config.ts';
import { chalkPixelsSweep, trainChalkPixels } from '../../src/chalk/pixels.ts';

describe('chalk example (b): 7 pixels, 7 neurons, encode y = [more than 3 active]', () => {
  it('all neurons share one tuning curve that rises with the number of active pixels', () => {
    const s = trainChalkPixels({ lambda: 0.1 });
    expect(s.converged).toBe(true);
    for (const row of s.tuning) for (let k = 0; k < row.length; k++) expect(row[k]).toBeCloseTo(s.tuning[0]![k]!, 6);
    expect(s.tuning[0]![4]!).toBeGreaterThan(s.tuning[0]![3]! + 0.3);
    expect(s.decodingAccuracy).toBeGreaterThan(0.85);
    expect(s.informationBits).toBeGreaterThan(0.5);
  });

  it('count-reduced inputs give the same optimum as all 128 pixel patterns', () => {
    const a = trainChalkPixels({ lambda: 0.2, inputMode: 'count' });
    const b = trainChalkPixels({ lambda: 0.2, inputMode: 'pixels' });
    expect(b.informationBits).toBeCloseTo(a.informationBits, 3);
    expect(b.codingCostBits).toBeCloseTo(a.codingCostBits, 3);
  }, 60_000);

  it('coding cost falls with lambda; validation names fields', () => {
    const rows = chalkPixelsSweep([0.05, 0.5, 2]);
    expect(rows[1]!.codingCostBits).toBeLessThan(rows[0]!.codingCostBits);
    expect(rows[2]!.codingCostBits).toBeLessThan(rows[1]!.codingCostBits);
    expect(() => mergePixelsConfig({ pixelProb: 1 })).toThrow(/pixelProb must be in \(0, 1\)/);
    expect(() => mergePixelsConfig({ pixels: 8, inputMode: 'pixels' })).toThrow(/pixels must be <= 7/);
  });
});
