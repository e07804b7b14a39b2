import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/experiment/load.ts';
import type { ExperimentInput } from '../../src/experiment/schema.ts';
import { trainExperiment } from '../../src/experiment/train.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { nodeGpuForFile } from '../gpu/file-gpu.ts';
import type { EpisodicSummary } from '../../src/rules/reinforce-model.ts';

const dawn = nodeGpuForFile();

const base: ExperimentInput = { env: { name: 'cartpole' }, rule: { name: 'reinforce' } };

/** Train and collect every replica's returns in order as the sink received them. */
async function returns(sets: string[], c?: GpuContext) {
  const x = parseExperiment(base, sets);
  const eps: number[][] = Array.from({ length: x.run.replicas }, () => []);
  const r = await trainExperiment(x, { ctx: c, sink: { write: (m) => eps[m.replica as number]!.push(m['charts/episodic_return'] as number), flush: () => 0 } });
  return { eps, r, s: r.summary as EpisodicSummary };
}

describe('reinforce on cartpole through the core', () => {
  // The documented budget: 1000 episodes. A random policy averages ~22.
  it.each([1, 2, 3])('learns far above random within 1000 episodes (CPU twins, seed %i)', async (seed) => {
    const { s } = await returns([`run.seed=${seed}`, 'run.replicas=4', 'run.backend="cpu"']);
    expect(s.first100MeanReturn.every((x) => x < 40)).toBe(true);
    expect(s.last100MeanOverReplicas).toBeGreaterThan(100);
    expect(s.last100MeanReturn.filter((x) => x > 60).length).toBeGreaterThanOrEqual(3);
  });

  it('gives the same metrics as before the migration (pinned hash, CPU twins)', async () => {
    // sha256 of every replica's returns, pinned from the hand-rolled CartpoleReinforceCpuRunner
    // (commit c1a4fc5) before it was deleted; the step program reproduces it exactly.
    const { eps, r } = await returns(['run.seed=3', 'run.replicas=3', 'run.episodes=300', 'run.backend="cpu"']);
    expect(createHash('sha256').update(JSON.stringify(eps)).digest('hex')).toBe('d57c472c940878aaa8a5fbc820c8d85c37973dc6d26063fa10bc35ca60015b3b');
    expect(r.envSteps).toBe(8000);
  });

  it('reward terms with the task term alone give exactly the broadcast-reward run', async () => {
    const a = await returns(['run.seed=3', 'run.replicas=3', 'run.episodes=200', 'run.backend="cpu"']);
    const b = await returns(['run.seed=3', 'run.replicas=3', 'run.episodes=200', 'run.backend="cpu"', 'rule.terms={"task":{"weight":1}}']);
    expect(b.eps).toEqual(a.eps);
  });

  it('per-neuron reward terms (task + Ott activity and sparsity + metabolic cost) still learn CartPole within 1000 episodes', async () => {
    const { s } = await returns([
      'run.seed=1',
      'run.replicas=4',
      'run.backend="cpu"',
      'population.hidden=[16]',
      'rule.terms={"task":{"weight":1},"activity":{"weight":0.05},"sparsity":{"weight":0.5,"target":0.2},"metabolic":{"weight":0.002}}',
    ]);
    expect(s.last100MeanOverReplicas, String(s.last100MeanReturn)).toBeGreaterThan(100);
  });

  it('the WebGPU executor logs every episode and agrees with the CPU twins episode for episode at first', async () => {
    const g = await returns(['run.seed=5', 'run.replicas=2', 'run.episodes=150', 'run.stepsPerChunk=100', 'run.backend="webgpu"'], dawn.ctx);
    const c = await returns(['run.seed=5', 'run.replicas=2', 'run.episodes=150', 'run.stepsPerChunk=100', 'run.backend="cpu"']);
    expect(g.eps.map((e) => e.length)).toEqual([150, 150]);
    expect(g.r.backend).toBe('webgpu');
    expect(g.r.adapter).toMatch(/\w/);
    // Identical until a knife-edge spike flips the runs apart; the first 30 episodes never have.
    for (const r of [0, 1]) expect(g.eps[r]!.slice(0, 30)).toEqual(c.eps[r]!.slice(0, 30));
  });

  it("backend 'auto' runs the CPU twins on a software adapter and says why", async () => {
    const { r } = await returns(['run.episodes=3', 'run.replicas=1'], dawn.ctx);
    expect(dawn.ctx.hardwareAdapter).toBe(false);
    expect(r.backend).toBe('cpu');
    expect(r.backendReason).toMatch(/software adapter/);
  });

  it.each([
    [['run.replicas=0'], 'run.replicas must be an integer in [1, 1048576], got 0'],
    [['rule.lr=NaN'], 'rule.lr must be a number in (0, 1], got "NaN"'],
    [['run.backend="tpu"'], 'run.backend must be one of auto, webgpu, cpu, got "tpu"'],
    [['env.name="pong"'], 'env.name must be one of'],
    [['population.hidden=[4,0]'], 'population.hidden.1 must be an integer in [1, 16777216], got 0'],
    [['rule.foo=1'], "rule: unknown field 'foo'"],
    [['run.replicas'], '--set must be path=value'],
  ])('rejects %j naming the field and what is allowed', (sets, msg) => {
    expect(() => parseExperiment(base, sets)).toThrow(msg);
  });
});
