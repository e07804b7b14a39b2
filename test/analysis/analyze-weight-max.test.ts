import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnalysisInputError, evaluate, unitMapOf, untrainedRun } from '../../src/analysis/evaluate.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import { buildModel } from '../../src/experiment/build.ts';
import type { Experiment } from '../../src/experiment/schema.ts';
import { CpuExecutor } from '../../src/run/executor-cpu.ts';
import { recordPcaAblate, trainSavedRun } from './saved-runs.ts';

// Weight Max (Chung's dense actor-critic): its Bernoulli-logistic hidden layers are the units.
const preset = JSON.parse(readFileSync('experiments/chung-cartpole.json', 'utf8')) as Record<string, unknown> & { rule: Record<string, unknown>; run: Record<string, unknown> };

describe('evaluate on a weight-max network', () => {
  it("records the spikes training draws on the same seed (actor learning rates 0: training's network stays the evaluated one), and silences units", () => {
    const x: Experiment = parseExperiment({
      ...preset,
      population: { agents: 'logistic-neurons', hidden: [8, 4], fanIn: 0 },
      rule: { ...preset.rule, criticHidden: [8, 4], actorLr: { start: [0, 0, 0], end: [0, 0, 0] } },
      run: { ...preset.run, seed: 5, replicas: 3, episodes: 1, backend: 'cpu' },
    });
    const ev = evaluate(untrainedRun(x), { episodes: 3, seed: 5, record: true });
    expect(ev.units).toEqual([...Array.from({ length: 8 }, (_, i) => `h0.${i}`), ...Array.from({ length: 4 }, (_, i) => `h1.${i}`)]);
    expect(ev.actions).toEqual([]);
    const e0 = ev.episodes[0]!;
    // Training, replica 0: its spikes and observations step by step until its first episode ends.
    const m = buildModel(x);
    const exec = new CpuExecutor(m.program);
    try {
      exec.reset();
      const spikes: number[] = [];
      const obs: number[] = [];
      for (let t = 0; t < e0.steps; t++) {
        obs.push(...exec.view('obs').slice(0, 4));
        exec.run(1);
        spikes.push(...exec.view('actor.0.values').slice(0, 8), ...exec.view('actor.1.values').slice(0, 4));
      }
      expect(Array.from(e0.spikes!)).toEqual(spikes);
      // (The executor's reset runs with the first step, so step 0's observation is read only from step 1 on.)
      expect(Array.from(e0.obs!.subarray(4))).toEqual(Array.from(Float32Array.from(obs.slice(4))));
      expect(e0.steps).toBeGreaterThan(5);
    } finally {
      exec.destroy();
    }
    const s = evaluate(untrainedRun(x), { episodes: 3, seed: 5, record: true, silence: [2, 9] });
    let others = 0;
    for (const e of s.episodes)
      for (let t = 0; t < e.steps; t++) {
        expect(e.spikes![t * 12 + 2]).toBe(0);
        expect(e.spikes![t * 12 + 9]).toBe(0);
        others += e.spikes![t * 12 + 3]! + e.spikes![t * 12 + 10]!;
      }
    expect(others).toBeGreaterThan(0);
  });
});

describe('rules not covered', () => {
  it('the backprop baseline (ReLU hidden units) is refused with one line naming the covered rules', () => {
    const x = parseExperiment({ ...preset, rule: { ...preset.rule, hiddenRule: 'backprop' }, run: { ...preset.run, replicas: 1, backend: 'cpu' } });
    expect(() => unitMapOf(x)).toThrow(AnalysisInputError);
    expect(() => unitMapOf(x)).toThrow(/^rule 'weight-max' does not describe its units for analysis \(covered: reinforce; weight-max with Bernoulli hidden units, not hiddenRule backprop; ott/);
  });
});

// A Weight Max CartPole network after 100 episodes (one replica, the paper's 64-32 actor), saved in this test's temp cwd.
beforeAll(() => trainSavedRun('experiments/chung-cartpole.json', 'wm', ['run.episodes=100', 'run.replicas=1', 'run.backend=cpu']), 300_000);

describe('hedonist analyze on a weight-max run', () => {
  it('record, pca, and ablate: silencing every hidden unit drops the return', async () => {
    const { record, head, ablate: out, all } = await recordPcaAblate('wm', ['--class', 'h0']);
    expect(record.units).toBe(96);
    expect(record.spikeFileUnits).toEqual(Array.from({ length: 12 }, (_, i) => `h1.${20 + i}`));
    expect(head.slice(0, 8)).toEqual(['episode', 't', 'reward', 'obs.0', 'obs.1', 'obs.2', 'obs.3', 'h0.0']);
    expect(head).toHaveLength(7 + 96);
    // Silenced, the softmax sees only its biases: a near-random policy (~20 steps) against the trained one.
    expect(out.intact.meanReturn).toBeGreaterThan(60);
    expect(all.drop).toBeGreaterThan(30);
  });
});
