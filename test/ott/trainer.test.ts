import { describe, expect, it } from 'vitest';
import { trainOttCartpole } from '../../src/ott/trainer.ts';
import { OTT_PAPER_TABLE1, reproduceOttTable1 } from '../../src/ott/table1.ts';

const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;

describe('Ott CartPole trainer', () => {
  it("learns: 'all' rewards, 1 hidden layer, 4 replicas, 500 episodes -> mean return far above random (~22)", async () => {
    // Over seeds 1-6 the last-100 mean of 4 replicas after 500 episodes was 94-210 (first 50: 21-25).
    const R = 4;
    const E = 500;
    const rets: number[][] = Array.from({ length: R }, () => []);
    const metrics: Record<string, number>[] = [];
    const s = await trainOttCartpole(
      { replicas: R, layers: 1, rewardMode: 'all', maxEpisodes: E, stopWhenSolved: false, seed: 1 },
      { onEpisode: (m, r) => (rets[r]!.push(m.return!), metrics.push(m)) },
    );
    expect(rets.map((x) => x.length)).toEqual([E, E, E, E]);
    const first = mean(rets.map((x) => mean(x.slice(0, 50))));
    const last = mean(rets.map((x) => mean(x.slice(E - 100))));
    expect(first).toBeLessThan(30);
    expect(last).toBeGreaterThan(60);
    for (const r of s.replicas) expect(r.bestMean).toBeGreaterThan(40);
    expect(s.replicas.every((x) => x.trials === E && !x.solved)).toBe(true);
    // metrics: every term, firing rates in [0, 1], the task term is exactly 1 per step
    const m = metrics.at(-1)!;
    for (const k of ['return', 'mean100', 'firing_rate_l1', 'firing_rate_out', 'reward_task', 'reward_activity', 'reward_sparsity', 'reward_prediction', 'reward_trace']) {
      expect(Number.isFinite(m[k])).toBe(true);
    }
    expect(m.reward_task).toBe(1);
    expect(m.firing_rate_l1).toBeGreaterThanOrEqual(0);
    expect(m.firing_rate_l1).toBeLessThanOrEqual(1);
    expect(m.reward_activity).toBeCloseTo((15 * m.firing_rate_l1! + m.firing_rate_out!) / 16, 6);
  });

  it('replicas are independent: replica 0 is identical whether trained alone or beside others', async () => {
    const run = async (R: number) => {
      const out: number[] = [];
      await trainOttCartpole(
        { replicas: R, layers: 2, rewardMode: 'bio_then_all', bioEpisodes: 10, maxEpisodes: 25, stopWhenSolved: false, seed: 3 },
        { onEpisode: (m, r) => r === 0 && out.push(m.return!, m.reward_trace!) },
      );
      return out;
    };
    const alone = await run(1);
    expect(await run(3)).toEqual(alone);
    expect(alone.length).toBe(50);
  });

  it('applies the stop rule (episode > minEpisodes and trailing mean > threshold) and reports first crossing', async () => {
    const returns: number[] = [];
    const s = await trainOttCartpole({ replicas: 1, rewardMode: 'task', minEpisodes: 5, solveThreshold: 25, solveWindow: 4, maxEpisodes: 400, seed: 2 }, { onEpisode: (m) => returns.push(m.return!) });
    const trailing = (e: number) => mean(returns.slice(Math.max(0, e - 4), e));
    const r0 = s.replicas[0]!;
    expect(r0.solved).toBe(true);
    expect(r0.trials).toBe(returns.length);
    const firstStop = returns.findIndex((_, i) => i + 1 > 5 && trailing(i + 1) > 25) + 1;
    expect(r0.trials).toBe(firstStop);
    expect(r0.firstAboveThreshold).toBe(returns.findIndex((_, i) => trailing(i + 1) > 25) + 1);
    expect(r0.firstAboveThreshold!).toBeLessThanOrEqual(r0.trials);
  });

  it('table runner returns one row per cell with the paper’s numbers beside ours', async () => {
    const rows = await reproduceOttTable1({ replicas: 2, layers: [1, 2], rewards: ['task'], overrides: { maxEpisodes: 5, policy: 'logistic' } });
    expect(rows.map((r) => [r.reward, r.layers, r.paperTrials])).toEqual([
      ['task', 1, OTT_PAPER_TABLE1.task[1]],
      ['task', 2, OTT_PAPER_TABLE1.task[2]],
    ]);
    expect(rows[0]!.trials).toEqual([5, 5]);
    expect(rows[0]!.trialsMean).toBe(5);
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
  });
});
