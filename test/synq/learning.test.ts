import { describe, expect, it } from 'vitest';
import { trainGdMnist } from '../../src/synq/train-gd.ts';
import { trainSynqBoundary } from '../../src/synq/train-boundary.ts';
import { trainSynqMnist } from '../../src/synq/train-mnist.ts';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('synaptic Q-learning learns', () => {
  it('the golden table matches a random decision boundary well above chance (short run)', async () => {
    const s = await trainSynqBoundary({ policy: 'golden', iterations: 2000, hidden: 30, points: 200, replicas: 2, seed: 5, evalEvery: 500 });
    for (let r = 0; r < 2; r++) {
      const chance = Math.max(s.majorityFraction[r], s.initialAccuracy[r]);
      expect(s.finalAccuracy[r]).toBeGreaterThan(Math.min(0.97, chance + 0.08));
      expect(s.finalAccuracy[r]).toBeGreaterThan(0.85);
      expect(s.finalLoss[r]).toBeLessThan(0.5 * s.initialLoss[r]);
    }
    expect(s.trainPolicy).toBe(false);
    expect(s.table.Q[0][0][0][0][0]).toBeCloseTo(0.6472902913874333, 6); // frozen
  });

  it('a table trained from scratch improves the boundary fit and changes the table', async () => {
    const s = await trainSynqBoundary({ policy: 'train', iterations: 2000, hidden: 30, points: 200, replicas: 2, seed: 6, evalEvery: 500 });
    expect(s.trainPolicy).toBe(true);
    expect(mean(s.finalAccuracy)).toBeGreaterThan(mean(s.initialAccuracy) + 0.2); // measured 0.39 -> 0.83
    expect(mean(s.finalAccuracy)).toBeGreaterThan(0.75);
    for (let r = 0; r < 2; r++) expect(s.finalLoss[r]).toBeLessThan(0.8 * s.initialLoss[r]); // measured 0.31, 0.70
    expect((s.table.Q.flat(4) as number[]).some((v) => v !== 0)).toBe(true);
  });

  it('MNIST: synaptic RL lowers the minibatch loss; GD raises validation accuracy', async () => {
    let first = 0;
    let last = 0;
    const s = await trainSynqMnist(
      { hidden: 0, iterations: 150, maxSamples: 3000, batchSize: 1000, evalEvery: 150, alphaS: 1e-3 },
      { onIteration(m) { if (m.iteration === 1) first = m.loss; last = m.loss; } },
    );
    expect(last).toBeLessThan(first - 0.01);
    expect(s.validAccuracy[0]).toBeGreaterThan(0.1);
    const g = await trainGdMnist({ hidden: 0, iterations: 10, maxSamples: 3000, evalEvery: 5 });
    expect(g.validAccuracy[0]).toBeGreaterThan(0.5);
    expect(g.curve[1].trainLoss[0]).toBeLessThan(g.curve[0].trainLoss[0]);
  });
});

describe('GD runs completed in parts (firstReplica)', () => {
  it('replica 2 run alone (firstReplica 2) is replica 2 of a 3-replica run, to the bit', async () => {
    const cfg = { hidden: 4, iterations: 4, maxSamples: 1500, evalEvery: 2, seed: 3 };
    const whole = await trainGdMnist({ ...cfg, replicas: 3 });
    const part = await trainGdMnist({ ...cfg, replicas: 1, firstReplica: 2 });
    expect(part.firstReplica).toBe(2);
    expect(part.trainLoss[0]).toBe(whole.trainLoss[2]);
    expect(part.validAccuracy[0]).toBe(whole.validAccuracy[2]);
    expect(part.trainLoss[0]).not.toBe(whole.trainLoss[0]); // a different replica really is different
    await expect(trainGdMnist({ ...cfg, firstReplica: -1 })).rejects.toThrow(/firstReplica must be in \[0, 1000000\]/);
  });
});
