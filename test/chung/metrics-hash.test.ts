import { describe, expect, it } from 'vitest';
import { chungPreset } from '../../src/chung/config.ts';
import { trainChung } from '../../src/chung/trainer.ts';
import { PINNED, recordsHash, type EpisodeRecord } from './metrics-pins.ts';

describe('Chung trainer metrics are pinned (CPU, seed 7)', () => {
  it.each(PINNED)('%#: $task $o.rule traces=$o.traces', async ({ task, o, hash, steps }) => {
    const records: EpisodeRecord[] = [];
    const s = await trainChung(chungPreset(task, { seed: 7, ...o }), { onEpisode: (m, r) => records.push([r, m.episode!, m.return!, m.length!, m.steps!]) });
    expect(records).toHaveLength(o.replicas! * o.episodes!);
    expect(s.steps).toBe(steps);
    expect(recordsHash(records)).toBe(hash);
  });
});
