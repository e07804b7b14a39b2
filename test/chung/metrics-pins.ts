import { createHash } from 'node:crypto';
import type { ChungConfig, ChungTask } from '../../src/chung/config.ts';

/**
 * Pins the CPU trainer's numbers: sha256 over every per-episode record (replica, episode, return,
 * length, steps), sorted by (replica, episode), for fixed seeds. The hashes were taken from the
 * CPU trainer before the CartPole / Acrobot loop moved onto the core (src/run, src/rules/weight-max.ts);
 * the core's CPU executor must give the same records bit for bit.
 */
export const PINNED: { task: ChungTask; o: Partial<ChungConfig>; hash: string; steps: number }[] = [
  { task: 'cartpole', o: { rule: 'weightmax', traces: true, replicas: 3, episodes: 120 }, hash: 'cf9e3a1f4b4a729ca655ab289f40bb1b0e84a39951820a3a50fa8d86251b84b1', steps: 3951 },
  { task: 'cartpole', o: { rule: 'weightmax', traces: false, replicas: 2, episodes: 80 }, hash: 'b2a24258f30f30fcffd49082337bce0e539b62c16cb3806932ad75c210e6a199', steps: 2703 },
  { task: 'cartpole', o: { rule: 'ste', traces: true, replicas: 3, episodes: 40 }, hash: '7bdac6e808970723da6b0f063c4fd457fa950687fbdbf53793505b54569ca48e', steps: 1757 },
  { task: 'cartpole', o: { rule: 'backprop', traces: false, replicas: 2, episodes: 30 }, hash: '42045235ccbf599fa8534248ca871bb86ef6bf194b13c94b084b04a72b13d24c', steps: 483 },
  { task: 'cartpole', o: { rule: 'thomas', traces: true, replicas: 2, episodes: 30 }, hash: 'bec610da776dd6dee563d2d8a4b1ec2f32a1647c11299a5725e5b5e96bdf7a39', steps: 743 },
  { task: 'cartpole', o: { rule: 'weightmax', traces: true, traceForm: 'shifted', replicas: 2, episodes: 30 }, hash: 'ce5d61d913afe39799c0beaaf852fbf834960c08047b86f0a063ec40bbd4d391', steps: 713 },
  { task: 'cartpole', o: { rule: 'weightmax', traces: true, fanIn: 3, replicas: 2, episodes: 40 }, hash: '72f7d946d150a96f2fe2f98f89abc8ae56312a24a00f92a9c1f5978ee1a0848c', steps: 875 },
  { task: 'cartpole', o: { rule: 'ste', traces: true, fanIn: 3, replicas: 2, episodes: 30 }, hash: '2b2b195447ddc6cb9dd2de2e049f8b8f4ac58a65fe166001665e4f5c48ed67d1', steps: 877 },
  { task: 'acrobot', o: { rule: 'weightmax', traces: true, replicas: 2, episodes: 8 }, hash: '7c4bc6873894ec14779cdaa6657594cf0f5a54e06cddf312b85a7f548128a28b', steps: 3841 },
  { task: 'acrobot', o: { rule: 'reinforce', traces: false, replicas: 2, episodes: 3 }, hash: '0f5588fa9d370b4c65ea34a19d98e07491d9c1ea993c45708c2eb9a46dd25b86', steps: 1502 },
];

export type EpisodeRecord = [replica: number, episode: number, ret: number, length: number, steps: number];

/** sha256 of the records, sorted by (replica, episode), one `replica episode return length steps` line each. */
export function recordsHash(records: EpisodeRecord[]): string {
  const sorted = [...records].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return createHash('sha256').update(sorted.map((x) => x.join(' ')).join('\n')).digest('hex');
}
