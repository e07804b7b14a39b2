import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { etaSeconds, formatSeconds, makeProgress } from '../../src/cli/progress.ts';

describe('progress bars', () => {
  it("ETA: unknown for the first 2 s, then the time left at the whole run's mean rate", () => {
    const start = { t: 0, done: 100 };
    expect(etaSeconds(start, 1000, 500, 1000)).toBeNaN();
    expect(etaSeconds(start, 4000, 100, 1000)).toBeNaN();
    // 400 done in 4 s since the first update: 100/s, 500 left -> 5 s.
    expect(etaSeconds(start, 4000, 500, 1000)).toBeCloseTo(5, 12);
    expect([formatSeconds(Number.NaN), formatSeconds(42.4), formatSeconds(185), formatSeconds(3720)]).toEqual(['?', '42s', '3m05s', '1h02m']);
  });

  it("names its unit (the model decoder's, else the one it was made with)", () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += String(d)));
    const orig = Object.getOwnPropertyDescriptor(process, 'stderr')!;
    Object.defineProperty(process, 'stderr', { value: Object.assign(out, { isTTY: true, columns: 200, cursorTo() {}, clearLine() {}, moveCursor() {} }) });
    try {
      const bar = makeProgress('demo', true, 'iterations');
      bar.update(3, 10);
      bar.update(5, 10, {}, 'episodes');
      bar.stop();
    } finally {
      Object.defineProperty(process, 'stderr', orig);
    }
    expect(text).toMatch(/3\/10 iterations/);
    expect(text).toMatch(/5\/10 episodes/);
    expect(text).not.toMatch(/ eps /);
  });
});
