import { describe, expect, it } from 'vitest';
import { chungPreset } from '../../src/chung/config.ts';
import { trainChung } from '../../src/chung/trainer.ts';
import { chungMuxConfig, ChungMuxCpuRunner, millionConfig } from '../../src/learners/chung-multiplexer/index.ts';
import { MUX_PINNED, PINNED, recordsHash, type EpisodeRecord } from './metrics-pins.ts';

describe('Chung trainer metrics are pinned (CPU, seed 7)', () => {
  it.each(PINNED)('%#: $task $o.rule traces=$o.traces', async ({ task, o, hash, steps }) => {
    const records: EpisodeRecord[] = [];
    const s = await trainChung(chungPreset(task, { seed: 7, ...o }), { onEpisode: (m, r) => records.push([r, m.episode!, m.return!, m.length!, m.steps!]) });
    expect(records).toHaveLength(o.replicas! * o.episodes!);
    expect(s.steps).toBe(steps);
    expect(recordsHash(records)).toBe(hash);
  });
});

describe('the multiplexer learner is pinned (CPU, seed 7)', () => {
  it.each(MUX_PINNED)('$name', ({ million, o, hash }) => {
    const c = million ? millionConfig({ ...o, backend: 'cpu' }) : chungMuxConfig({ ...o, backend: 'cpu' });
    const run = new ChungMuxCpuRunner(c);
    const records: EpisodeRecord[] = [];
    for (let ep = 0; ep < c.episodes; ep++) {
      const sig = run.runStep();
      for (let r = 0; r < c.replicas; r++) records.push([r, ep, sig[r]!, 1, ep + 1]);
    }
    expect(recordsHash(records)).toBe(hash);
  });
});
