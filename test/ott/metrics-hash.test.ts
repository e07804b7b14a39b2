import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OttPolicyKind } from '../../src/ott/config.ts';
import { trainOttCartpole } from '../../src/ott/trainer.ts';

/**
 * Pins the numbers of a small Ott run on the CPU twins: sha256 of every per-episode metrics
 * record, one JSON line per record ({ replica, ...metrics }), ordered by replica and then episode
 * (the order the records of each replica arrive in; how replicas interleave depends on when the
 * log is read), and of the per-replica summaries. Recorded before the family moved onto the core
 * (step program + CPU executor): the migrated code must give the same bits.
 *
 * Four replicas, one per reward mode (task, bio, all, bio_then_all switching after episode 4),
 * 2 hidden layers of 5; a stop rule loose enough that some replicas solve (end 1) and the others
 * run to the cap (end 2), so every Adam step, the window mean and the stop rule are covered.
 */
const PINNED: Record<OttPolicyKind, { records: string; summary: string; count: number }> = {
  mlp: { records: '4b14857f57d52868069276ab1370c8e96cdfa01a31314093357655c2c66d886c', summary: '7ac8179bcf9139efa5fd771cc70d8927028d938c0ded193a08b1732fea9fced7', count: 115 },
  logistic: { records: '4a9806dfce7ee35c0cded4a9a3246bd76ca39956c6df56fab17afd3aa7cc91dd', summary: '463a04678436f02b0de6c926a77095e5a756c4c5a0f39ec4c27d6159fe07e090', count: 156 },
};

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('Ott metrics are pinned (CPU twins, seed 7)', () => {
  it.each(['mlp', 'logistic'] as const)('%s policy: every episode record and the summary hash to the pinned values', async (policy) => {
    const records: { replica: number; episode: number; line: string }[] = [];
    const s = await trainOttCartpole(
      {
        seed: 7,
        replicas: 4,
        layers: 2,
        neuronsPerLayer: 5,
        policy,
        hiddenUnits: 8,
        replicaRewardModes: ['task', 'bio', 'all', 'bio_then_all'],
        bioEpisodes: 4,
        maxEpisodes: 40,
        minEpisodes: 6,
        solveThreshold: 30,
        solveWindow: 5,
      },
      { onEpisode: (m, r) => records.push({ replica: r, episode: m.episode!, line: JSON.stringify({ replica: r, ...m }) }) },
      { backend: 'cpu' },
    );
    records.sort((a, b) => a.replica - b.replica || a.episode - b.episode);
    const got = { records: sha(records.map((r) => r.line).join('\n')), summary: sha(JSON.stringify(s.replicas)), count: records.length };
    expect(got).toEqual(PINNED[policy]);
  });
});
