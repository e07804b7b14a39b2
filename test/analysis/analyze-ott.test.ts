import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnalysisInputError, evaluate, unitMapOf, untrainedRun } from '../../src/analysis/evaluate.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import type { Experiment } from '../../src/experiment/schema.ts';
import { CpuExecutor } from '../../src/run/executor-cpu.ts';
import { recordPcaAblate, trainSavedRun } from './saved-runs.ts';

// Ott's rule: every neuron-agent (15 hidden + the action neuron on CartPole) is a unit.
const preset = JSON.parse(readFileSync('experiments/ott-cartpole.json', 'utf8')) as Record<string, unknown> & { rule: Record<string, unknown>; run: Record<string, unknown> };

describe('evaluate on an ott network', () => {
  it("records the spikes training draws on the same seed (learning rate 1e-30, below the weights' f32 resolution: training's network stays the evaluated one, checked), and silences units", () => {
    const x: Experiment = parseExperiment({ ...preset, rule: { ...preset.rule, lr: 1e-30 }, run: { ...preset.run, seed: 4, replicas: 3, episodes: 2, backend: 'cpu' } });
    const ev = evaluate(untrainedRun(x), { episodes: 3, seed: 4, record: true });
    expect(ev.units).toEqual([...Array.from({ length: 15 }, (_, i) => `h0.${i}`), 'out.0']);
    expect(ev.actions).toEqual([15]);
    const e0 = ev.episodes[0]!;
    expect(e0.steps).toBeGreaterThan(5);
    const m = buildModel(x);
    const exec = new CpuExecutor(m.program);
    try {
      exec.reset();
      const spikes: number[] = [];
      for (let t = 0; t < e0.steps; t++) {
        exec.run(1);
        spikes.push(...exec.view('signals').slice(4, 20)); // replica 0: [4 observations | 16 neurons]
      }
      expect(Array.from(e0.spikes!)).toEqual(spikes);
      expect(Array.from(exec.view('theta'))).toEqual(Array.from(untrainedRun(x).arrays.theta!));
    } finally {
      exec.destroy();
    }
    const s = evaluate(untrainedRun(x), { episodes: 3, seed: 4, record: true, silence: [3] });
    let others = 0;
    for (const e of s.episodes)
      for (let t = 0; t < e.steps; t++) {
        expect(e.spikes![t * 16 + 3]).toBe(0);
        others += e.spikes![t * 16 + 4]!;
      }
    expect(others).toBeGreaterThan(0);
  });
});

describe('ott step forms not covered', () => {
  it('the fused form (one op runs the whole step) is refused with one line', () => {
    const x = parseExperiment({ ...preset, run: { ...preset.run, replicas: 1, backend: 'cpu', stepForm: 'fused' } });
    expect(() => unitMapOf(x)).toThrow(AnalysisInputError);
    expect(() => unitMapOf(x)).toThrow(/ott with run.stepForm ops or auto/);
    expect(unitMapOf({ ...x, run: { ...x.run, stepForm: 'ops' } }).units).toHaveLength(16);
  });
});

// An Ott CartPole network after 200 episodes (one replica), saved in this test's temp cwd.
beforeAll(() => trainSavedRun('experiments/ott-cartpole.json', 'ott', ['run.episodes=200', 'run.replicas=1', 'run.backend=cpu']), 300_000);

describe('hedonist analyze on an ott run', () => {
  it('record, pca, and ablate: silencing every unit drops the return', async () => {
    const { record, head, all } = await recordPcaAblate('ott');
    expect(record.units).toBe(16);
    expect(record.spikeFileUnits).toEqual(['out.0']);
    expect(head.slice(0, 8)).toEqual(['episode', 't', 'reward', 'obs.0', 'obs.1', 'obs.2', 'obs.3', 'h0.0']);
    expect(head).toHaveLength(7 + 16);
    // Every unit silent: the action neuron never fires, the cart is always pushed left (~10 steps).
    expect(all.meanReturn).toBeLessThan(12);
    expect(all.drop).toBeGreaterThan(20);
  });
});
