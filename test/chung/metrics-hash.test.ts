import { describe, expect, it } from 'vitest';
import { chungPreset } from '../../src/chung/config.ts';
import { trainChung } from '../../src/chung/trainer.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import { trainExperiment } from '../../src/experiment/train.ts';
import { chungMuxConfig, millionConfig } from '../../src/learners/chung-multiplexer/index.ts';
import { muxExperiment } from '../../src/rules/weight-max-sparse.ts';
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

describe('the multiplexer learner is pinned (CPU, seed 7): rule weight-max-sparse on the core', () => {
  it.each(MUX_PINNED)('$name', async ({ million, o, hash }) => {
    const c = million ? millionConfig({ ...o, backend: 'cpu' }) : chungMuxConfig({ ...o, backend: 'cpu' });
    const records: EpisodeRecord[] = [];
    await trainExperiment(parseExperiment(muxExperiment(c, 'cpu')), {
      sink: { write: (m) => records.push([m.replica as number, m.episode as number, m['charts/episodic_return'] as number, m.length as number, m.steps as number]), flush: () => records.length },
    });
    expect(records).toHaveLength(c.replicas * c.episodes);
    expect(recordsHash(records)).toBe(hash);
  });
});
