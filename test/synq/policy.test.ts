import { describe, expect, it } from 'vitest';
import { initActionWords, initStateWords, laneOf, packState, stateIndex, withLane } from '../../src/synq/packed-state.ts';
import { applyActions, explorationDraw, greedyAction, selectActions } from '../../src/synq/policy-kernels.ts';
import { TABLE_SIZE } from '../../src/synq/q-table.ts';

const actionsOf = (words: Uint32Array, N: number, R = 1): number[] => {
  const out: number[] = [];
  const W = Math.ceil(N / 4);
  for (let r = 0; r < R; r++) for (let i = 0; i < N; i++) out.push(laneOf(words[r * W + (i >> 2)], i & 3));
  return out;
};

describe('epsilon-greedy action selection', () => {
  it('greedy takes the first index on ties', () => {
    const q = new Float32Array(TABLE_SIZE);
    const s = stateIndex(packState(0, 2, 2, 0));
    expect(greedyAction(q, 0, s)).toBe(0); // all equal
    q[81 + s] = 1;
    q[162 + s] = 1;
    expect(greedyAction(q, 0, s)).toBe(1); // tie between 1 and 2
    q[162 + s] = 1.5;
    expect(greedyAction(q, 0, s)).toBe(2);
  });

  it('epsilon 0 is greedy per synapse state and per replica table', () => {
    const N = 5;
    const R = 2;
    const st = initStateWords(R, N);
    st[1] = withLane(st[1], 0, packState(2, 2, 2, 2)); // replica 0, synapse 4
    const q = new Float32Array(R * TABLE_SIZE);
    const s0 = stateIndex(0x55);
    q[81 + s0] = 1; // replica 0: hold in the initial state
    q[TABLE_SIZE + 162 + s0] = 1; // replica 1: increase
    q[162 + stateIndex(packState(2, 2, 2, 2))] = 3;
    const a = initActionWords(R, N);
    selectActions(R, N, st, q, a, 0, 1, 1);
    expect(actionsOf(a, N, R)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
  });

  it('epsilon 1 explores with uniform random actions, reproducibly', () => {
    const N = 3000;
    const q = new Float32Array(TABLE_SIZE);
    const a = initActionWords(1, N);
    selectActions(1, N, initStateWords(1, N), q, a, 1, 42, 7);
    const acts = actionsOf(a, N);
    const counts = [0, 1, 2].map((k) => acts.filter((x) => x === k).length);
    for (const c of counts) expect(c).toBeGreaterThan(900);
    for (const c of counts) expect(c).toBeLessThan(1100);
    const again = initActionWords(1, N);
    selectActions(1, N, initStateWords(1, N), q, again, 1, 42, 7);
    expect(Array.from(again)).toEqual(Array.from(a));
    const other = initActionWords(1, N);
    selectActions(1, N, initStateWords(1, N), q, other, 1, 42, 8);
    expect(Array.from(other)).not.toEqual(Array.from(a));
  });

  it('explores with probability epsilon', () => {
    let explored = 0;
    for (let i = 0; i < 20000; i++) if (explorationDraw(3, i, 5, Math.fround(0.25)) >= 0) explored++;
    expect(explored / 20000).toBeGreaterThan(0.24);
    expect(explored / 20000).toBeLessThan(0.26);
  });

  it('applyActions moves weights by (a-1)*alpha_s*scale', () => {
    const N = 4;
    const w = new Float32Array([1, 1, 1, 1, 0, 0, 0, 0]);
    const a = new Uint32Array([0x00010200, 0x02020202]); // replica 0: actions 0,2,1,0; replica 1: all 2
    applyActions(2, N, w, a, new Float32Array([2, 1, 1, 1]), 0.5);
    expect(Array.from(w)).toEqual([0, 1.5, 1, 0.5, 1, 0.5, 0.5, 0.5]);
  });
});
