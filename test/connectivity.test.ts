import { describe, expect, it } from 'vitest';
import { daleProjectCpu, daleSigns, fanInFromEdgeList, localFanIn, outgoingIndex, randomFanIn } from '../src/connectivity/fan-in.ts';

describe('connectivity', () => {
  it('random fan-in gives K distinct presynaptic units per neuron, reproducibly', () => {
    const c = randomFanIn(1, 500, 20, 100);
    for (let n = 0; n < 500; n++) {
      const pre = new Set<number>();
      for (let k = 0; k < 20; k++) pre.add(c.index[k * 500 + n]!);
      expect(pre.size).toBe(20);
      for (const p of pre) expect(p).toBeLessThan(100);
    }
    expect(randomFanIn(1, 500, 20, 100).index).toEqual(c.index);
    expect(randomFanIn(2, 500, 20, 100).index).not.toEqual(c.index);
  });

  it('local fan-in centres a window on each neuron’s position, wrapping around', () => {
    const c = localFanIn(4, 3, 8);
    // neuron 0 at 0: [-1, 0, 1] -> [7, 0, 1]; neuron 2 at 4: [3, 4, 5]
    expect([0, 1, 2].map((k) => c.index[k * 4 + 0])).toEqual([7, 0, 1]);
    expect([0, 1, 2].map((k) => c.index[k * 4 + 2])).toEqual([3, 4, 5]);
  });

  it('edge lists pad short neurons with the zero sentinel, keep weights and signs, and name bad lines', () => {
    const c = fanInFromEdgeList('# pre post weight sign\n0 0 0.5 E\n1 0 -0.25 I\n2 1 1.0 E\n', { neurons: 2, presynaptic: 3 });
    expect(c.fanIn).toBe(2);
    expect(Array.from(c.index)).toEqual([0, 2, 1, 3]); // k-major; neuron 1's second slot is the sentinel 3
    expect(Array.from(c.weight!)).toEqual([0.5, 1, -0.25, 0]);
    expect(Array.from(c.sign!)).toEqual([1, -1, 1]);
    expect(() => fanInFromEdgeList('0 0\n0 5\n', { neurons: 2, presynaptic: 3 })).toThrow("edge list line 2: post must be an integer in [0, 1], got '5'");
    expect(() => fanInFromEdgeList('0 0 x\n', { neurons: 2, presynaptic: 3 })).toThrow(/line 1: weight must be a finite number/);
    expect(() => fanInFromEdgeList('0 0 1 E\n0 1 1 I\n', { neurons: 2, presynaptic: 3 })).toThrow(/line 2: presynaptic 0 is both excitatory and inhibitory/);
    expect(() => fanInFromEdgeList('\n# nothing\n', { neurons: 2, presynaptic: 3 })).toThrow(/no synapses/);
  });

  it('the outgoing index lists every real synapse once under its presynaptic unit', () => {
    const c = randomFanIn(3, 50, 8, 30);
    const { offset, synapse } = outgoingIndex(c);
    expect(synapse.length).toBe(50 * 8);
    for (let j = 0; j < 30; j++) for (let i = offset[j]!; i < offset[j + 1]!; i++) expect(c.index[synapse[i]!]).toBe(j);
  });

  it('Dale projection zeroes weights whose sign disagrees with their presynaptic unit', () => {
    const c = { ...randomFanIn(4, 10, 3, 6), sign: daleSigns(4, 6, 0.5) };
    const theta = Float32Array.from({ length: 4 * 10 }, (_, i) => (i % 2 ? 1 : -1));
    daleProjectCpu(theta, c, 1);
    for (let k = 0; k < 3; k++)
      for (let n = 0; n < 10; n++) {
        const w = theta[k * 10 + n]!;
        expect(w * c.sign[c.index[k * 10 + n]!]!).toBeGreaterThanOrEqual(0);
      }
    expect(Array.from(theta.subarray(30))).toEqual(Array.from({ length: 10 }, (_, i) => ((30 + i) % 2 ? 1 : -1)));
  });
});
