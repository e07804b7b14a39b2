import { readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inlineFiles } from '../../src/cli/experiment-files.ts';
import { readCheckpointFile } from '../../src/cli/checkpoint-files.ts';
import { parseExperimentText } from '../../src/experiment/load.ts';
import { trainExperiment } from '../../src/experiment/train.ts';
import { nodeGpuForFile } from '../gpu/file-gpu.ts';
import { RUN_CHECKPOINT } from '../../src/run/loop.ts';
import type { EpisodicSummary } from '../../src/rules/reinforce-model.ts';
import { hedonist as cli } from '../cli/run-cli.ts';

const dawn = nodeGpuForFile();

const preset = (file: string, sets: string[] = []) => inlineFiles(parseExperimentText(readFileSync(file, 'utf8'), file, sets), file);

describe('compositions no paper ran, as preset files', () => {
  describe("(a) Ott's biological reward terms added to Weight Max hidden units on Acrobot", () => {
    const FILE = 'experiments/wm-ott-terms-acrobot.json';

    it('learns well above random (-500: a random policy never swings up within 500 steps) within 60 episodes (CPU twins, 4 replicas)', async () => {
      const r = await trainExperiment(preset(FILE, ['run.episodes=60', 'run.backend="cpu"']));
      const s = r.summary as { meanReturn: number; finalMeanReturn: number };
      expect(s.finalMeanReturn).toBeGreaterThan(-300);
      expect(s.meanReturn).toBeGreaterThan(-350);
    });

    it('the terms change what the hidden units learn (not the plain Weight Max run)', async () => {
      const sets = ['run.episodes=5', 'run.replicas=2', 'run.backend="cpu"'];
      const eps = async (extra: string[]) => {
        const out: number[] = [];
        await trainExperiment(preset(FILE, [...sets, ...extra]), { sink: { write: (m) => void out.push(m['charts/episodic_return'] as number), flush: () => 0 } });
        return out;
      };
      const withTerms = await eps([]),
        without = await eps(['rule.terms=null']);
      expect(withTerms).not.toEqual(without);
    });

    it('trains from `hedonist run FILE` on WebGPU', async () => {
      rmSync('runs/test-wm-terms-webgpu', { recursive: true, force: true });
      const r = await cli(['run', FILE, '--set', 'run.replicas=2', '--set', 'run.episodes=2', '--set', 'run.backend="webgpu"', '--name', 'test-wm-terms-webgpu', '--json'], 300_000);
      expect(r.code, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout);
      expect(s.backend).toBe('webgpu');
      expect(s.experiment.rule.terms.sparsity.target).toBe(0.2);
      expect(readFileSync('runs/test-wm-terms-webgpu/metrics.jsonl', 'utf8').trim().split('\n')).toHaveLength(4);
    });
  });

  describe('(b) Weight Max actor-critic on CartPole on WebGPU', () => {
    it('is a preset that runs on WebGPU (its learning test on WebGPU: test/cli/chung-cli.test.ts, 4 replicas x 4000 steps)', () => {
      const x = preset('experiments/wm-actor-critic-cartpole-webgpu.json');
      expect(x.run.backend).toBe('webgpu');
      expect(x.rule.name).toBe('weight-max');
    });
  });

  describe("(c) a network wired from edge-list files under Dale's law, per-neuron REINFORCE on CartPole", () => {
    const FILE = 'experiments/wired-dale-cartpole.json';

    it('learns far above random (~22) within 1000 episodes (CPU twins, 4 replicas, seeds 0 and 1)', async () => {
      for (const seed of [0, 1]) {
        const r = await trainExperiment(preset(FILE, [`run.seed=${seed}`, 'run.replicas=4', 'run.backend="cpu"']));
        const s = r.summary as EpisodicSummary;
        expect(s.first100MeanReturn.every((x) => x < 40)).toBe(true);
        expect(s.last100MeanOverReplicas, `seed ${seed}: ${s.last100MeanReturn}`).toBeGreaterThan(100);
        expect(s.last100MeanReturn.filter((x) => x > 60).length).toBeGreaterThanOrEqual(3);
      }
    });

    it("trains from `hedonist run FILE` and keeps every weight on its presynaptic neuron's side (Dale's law)", async () => {
      rmSync('runs/test-wired-dale', { recursive: true, force: true });
      const r = await cli(['run', FILE, '--set', 'run.replicas=2', '--set', 'run.episodes=200', '--set', 'run.backend="cpu"', '--checkpoint-every', '100000', '--name', 'test-wired-dale', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout);
      expect(s.experiment.population.wiring[1].edges).toContain('24 0 -0.1 I');
      const { parts } = readCheckpointFile('runs/test-wired-dale', RUN_CHECKPOINT);
      const theta = parts.arrays['theta-1'] as Float32Array;
      // Layer 1: 32 hidden -> 1 action neuron, K = 32 (one slot per presynaptic neuron, in file order).
      let pos = 0,
        neg = 0;
      for (let rep = 0; rep < 2; rep++)
        for (let k = 0; k < 32; k++) {
          const w = theta[rep * 33 + k]!;
          if (k < 24) expect(w, `replica ${rep} synapse ${k} (E)`).toBeGreaterThanOrEqual(0);
          else expect(w, `replica ${rep} synapse ${k} (I)`).toBeLessThanOrEqual(0);
          if (w > 0) pos++;
          if (w < 0) neg++;
        }
      expect(pos).toBeGreaterThan(10);
      expect(neg).toBeGreaterThan(3);
    });

    it('runs on WebGPU and agrees with the CPU twins episode for episode at first', async () => {
      const sets = ['run.seed=2', 'run.replicas=2', 'run.episodes=40'];
      const eps = async (backend: string) => {
        const out: number[][] = [[], []];
        await trainExperiment(preset(FILE, [...sets, `run.backend="${backend}"`]), {
          ctx: dawn.ctx,
          sink: { write: (m) => void out[m.replica as number]!.push(m['charts/episodic_return'] as number), flush: () => 0 },
        });
        return out;
      };
      const g = await eps('webgpu'),
        c = await eps('cpu');
      expect(g.map((x) => x.length)).toEqual([40, 40]);
      for (const r of [0, 1]) expect(g[r]!.slice(0, 20)).toEqual(c[r]!.slice(0, 20));
    });
  });
});
