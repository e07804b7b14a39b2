import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/experiment/load.ts';
import { trainExperiment } from '../../src/experiment/train.ts';
import { nodeGpuForFile } from '../gpu/file-gpu.ts';
import type { CheckpointParts } from '../../src/io/checkpoint.ts';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/io/checkpoint.ts';
import { NonFiniteError } from '../../src/run/guard.ts';
import { RUN_CHECKPOINT } from '../../src/run/loop.ts';
import type { MetricsRecord } from '../../src/run/model.ts';

const dawn = nodeGpuForFile();

/** A sink that keeps lines like metrics.jsonl and reports its length in lines. */
class Lines {
  lines: string[] = [];
  write = (m: MetricsRecord) => void this.lines.push(JSON.stringify(m));
  flush = () => this.lines.length;
}

const experiment = (backend: string) =>
  parseExperiment({ env: { name: 'cartpole' }, rule: { name: 'reinforce' } }, ['run.seed=9', 'run.replicas=3', 'run.episodes=120', 'run.stepsPerChunk=100', `run.backend="${backend}"`]);

describe('the one loop: checkpoints, resume, NaN guard, stop', () => {
  it.each(['cpu', 'webgpu'])('a run stopped midway and resumed from its checkpoint ends with the same metrics as a straight run (%s)', async (backend) => {
    const x = experiment(backend);
    const straight = new Lines();
    const s = await trainExperiment(x, { ctx: dawn.ctx, sink: straight });

    // Abort during chunk 7: it finishes, then the stop writes a checkpoint (others every 300 steps).
    const first = new Lines();
    const stop = new AbortController();
    const saved: CheckpointParts[] = [];
    const a = await trainExperiment(x, {
      ctx: dawn.ctx,
      sink: first,
      signal: stop.signal,
      checkpointEvery: 300,
      saveCheckpoint: (p) => saved.push(decodeCheckpoint(encodeCheckpoint(p), RUN_CHECKPOINT)),
      beforeChunk: (chunk) => void (chunk === 7 && stop.abort()),
    });
    expect(a.stopped).toBe(true);
    expect(a.checkpointStep).toBe(800);
    expect(saved.map((p) => p.header.stepCount)).toEqual([300, 600, 800]);
    // Resume from the middle checkpoint (as after a kill at step ~650): metrics after it are cut.
    const mid = saved[1]!;
    expect(mid.header.experiment).toEqual(x);
    expect(mid.header.backend).toBe(backend);
    const resumed = new Lines();
    resumed.lines = first.lines.slice(0, mid.header.metricsAt as number);
    const b = await trainExperiment(x, { ctx: dawn.ctx, sink: resumed, resume: mid });
    expect(resumed.lines).toEqual(straight.lines);
    expect(b.summary).toEqual(s.summary);
    // The device may run up to two chunks past the last needed one before the readback says so.
    if (backend === 'cpu') expect(b.envSteps).toBe(s.envSteps);
    else expect(Math.abs(b.envSteps - s.envSteps)).toBeLessThanOrEqual(2 * x.run.stepsPerChunk);
  });

  it.each(['cpu', 'webgpu'])('a NaN injected into a weight buffer stops the run naming the buffer, keeping the last good checkpoint (%s)', async (backend) => {
    const x = experiment(backend);
    const saved: number[] = [];
    const run = trainExperiment(x, {
      ctx: dawn.ctx,
      checkpointEvery: 200,
      guardEvery: 1,
      saveCheckpoint: (p) => saved.push(p.header.stepCount as number),
      beforeChunk: (chunk, exec) => {
        if (chunk === 5) exec.write('theta-1', new Float32Array([1, NaN, 2]));
      },
    });
    await expect(run).rejects.toThrow(NonFiniteError);
    await expect(run).rejects.toThrow(/non-finite value in buffer 'theta-1' at element \d+, found after env step 600; the last good checkpoint is kept/);
    expect(saved).toEqual([200, 400]);
  });

  it('a resume refuses a checkpoint of another backend', async () => {
    const x = experiment('cpu');
    const saved: CheckpointParts[] = [];
    const stop = new AbortController();
    await trainExperiment(x, { signal: stop.signal, saveCheckpoint: (p) => saved.push(p), beforeChunk: (c) => void (c === 2 && stop.abort()) });
    await expect(trainExperiment(experiment('webgpu'), { ctx: dawn.ctx, resume: saved[0]! })).rejects.toThrow('checkpoint was written by the cpu backend; resume it on the same backend');
  });
});
