import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chungPreset } from '../../src/chung/config.ts';
import { ConfigError } from '../../src/config/validate.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperiment, parseExperimentText } from '../../src/experiment/load.ts';
import { trainExperiment } from '../../src/experiment/train.ts';
import type { CheckpointParts } from '../../src/io/checkpoint.ts';
import { chungConfigOf, type WeightMaxExperiment } from '../../src/rules/weight-max.ts';
import { CpuExecutor } from '../../src/run/executor-cpu.ts';
import { runLoop, type LoopOptions } from '../../src/run/loop.ts';
import type { MetricsRecord } from '../../src/run/model.ts';
import { stateBuffers } from '../../src/run/program.ts';
import { PINNED, recordsHash, type EpisodeRecord } from './metrics-pins.ts';

const CPU = { backend: 'cpu' as const, reason: 'test' };
const preset = (name: string) => readFileSync(new URL(`../../experiments/${name}.json`, import.meta.url), 'utf8');
const asRecord = (m: MetricsRecord): EpisodeRecord => [m.replica as number, m.episode as number, m['charts/episodic_return'] as number, m.length as number, m.steps as number];

describe('weight-max on the core', () => {
  it("the presets are the paper's configs; cartpole-reinforce.json still parses", () => {
    for (const task of ['cartpole', 'acrobot', 'lunarlander', 'multiplexer'] as const) {
      const x = parseExperimentText(preset(`chung-${task}`), `chung-${task}.json`) as WeightMaxExperiment;
      expect(chungConfigOf(x)).toEqual(chungPreset(task, { replicas: 10, seed: 0 }));
    }
    const gpu = parseExperimentText(preset('wm-actor-critic-cartpole-webgpu'), 'wm.json') as WeightMaxExperiment;
    expect(gpu.run.backend).toBe('webgpu');
    expect(chungConfigOf(gpu)).toEqual(chungPreset('cartpole', { replicas: 4, seed: 0 }));
    expect(parseExperimentText(preset('cartpole-reinforce'), 'cartpole-reinforce.json').rule.name).toBe('reinforce');
  });

  it.each([0, 8, 10, 12])('the experiment file reproduces pinned run %i (CPU executor)', async (k) => {
    const { task, o, hash } = PINNED[k]!;
    const x = parseExperimentText(preset(`chung-${task}`), task, [
      'run.seed=7',
      `run.replicas=${o.replicas}`,
      `run.episodes=${o.episodes}`,
      `rule.hiddenRule=${o.rule}`,
      `rule.traces=${o.traces}`,
      'run.backend=cpu',
    ]);
    const records: EpisodeRecord[] = [];
    await trainExperiment(x, { choice: CPU, sink: { write: (m) => records.push(asRecord(m)), flush: () => records.length } });
    expect(recordsHash(records)).toBe(hash);
  });

  it('a resumed run continues bit for bit (shifted traces, sparse fan-in: carried rewards and delay lines)', async () => {
    const x = parseExperiment({
      env: { name: 'cartpole' },
      population: { hidden: [16, 8], fanIn: 3 },
      rule: { name: 'weight-max', traces: true, traceForm: 'shifted' },
      run: { seed: 4, replicas: 3, episodes: 25, stepsPerChunk: 100, backend: 'cpu' },
    });
    const run = async (records: EpisodeRecord[], o: Partial<LoopOptions>) => {
      const model = buildModel(x);
      const exec = new CpuExecutor(model.program);
      const r = await runLoop(model, exec, { ...o, sink: { write: (m) => records.push(asRecord(m)), flush: () => records.length } });
      const state = Object.fromEntries(stateBuffers(model.program).map((d) => [d.name, exec.arrays[d.name]!.slice()]));
      return { r, state };
    };
    const straight: EpisodeRecord[] = [];
    const a = await run(straight, {});
    const first: EpisodeRecord[] = [];
    let saved: CheckpointParts | undefined;
    const ac = new AbortController();
    await run(first, {
      signal: ac.signal,
      checkpointEvery: 300,
      saveCheckpoint: (p) => {
        saved ??= structuredClone(p);
        ac.abort();
      },
    });
    expect(saved!.header.stepCount).toBe(300);
    const resumed = first.slice(0, saved!.header.metricsAt as number);
    const b = await run(resumed, { resume: saved });
    expect(resumed.length).toBe(75);
    expect(recordsHash(resumed)).toBe(recordsHash(straight));
    expect(b.r.envSteps).toBe(a.r.envSteps);
    for (const [name, arr] of Object.entries(a.state)) expect(b.state[name], name).toEqual(arr);
  });

  it('run.maxSteps caps the run as the CPU trainer did', async () => {
    const x = parseExperiment({ env: { name: 'acrobot' }, population: { hidden: [8, 4] }, rule: { name: 'weight-max' }, run: { seed: 2, replicas: 2, episodes: 10, maxSteps: 700, backend: 'cpu' } });
    const r = await trainExperiment(x, { choice: CPU });
    const s = r.summary as { steps: number; episodesDone: number[] };
    expect(s.steps).toBe(700);
    expect(s.episodesDone).toEqual([1, 1]);
  });

  it.each([
    [{ rule: { name: 'weight-max', hiddenRule: 'ste', traces: true, traceForm: 'shifted' } }, /rule.traceForm 'shifted' requires rule.hiddenRule weightmax/],
    [
      { population: { hidden: [16] }, rule: { name: 'weight-max' } },
      /rule.actorLr.start must be given: the cartpole preset has 3 \(for 64-32 hidden layers and the output\), population.hidden \[16\] gives 2 actor layers/,
    ],
    [{ rule: { name: 'weight-max', temp: [1, 1] } }, /rule.temp must list 3 numbers/],
    [{ population: { fanIn: 2 }, rule: { name: 'reinforce' } }, /population.fanIn: rule reinforce does not use it \(rule weight-max does\)/],
    [{ rule: { name: 'weight-max', hiddenRule: 'sgd' } }, /rule.hiddenRule must be one of weightmax, reinforce, thomas, ste, backprop/],
  ])('refuses %j', (over, msg) => {
    const build = () => buildModel(parseExperiment({ env: { name: 'cartpole' }, population: { hidden: [64, 32] }, ...over, run: { replicas: 1, episodes: 1 } }));
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(msg);
  });
});
