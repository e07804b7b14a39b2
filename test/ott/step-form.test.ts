import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/validate.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperimentText } from '../../src/experiment/load.ts';
import { arenaViews } from '../../src/kernels/ott-fused.ts';
import { ottFusedProgram } from '../../src/kernels/ott-fused.ts';
import { CpuExecutor } from '../../src/run/executor-cpu.ts';
import { OttDecoder } from '../../src/rules/ott.ts';
import type { MetricsRecord } from '../../src/run/model.ts';

const ott = (...sets: string[]) => parseExperimentText(readFileSync('experiments/ott-cartpole.json', 'utf8'), 'ott-cartpole', ['run.replicas=5', 'run.seed=4', ...sets]);

/** Run a model's program for `steps` steps on the CPU executor; the records its decoder emits. */
async function records(sets: string[], steps: number): Promise<{ recs: MetricsRecord[]; exec: CpuExecutor }> {
  const m = buildModel(ott(...sets));
  const exec = new CpuExecutor(m.program);
  exec.reset();
  const recs: MetricsRecord[] = [];
  for (let done = 0; done < steps; done += 100) await exec.chunk(100, (w) => (m.decoder as OttDecoder).ingest(w, (r) => recs.push(r)));
  return { recs, exec };
}

describe('run.stepForm for the ott rule', () => {
  it("'auto' and 'ops' build the op list; 'fused' builds the fused step (two ops: the fused kernel, the clock tick)", () => {
    expect(buildModel(ott()).program.step.length).toBeGreaterThan(10);
    expect(buildModel(ott('run.stepForm=ops')).program.step.length).toBeGreaterThan(10);
    const fused = buildModel(ott('run.stepForm=fused')).program;
    expect(fused.step.map((o) => o.kernel.wgsl)).toEqual(['ott-fused-cartpole', 'clock-tick']);
    expect(fused.buffers.map((b) => b.name)).toEqual(expect.arrayContaining(['ott.f32', 'ott.u32', 'theta', 'clock']));
    expect(buildModel(ott('run.stepForm=split')).program.step.map((o) => o.kernel.wgsl)).toEqual(['ott-fused-cartpole', 'ott-fused-cartpole', 'ott-fused-cartpole', 'clock-tick']);
  });

  it.each(['fused', 'split'])("the %s form's twin computes what the op list computes: every buffer and the episode records bit-identical after 600 steps", async (form) => {
    const a = await records([], 600);
    const b = await records([`run.stepForm=${form}`], 600);
    expect(a.recs.length).toBeGreaterThan(20);
    expect(b.recs).toEqual(a.recs);
    const ops = buildModel(ott()).program;
    const { views } = ottFusedProgram(ops, { form: form as 'fused' | 'split' });
    const B = b.exec.arrays;
    const named = arenaViews(views, { ...B, af: B['ott.f32']!, au: B['ott.u32']! });
    for (const d of ops.buffers) expect(Array.from(named[d.name]!), d.name).toEqual(Array.from(a.exec.arrays[d.name]!));
  });

  it("'fused' on a network it does not cover is refused, naming the field", () => {
    expect(() => buildModel(ott('run.stepForm=fused', 'population.agents=logistic-neurons'))).toThrow(ConfigError);
    expect(() => buildModel(ott('run.stepForm=fused', 'population.agents=logistic-neurons'))).toThrow(/run\.stepForm/);
  });
});
