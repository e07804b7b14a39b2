import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperimentText } from '../../src/experiment/load.ts';
import { trainExperiment } from '../../src/experiment/train.ts';
import { CpuExecutor } from '../../src/run/executor-cpu.ts';
import type { MetricsRecord } from '../../src/run/model.ts';
import { bufferBytes, stateBytes } from './executor-state.ts';

const load = (file: string, sets: string[]) => parseExperimentText(readFileSync(file, 'utf8'), file, ['run.backend=cpu', ...sets]);

describe('CPU executor worker threads split replicas bit-identically', () => {
  it.each([
    ['experiments/chung-cartpole.json', 5, 3, 97],
    // Acrobot's first episodes run to the 500-step limit.
    ['experiments/chung-acrobot.json', 4, 2, 180],
    ['experiments/chung-multiplexer.json', 3, 2, 97],
    // Ott: 1 layer (the MLP neurons) and 5 layers (the logistic ones, Table 1's deep column).
    ['experiments/ott-cartpole.json', 5, 2, 97],
    ['experiments/ott-cartpole.json', 4, 3, 61, ['population.hidden=[6,6,6,6,6]', 'population.agents=logistic-neurons']],
  ] as [string, number, number, number, string[]?][])('%s: %i replicas on %i workers equal one thread, buffer for buffer', async (file, replicas, workers, chunk, sets = []) => {
    const x = load(file, [`run.replicas=${replicas}`, ...sets]);
    const one = new CpuExecutor(buildModel(x).program);
    const split = new CpuExecutor(buildModel(x).program, { workers, experiment: x });
    try {
      expect(split.workers).toBe(workers);
      const m1: number[][] = [],
        m2: number[][] = [];
      for (const e of [one, split]) e.reset();
      for (let c = 0; c < 3; c++) {
        await one.chunk(chunk, (w) => m1.push([...w]));
        await split.chunk(chunk, (w) => m2.push([...w]));
      }
      expect(m2).toEqual(m1);
      expect(stateBytes(split)).toEqual(stateBytes(one));
      // Something happened: episodes were logged.
      expect(
        m1
          .at(-1)!
          .slice(1, 1 + replicas)
          .some((n) => n > 0),
      ).toBe(true);
    } finally {
      one.destroy();
      split.destroy();
    }
  });

  it('run.workers = 2 gives the same metrics as 1 through trainExperiment', async () => {
    const run = async (workers: number) => {
      const rec: MetricsRecord[] = [];
      const r = await trainExperiment(load('experiments/chung-cartpole.json', ['run.replicas=4', 'run.episodes=12', `run.workers=${workers}`]), {
        sink: { write: (m) => rec.push(m), flush: () => rec.length },
      });
      return { rec, summary: r.summary as Record<string, unknown> };
    };
    const a = await run(1),
      b = await run(2);
    expect(b.rec.length).toBeGreaterThan(40);
    expect(b.rec).toEqual(a.rec);
    expect(b.summary.meanReturn).toBe(a.summary.meanReturn);
  });

  it('a program with an op that does not split runs on one thread and says why', () => {
    const x = load('experiments/chung-cartpole.json', ['run.replicas=4', 'rule.traces=true', 'rule.traceForm=shifted']);
    const e = new CpuExecutor(buildModel(x).program, { workers: 2, experiment: x });
    expect(e.workers).toBe(1);
    expect(e.workersReason).toMatch(/chung-ac-delay|chung-ac-trace/);
    e.destroy();
  });

  it('a program without step ops (an exact solver) runs on one thread', () => {
    const x = load('experiments/chalk-counts.json', ['run.replicas=2']);
    const e = new CpuExecutor(buildModel(x).program, { workers: 2, experiment: x });
    expect(e.workers).toBe(1);
    expect(e.workersReason).toBe('no step ops to split');
    e.destroy();
  });
});

describe('the million network (one replica) splits its scatter walk onto a helper thread bit-identically', () => {
  // 4096 big-layer units: 32 tiles of the scatter walk (chung-scatter-team.ts engages from TEAM_MIN_TILES = 32).
  const sets = ['population.hidden=[64,4096]', 'rule.fanIn=[0,8]', 'rule.lr=[0.01,0.01,0.01]', 'run.stepsPerChunk=4'];

  it('2 threads equal one thread, every buffer (scratch partials included), in both scatter forms', async () => {
    for (const fused of [true, false]) {
      const x = load('experiments/chung-million.json', [...sets, `rule.fuseSgdScatter=${fused}`]);
      const one = new CpuExecutor(buildModel(x).program);
      const split = new CpuExecutor(buildModel(x).program, { workers: 2, experiment: x });
      try {
        expect(split.workers).toBe(2);
        expect(split.adapter).toMatch(/helper threads/);
        expect(split.arrays['layer.1.theta']!.buffer).toBeInstanceOf(SharedArrayBuffer);
        const m1: number[][] = [],
          m2: number[][] = [];
        for (const e of [one, split]) e.reset();
        for (let c = 0; c < 4; c++) {
          await one.chunk(4, (w) => m1.push([...w]));
          await split.chunk(4, (w) => m2.push([...w]));
        }
        expect(m2).toEqual(m1);
        for (const d of one.program.buffers) expect(bufferBytes(split, d.name), d.name).toEqual(bufferBytes(one, d.name));
        // The big layer learned (its weights moved from the draw).
        const fresh = new CpuExecutor(buildModel(x).program);
        expect(bufferBytes(fresh, 'layer.1.theta').equals(bufferBytes(one, 'layer.1.theta'))).toBe(false);
        fresh.destroy();
      } finally {
        one.destroy();
        split.destroy();
      }
    }
    // The helper thread starts through tsx's loader, which takes a while on a busy host.
  }, 600_000);
});
