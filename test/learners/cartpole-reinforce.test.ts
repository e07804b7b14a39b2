import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuContext } from '../../src/gpu/context.ts';
import { createNodeGpu } from '../../src/gpu/node.ts';
import { validateCartpoleReinforceConfig, CARTPOLE_REINFORCE_DEFAULTS } from '../../src/learners/cartpole-reinforce/config.ts';
import { trainCartpoleReinforce } from '../../src/learners/cartpole-reinforce/train.ts';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await createNodeGpu();
});
afterAll(() => ctx?.destroy());

describe('cartpole-reinforce', () => {
  // The documented budget: 1000 episodes. A random policy averages ~22.
  it.each([1, 2, 3])('learns far above random within 1000 episodes (CPU twin, seed %i)', async (seed) => {
    const s = await trainCartpoleReinforce({ backend: 'cpu', seed, replicas: 4, episodes: 1000 });
    expect(s.first100MeanReturn.every((x) => x < 40)).toBe(true);
    expect(s.last100MeanOverReplicas).toBeGreaterThan(100);
    expect(s.last100MeanReturn.filter((x) => x > 60).length).toBeGreaterThanOrEqual(3);
  });

  it('the WebGPU training loop logs every episode and agrees with the CPU twin episode for episode at first', async () => {
    const eps: number[][] = [[], []];
    const g = await trainCartpoleReinforce({ backend: 'webgpu', seed: 5, replicas: 2, episodes: 150, stepsPerSubmit: 100 }, { ctx, hooks: { onEpisode: (m) => eps[m.replica]!.push(m.return) } });
    const c = await trainCartpoleReinforce({ backend: 'cpu', seed: 5, replicas: 2, episodes: 150 });
    expect(eps.map((e) => e.length)).toEqual([150, 150]);
    expect(g.episodes).toBe(150);
    expect(g.adapter).toMatch(/\w/);
    // Identical until a knife-edge spike flips the runs apart; the first 30 episodes never have.
    expect(eps[0]!.slice(0, 30)).toEqual(await firstReturns(5, 0));
    expect(Number.isFinite(c.last100MeanOverReplicas)).toBe(true);
  });

  it('rejects a bad config naming the field and range', () => {
    expect(() => validateCartpoleReinforceConfig({ ...CARTPOLE_REINFORCE_DEFAULTS, replicas: 0 })).toThrow('replicas must be an integer in [1, 1048576], got 0');
    expect(() => validateCartpoleReinforceConfig({ ...CARTPOLE_REINFORCE_DEFAULTS, lr: NaN })).toThrow(/^lr must be a number/);
    expect(() => validateCartpoleReinforceConfig({ ...CARTPOLE_REINFORCE_DEFAULTS, backend: 'tpu' as 'cpu' })).toThrow('backend must be one of webgpu, cpu, got tpu');
  });
});

async function firstReturns(seed: number, replica: number): Promise<number[]> {
  const out: number[] = [];
  await trainCartpoleReinforce({ backend: 'cpu', seed, replicas: 2, episodes: 30 }, { hooks: { onEpisode: (m) => m.replica === replica && out.push(m.return) } });
  return out;
}
