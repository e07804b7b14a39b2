import { describe, expect, it } from 'vitest';
import { inlineConnectomes } from '../../src/connectome/celegans-files.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import { CpuExecutor } from '../../src/run/executor-cpu.ts';

/** Mean firing of the 302 connectome neurons over `steps` steps of a trained or fresh program. */
async function meanRate(ex: CpuExecutor, S: number, R: number, steps: number, from: number): Promise<number> {
  let sum = 0;
  for (let s = 0; s < steps; s++) {
    await ex.chunk(1, () => {});
    const a = (await ex.read((from + s) % 2 === 0 ? 'act-a' : 'act-b')) as Float32Array;
    for (let r = 0; r < R; r++) for (let i = 0; i < 302; i++) sum += a[r * S + 2 + 302 + 1 + i]!;
  }
  return sum / (steps * R * 302);
}

describe('the connectome population learns through its recurrent layer', () => {
  it("per-neuron rewards reach all 302 neurons: under Singh's metabolic cost alone the network quiets down", async () => {
    const x = inlineConnectomes(
      parseExperiment({
        env: { name: 'chemotaxis' },
        population: { hidden: [], wiring: [{ kind: 'connectome' }] },
        rule: { name: 'reinforce', lr: 0.05, terms: { metabolic: { weight: 1 } } },
        run: { replicas: 2, seed: 3, episodes: 100 },
      }),
    );
    const m = buildModel(x);
    const S = m.program.buffers.find((b) => b.name === 'act-a')!.length / 2;
    const ex = new CpuExecutor(m.program);
    ex.reset();
    const before = await meanRate(ex, S, 2, 100, 0); // episode 1
    await ex.chunk(2800, () => {}); // episodes 2 .. 29
    const after = await meanRate(ex, S, 2, 100, 2900); // episode 30
    ex.destroy();
    expect(before).toBeGreaterThan(0.1);
    expect(after).toBeLessThan(before / 2);
  }, 600_000);
});
