import { describe, expect, it } from 'vitest';
import {
  getStateByte,
  initActionWords,
  initStateWords,
  INITIAL_STATE_BYTE,
  laneOf,
  nextStateByte,
  packState,
  shiftState,
  stateIndex,
  unpackState,
  withLane,
  wordsPerReplica,
} from '../../src/synq/packed-state.ts';
import { tableIndex } from '../../src/synq/q-table.ts';

describe('packed synapse state', () => {
  it('packs and unpacks every state', () => {
    const seen = new Set<number>();
    for (let a2 = 0; a2 < 3; a2++)
      for (let a1 = 0; a1 < 3; a1++)
        for (let r2 = 0; r2 < 3; r2++)
          for (let r1 = 0; r1 < 3; r1++) {
            const b = packState(a2, a1, r2, r1);
            expect(b).toBeLessThan(256);
            expect(unpackState(b)).toEqual([a2, a1, r2, r1]);
            // the table row matches the golden layout Q[a][a2][a1][r2][r1]
            expect(stateIndex(b)).toBe(tableIndex(0, a2, a1, r2, r1));
            expect(2 * 81 + stateIndex(b)).toBe(tableIndex(2, a2, a1, r2, r1));
            seen.add(stateIndex(b));
          }
    expect(seen.size).toBe(81);
    expect(unpackState(INITIAL_STATE_BYTE)).toEqual([1, 1, 1, 1]);
  });

  it('shifts (a2, a1, r2, r1) -> (a1, a, r1, R)', () => {
    expect(unpackState(nextStateByte(packState(0, 2, 0, 2), 1, 0))).toEqual([2, 1, 2, 0]);
    expect(unpackState(nextStateByte(INITIAL_STATE_BYTE, 2, 2))).toEqual([1, 2, 1, 2]);
  });

  it('word lanes are independent bytes', () => {
    let w = 0x55555555;
    w = withLane(w, 2, 0xab);
    expect(laneOf(w, 2)).toBe(0xab);
    expect(laneOf(w, 0)).toBe(0x55);
    expect(laneOf(w, 3)).toBe(0x55);
    w = withLane(w, 3, 0xff);
    expect(w).toBe(0xffab5555);
  });

  it('shiftState kernel updates every synapse of every replica, skips padding', () => {
    const N = 6; // 2 words per replica, last word half padding
    const R = 2;
    expect(wordsPerReplica(N)).toBe(2);
    const s = initStateWords(R, N);
    const a = initActionWords(R, N);
    // synapse i of replica r takes action (i + r) % 3
    for (let r = 0; r < R; r++)
      for (let i = 0; i < N; i++) {
        const idx = r * 2 + (i >> 2);
        a[idx] = withLane(a[idx], i & 3, (i + r) % 3);
      }
    shiftState(R, N, s, a, new Uint8Array([2, 0]));
    for (let r = 0; r < R; r++)
      for (let i = 0; i < N; i++) {
        expect(unpackState(getStateByte(s, N, r, i))).toEqual([1, (i + r) % 3, 1, r === 0 ? 2 : 0]);
      }
    expect(laneOf(s[1], 2)).toBe(0x55); // padding lane untouched
    expect(laneOf(s[3], 3)).toBe(0x55);
  });
});
