import { describe, expect, it } from 'vitest';
import type { GdMnistSummary, SynqBoundarySummary, SynqMnistSummary } from '../../src/rules/synq-decoders.ts';
import { Stream } from '../../src/rng/counter-rng.ts';
import { GD_MNIST_PRESET } from '../../src/synq/config.ts';
import { gdInitialWeights } from '../../src/synq/gd-init.ts';
import { initMlpWeights } from '../../src/synq/mlp.ts';
import { mnistLayout } from '../../src/synq/mnist-task.ts';
import { train } from './train.ts';

const boundary = (o: { policy: string; iterations: number; hidden: number; points: number; evalEvery: number }, run: Record<string, number>) =>
  train<SynqBoundarySummary>({ name: 'synaptic-q', task: { kind: 'boundary', hidden: o.hidden, points: o.points }, policy: o.policy, iterations: o.iterations, evalEvery: o.evalEvery }, run).then(
    (r) => r.summary,
  );
const gd = (o: { hidden: number; iterations: number; maxSamples: number; evalEvery: number; init?: string; firstReplica?: number }, run: Record<string, number> = {}) =>
  train<GdMnistSummary>(
    {
      name: 'gd',
      task: { kind: 'mnist', hidden: o.hidden, maxSamples: o.maxSamples },
      iterations: o.iterations,
      evalEvery: o.evalEvery,
      ...(o.init ? { init: o.init } : {}),
      ...(o.firstReplica !== undefined ? { firstReplica: o.firstReplica } : {}),
    },
    { replicas: 1, seed: 1, ...run },
  ).then((r) => r.summary);

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('synaptic Q-learning learns', () => {
  it('the golden table matches a random decision boundary well above chance (short run)', async () => {
    const s = await boundary({ policy: 'golden', iterations: 2000, hidden: 30, points: 200, evalEvery: 500 }, { replicas: 2, seed: 5 });
    for (let r = 0; r < 2; r++) {
      const chance = Math.max(s.majorityFraction[r], s.initialAccuracy[r]);
      expect(s.finalAccuracy[r]).toBeGreaterThan(Math.min(0.97, chance + 0.08));
      expect(s.finalAccuracy[r]).toBeGreaterThan(0.85);
      expect(s.finalLoss[r]).toBeLessThan(0.5 * s.initialLoss[r]);
    }
    expect(s.trainPolicy).toBe(false);
    expect(s.table!.Q[0]![0]![0]![0]![0]).toBeCloseTo(0.6472902913874333, 6); // frozen
  });

  it('a table trained from scratch improves the boundary fit and changes the table', async () => {
    const s = await boundary({ policy: 'train', iterations: 2000, hidden: 30, points: 200, evalEvery: 500 }, { replicas: 2, seed: 6 });
    expect(s.trainPolicy).toBe(true);
    expect(mean(s.finalAccuracy)).toBeGreaterThan(mean(s.initialAccuracy) + 0.2); // measured 0.39 -> 0.83
    expect(mean(s.finalAccuracy)).toBeGreaterThan(0.75);
    for (let r = 0; r < 2; r++) expect(s.finalLoss[r]).toBeLessThan(0.8 * s.initialLoss[r]); // measured 0.31, 0.70
    expect((s.table!.Q.flat(4) as number[]).some((v) => v !== 0)).toBe(true);
  });

  it('MNIST: synaptic RL lowers the minibatch loss; GD raises validation accuracy', async () => {
    const { records, summary: s } = await train<SynqMnistSummary>(
      { name: 'synaptic-q', task: { kind: 'mnist', hidden: 0, maxSamples: 3000, batchSize: 1000 }, iterations: 150, evalEvery: 150, alphaS: 1e-3 },
      { seed: 1, replicas: 1 },
    );
    const losses = records.map((m) => m.loss as number);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]! - 0.01);
    expect(s.validAccuracy[0]).toBeGreaterThan(0.1);
    // 'paired' (uniform +-0.1) learns within 10 steps; the code's uniform [-1, 1) start needs
    // hundreds (below: it still lowers the loss at once).
    const g = await gd({ hidden: 0, iterations: 10, maxSamples: 3000, evalEvery: 5, init: 'paired' });
    expect(g.validAccuracy[0]).toBeGreaterThan(0.5);
    expect(g.curve[1].trainLoss[0]).toBeLessThan(g.curve[0].trainLoss[0]);
    const code = await gd({ hidden: 0, iterations: 10, maxSamples: 3000, evalEvery: 5 });
    expect(code.init).toBe('code');
    expect(code.curve[1].trainLoss[0]).toBeLessThan(code.curve[0].trainLoss[0]);
  });
});

describe('GD runs completed in parts (firstReplica)', () => {
  it('replica 2 run alone (firstReplica 2) is replica 2 of a 3-replica run, to the bit', async () => {
    const cfg = { hidden: 4, iterations: 4, maxSamples: 1500, evalEvery: 2 };
    const whole = await gd(cfg, { replicas: 3, seed: 3 });
    const part = await gd({ ...cfg, firstReplica: 2 }, { replicas: 1, seed: 3 });
    expect(part.firstReplica).toBe(2);
    expect(part.trainLoss[0]).toBe(whole.trainLoss[2]);
    expect(part.validAccuracy[0]).toBe(whole.validAccuracy[2]);
    expect(part.trainLoss[0]).not.toBe(whole.trainLoss[0]); // a different replica really is different
    await expect(gd({ ...cfg, firstReplica: -1 })).rejects.toThrow(/rule\.firstReplica must be an integer in \[0, 1000000\], got -1/);
  });
});

describe('GD initial weights (GdInit)', () => {
  /** Mean and std of layer l's non-bias weights of one replica; checks the biases are 0. */
  function layerStats(w: Float32Array, hidden: number, l: number) {
    const layout = mnistLayout(hidden);
    const { sizes } = layout.shape;
    const fanIn = sizes[l] + 1;
    const vals: number[] = [];
    for (let j = 0; j < sizes[l + 1]; j++) {
      const row = layout.layerOffsets[l] + j * fanIn;
      expect(w[row]).toBe(0);
      for (let k = 1; k < fanIn; k++) vals.push(w[row + k]);
    }
    const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
    const std = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length);
    return { mean, std, min: Math.min(...vals), max: Math.max(...vals) };
  }

  it("'code' draws the authors' notebooks' scheme: uniform [-1, 1) at 0 hidden units, normal std 2/(in+out) per layer with hidden units", () => {
    const c = { ...GD_MNIST_PRESET, seed: 4 };
    const w0 = gdInitialWeights(mnistLayout(0), c, 1, 0);
    const u = layerStats(w0, 0, 0);
    expect(u.min).toBeGreaterThanOrEqual(-1);
    expect(u.max).toBeLessThan(1);
    expect(u.std).toBeCloseTo(1 / Math.sqrt(3), 2); // 7840 draws
    expect(Math.abs(u.mean)).toBeLessThan(0.03);
    const w32 = gdInitialWeights(mnistLayout(32), c, 1, 0);
    const h = layerStats(w32, 32, 0);
    expect(h.std / (2 / (784 + 32))).toBeGreaterThan(0.97); // 25088 draws
    expect(h.std / (2 / (784 + 32))).toBeLessThan(1.03);
    const o = layerStats(w32, 32, 1);
    expect(o.std / (2 / (32 + 10))).toBeGreaterThan(0.85); // 320 draws
    expect(o.std / (2 / (32 + 10))).toBeLessThan(1.15);
  });

  it("'paired' is synaptic RL's own init of the same replica; 'code' draws on its own stream, per replica", () => {
    const layout = mnistLayout(32);
    const paired = gdInitialWeights(layout, { ...GD_MNIST_PRESET, init: 'paired', seed: 2 }, 2, 3);
    expect(paired).toEqual(initMlpWeights(layout, 2, 0.1, 2, Stream.init, 3));
    const code = gdInitialWeights(layout, { ...GD_MNIST_PRESET, seed: 2 }, 2, 3);
    const alone = gdInitialWeights(layout, { ...GD_MNIST_PRESET, seed: 2 }, 1, 4);
    const N = layout.numSynapses;
    expect(code.subarray(N)).toEqual(alone);
    expect(code.subarray(0, N)).not.toEqual(alone);
  });
});
