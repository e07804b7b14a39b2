import { describe, expect, it } from 'vitest';
import { chalkCountsSweep, trainChalkCounts } from '../../src/chalk/counts.ts';

describe('chalk example (a): 8 neurons, targets 2 (x=-1) and 6 (x=+1)', () => {
  it('small lambda puts most mass on the target counts', () => {
    const s = trainChalkCounts({ lambda: 0.1 });
    expect(s.converged).toBe(true);
    expect(s.modeCount).toEqual({ '-1': 2, '+1': 6 });
    expect(s.massOnTarget['-1']).toBeGreaterThan(0.9);
    expect(s.massOnTarget['+1']).toBeGreaterThan(0.9);
    // Neurons fire when fewer than target others are active: at x=-1, with 1 other active fire, with 2 do not.
    expect(s.policyByOthersCount['-1']![1]).toBeGreaterThan(0.9);
    expect(s.policyByOthersCount['-1']![2]).toBeLessThan(0.1);
    expect(JSON.parse(JSON.stringify(s)).massOnTarget).toEqual(s.massOnTarget);
  });

  it('mass on target and coding cost fall as lambda grows (symmetric population)', () => {
    const rows = chalkCountsSweep([0.1, 0.5, 1, 2]);
    for (let k = 1; k < rows.length; k++) {
      expect(rows[k]!.performance).toBeLessThan(rows[k - 1]!.performance);
      expect(rows[k]!.codingCostBits).toBeLessThan(rows[k - 1]!.codingCostBits);
      expect(rows[k]!.objective).toBeLessThan(rows[k - 1]!.objective);
    }
    expect(rows[rows.length - 1]!.performance).toBeLessThan(0.6);
  });

  it('smooth reward -|count - target| also centres the counts on the targets', () => {
    const s = trainChalkCounts({ lambda: 0.2, reward: 'smooth' });
    expect(s.modeCount).toEqual({ '-1': 2, '+1': 6 });
  });
});
