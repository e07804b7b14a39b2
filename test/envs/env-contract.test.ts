import { describe, expect, it } from 'vitest';
import { rngU32, Stream } from '../../src/rng/counter-rng.ts';
import type { BatchedEnv, SizedBatchedEnv } from '../../src/envs/env-types.ts';
import { CartPoleCpu } from '../../src/envs/cartpole.ts';
import { AcrobotCpu } from '../../src/envs/acrobot.ts';
import { MultiplexerCpu } from '../../src/envs/multiplexer.ts';
import { LunarLanderCpu } from '../../src/envs/lunar-lander.ts';
import { MountainCarCpu } from '../../src/envs/mountain-car.ts';

/**
 * The shared next-step-autoreset contract, checked on any BatchedEnv: observation shape, 0/1 flags,
 * and a reset step (reward 0, flags 0) right after every step that ended an episode.
 */
function checkContract(env: BatchedEnv, obsDim: number, numActions: number, steps: number): number {
  const n = env.numEnvs;
  expect(env.reset(3).length).toBe(n * obsDim);
  const ended = new Uint8Array(n);
  let episodesEnded = 0;
  for (let t = 0; t < steps; t++) {
    env.step(Array.from({ length: n }, (_, i) => rngU32(0, Stream.test, i, t) % numActions));
    const obs = env.observations();
    expect(obs.length).toBe(n * obsDim);
    for (let i = 0; i < n; i++) {
      expect(Number.isFinite(obs[i * obsDim]!)).toBe(true);
      expect([0, 1]).toContain(env.terminated[i]);
      expect([0, 1]).toContain(env.truncated[i]);
      if (ended[i]) {
        expect(env.reward[i]).toBe(0);
        expect(env.terminated[i] + env.truncated[i]!).toBe(0);
      }
      ended[i] = env.terminated[i]! | env.truncated[i]!;
      episodesEnded += ended[i]!;
    }
  }
  return episodesEnded;
}

describe('BatchedEnv contract', () => {
  it('CartPoleCpu fits BatchedEnv (it has no obsDim / numActions fields yet)', () => {
    const env: BatchedEnv = new CartPoleCpu(4);
    expect(checkContract(env, 4, 2, 200)).toBeGreaterThan(0);
  });

  it('the new envs fit SizedBatchedEnv and keep the autoreset contract', () => {
    const envs: SizedBatchedEnv[] = [new MultiplexerCpu(4), new MultiplexerCpu(3, 2), new AcrobotCpu(4), new LunarLanderCpu(2)];
    const ended = envs.map((env) => checkContract(env, env.obsDim, env.numActions, env instanceof LunarLanderCpu ? 150 : 600));
    expect(ended[0]).toBe(4 * 300); // every other multiplexer step ends an episode
    expect(ended[2]).toBeGreaterThan(0); // Acrobot truncates at 500 under a random policy
    expect(ended[3]).toBeGreaterThan(0); // a random lander crashes
  });

  it('MountainCarCpu keeps the autoreset contract (a random policy truncates at 200)', () => {
    const env: SizedBatchedEnv = new MountainCarCpu(4);
    expect(checkContract(env, 2, 3, 450)).toBe(4 * 2);
  });
});
