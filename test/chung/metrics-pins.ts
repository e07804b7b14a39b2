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
  // Taken from the CPU trainer's LunarLander and multiplexer loops (src/chung/trainer.ts) before they
  // moved onto the core (f64 episode returns; the multiplexer's record is (replica, episode, reward, 1, episode + 1)).
  { task: 'lunarlander', o: { rule: 'weightmax', traces: true, replicas: 2, episodes: 5 }, hash: '056049d9c4e6df0880ce5fa57a649a4815c469137a8237eb1464270e79b17e07', steps: 493 },
  { task: 'lunarlander', o: { rule: 'reinforce', traces: true, replicas: 2, episodes: 4 }, hash: '12c42dccf42959e51d54088c4e82292afddf03cacfe7374b1fb7be4372e31e36', steps: 388 },
  { task: 'multiplexer', o: { rule: 'weightmax', traces: false, replicas: 2, episodes: 400 }, hash: 'f66c8a35f90cac0ac1152bbfb17e125b2f3dd232ad336043d4c730de0b14fe64', steps: 400 },
  { task: 'multiplexer', o: { rule: 'reinforce', traces: false, replicas: 2, episodes: 300 }, hash: '8bf373d83838b7847fc040e6c342de961a61e7541fe9b167efd1a1c764ac9143', steps: 300 },
];

/**
 * The multiplexer learner's CPU runner (src/learners/chung-multiplexer, ChungMuxCpuRunner: per-layer
 * fan-in and optimiser, bias shifts; seed 7) before it moved onto the core (the weight-max-sparse
 * rule): sha256 over the records (replica, episode, reward, 1, episode + 1) of every episode. `o`
 * is chungMuxConfig's input (`million`: millionConfig's options, sparse fan-in, SGD layers and a
 * shifted big-layer bias).
 */
export const MUX_PINNED: { name: string; million?: boolean; o: Record<string, unknown>; hash: string }[] = [
  {
    name: 'million 64-2048 x 16 synapses, 6-bit, weightmax',
    million: true,
    o: { units: 2048, fanIn: 16, firstLayer: 64, addressBits: 2, episodes: 300, seed: 7 },
    hash: 'd0b177cf06a07a5df3ae741772df7ca761b0b0cf16ab87e8d783f531af658bc7',
  },
  {
    name: 'million 32-1024 x 8 synapses, 3-bit, reinforce',
    million: true,
    o: { units: 1024, fanIn: 8, firstLayer: 32, addressBits: 1, episodes: 200, seed: 7, rule: 'reinforce' },
    hash: '33ca0bba459a31ee66ff1ad1663721e0d9ad59632dadb38bf1acc71726300325',
  },
  {
    name: '48-96 (fan-in 12), Adam, 6-bit, 3 replicas',
    o: { hidden: [48, 96], fanIn: [0, 12], addressBits: 2, replicas: 3, episodes: 300, seed: 7 },
    hash: '10756c05f1d3286ef7f6019b09f6a81429e00b22f7f1422266b8768c53e834f3',
  },
];

export type EpisodeRecord = [replica: number, episode: number, ret: number, length: number, steps: number];

/** sha256 of the records, sorted by (replica, episode), one `replica episode return length steps` line each. */
export function recordsHash(records: EpisodeRecord[]): string {
  const sorted = [...records].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return createHash('sha256')
    .update(sorted.map((x) => x.join(' ')).join('\n'))
    .digest('hex');
}
