import { describe, expect, it } from 'vitest';
import { chungPreset } from '../../src/chung/config.ts';
import { trainChung } from '../../src/chung/trainer.ts';

const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;

describe('learning (fixed seeds)', () => {
  it('multiplexer: Weight Max clearly beats REINFORCE after 20k episodes', async () => {
    const base = { episodes: 20_000, replicas: 2, seed: 1 };
    const wm = await trainChung(chungPreset('multiplexer', { ...base, rule: 'weightmax' }));
    const rf = await trainChung(chungPreset('multiplexer', { ...base, rule: 'reinforce' }));
    // Returns are +-1, so chance level is 0.
    expect(Math.abs(rf.meanReturn)).toBeLessThan(0.05);
    expect(wm.meanReturn).toBeGreaterThan(rf.meanReturn + 0.08);
    expect(wm.finalMeanReturn).toBeGreaterThan(0.12);
    expect(Math.min(...wm.perReplica)).toBeGreaterThan(Math.max(...rf.perReplica));
  }, 60_000);

  it('cartpole: Weight Max improves over 150 episodes', async () => {
    const returns: number[][] = [[], []];
    const s = await trainChung(chungPreset('cartpole', { rule: 'weightmax', episodes: 150, replicas: 2, seed: 1 }), {
      onEpisode: (m, r) => returns[r]!.push(m.return!),
    });
    expect(s.episodesDone).toEqual([150, 150]);
    for (const r of returns) {
      expect(r).toHaveLength(150);
      expect(mean(r.slice(-30))).toBeGreaterThan(Math.max(60, 2 * mean(r.slice(0, 30))));
    }
    expect(s.meanReturn).toBeCloseTo(mean(returns.map(mean)), 6);
  }, 60_000);

  it('is deterministic for a seed and differs across seeds', async () => {
    const run = (seed: number) => trainChung(chungPreset('cartpole', { rule: 'ste', episodes: 5, replicas: 2, seed }));
    const [a, b, c] = await Promise.all([run(4), run(4), run(5)]);
    expect(a.perReplica).toEqual(b.perReplica);
    expect(a.steps).toBe(b.steps);
    expect(a.perReplica).not.toEqual(c.perReplica);
    expect(a.perReplica[0]).not.toBe(a.perReplica[1]);
  });

  it('every rule and trace form runs on cartpole', async () => {
    for (const [rule, traces, traceForm] of [
      ['reinforce', false, 'code'],
      ['thomas', false, 'code'],
      ['ste', true, 'code'],
      ['backprop', false, 'code'],
      ['weightmax', true, 'code'],
      ['weightmax', true, 'shifted'],
    ] as const) {
      const s = await trainChung(chungPreset('cartpole', { rule, traces, traceForm, episodes: 5, replicas: 1, seed: 2 }));
      expect(Number.isFinite(s.meanReturn)).toBe(true);
      expect(s.meanReturn).toBeGreaterThan(7);
    }
  });
});
