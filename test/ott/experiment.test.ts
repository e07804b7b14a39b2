import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/validate.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperiment, parseExperimentText } from '../../src/experiment/load.ts';
import { trainExperiment } from '../../src/experiment/train.ts';
import type { CheckpointParts } from '../../src/io/checkpoint.ts';
import { ottPaperConfig, resolveOttConfig } from '../../src/ott/config.ts';
import { ottConfigOf, ottExperiment, type OttExperiment } from '../../src/rules/ott.ts';
import type { MetricsRecord } from '../../src/run/model.ts';
import { registerNodeShaders } from '../../src/gpu/node.ts';
import { OTT_KERNEL_DEFS } from '../../src/kernels/ott.ts';
import { checkBindings } from '../../src/run/kernel-def.ts';
import { PARITY_SUITES } from '../parity/suites.ts';

const preset = (name: string) => parseExperimentText(readFileSync(`experiments/${name}.json`, 'utf8'), name);

describe('the Ott kernels in the registry', () => {
  it.each(Object.values(OTT_KERNEL_DEFS).map((d) => [d.wgsl, d] as const))('%s: bindings match its WGSL, its parity suite lists it', (_name, def) => {
    registerNodeShaders();
    expect(() => checkBindings(def)).not.toThrow();
    const suite = PARITY_SUITES.find((s) => s.name === def.parity);
    expect(suite?.kernels).toContain(def.wgsl);
  });
});

describe("the 'ott' rule as an experiment", () => {
  it('experiments/ott-cartpole.json is the paper setting; experiments/cartpole-reinforce.json still parses and builds', () => {
    const x = preset('ott-cartpole') as OttExperiment;
    expect(ottConfigOf(x)).toEqual(ottPaperConfig(1, 'all'));
    expect(buildModel(x).kind).toBe('ott');
    const r = preset('cartpole-reinforce');
    expect(r.population).toMatchObject({ agents: 'logistic-neurons', hidden: [8] });
    expect(r.population.wiring).toBeUndefined();
    expect(buildModel(r).kind).toBe('reinforce');
  });

  it('an Ott config round-trips through its experiment', () => {
    const c = resolveOttConfig({
      seed: 3,
      replicas: 3,
      layers: 2,
      neuronsPerLayer: 6,
      wiring: 'dense',
      policy: 'logistic',
      replicaRewardModes: ['bio', 'task', 'all'],
      rewardWeights: { task: 2, activity: 0.5, sparsity: 1, prediction: 1, trace: 0 },
      stopWhenSolved: false,
      maxEpisodes: 77,
    });
    expect(ottConfigOf(ottExperiment(c))).toEqual(c);
  });

  it('refuses what the rule cannot build, naming the field', () => {
    const base = ottExperiment(resolveOttConfig({ replicas: 2 }));
    const bad = (patch: object, field: string) => {
      const x = parseExperiment({ ...base, ...patch });
      let err: unknown;
      try {
        buildModel(x);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toContain(field);
    };
    bad({ rule: { ...base.rule, replicaModes: ['task'] } }, 'rule.replicaModes');
    bad({ population: { ...base.population, hidden: [4, 5] } }, 'population.hidden');
    bad({ rule: { name: 'reinforce' } }, 'population.agents');
    expect(() => parseExperiment({ ...base, rule: { ...base.rule, mode: 'pleasure' } })).toThrow(/rule\.mode must be one of task, bio, all, bio_then_all/);
  });

  it('a run resumed from a checkpoint continues the metrics of a straight run bit for bit (CPU)', async () => {
    const x = ottExperiment(
      resolveOttConfig({
        seed: 4,
        replicas: 3,
        layers: 1,
        neuronsPerLayer: 4,
        replicaRewardModes: ['all', 'bio_then_all', 'task'],
        bioEpisodes: 3,
        maxEpisodes: 30,
        minEpisodes: 5,
        solveThreshold: 40,
        solveWindow: 4,
      }),
      { backend: 'cpu', stepsPerChunk: 40 },
    );
    const sink = (out: MetricsRecord[]) => ({ write: (r: MetricsRecord) => void out.push(r), flush: () => out.length });
    const straight: MetricsRecord[] = [];
    const checkpoints: CheckpointParts[] = [];
    const a = await trainExperiment(x, { sink: sink(straight), checkpointEvery: 200, saveCheckpoint: (p) => void checkpoints.push(structuredClone(p)) });
    expect(checkpoints.length).toBeGreaterThan(2);
    const at = checkpoints[1]!;
    const resumed: MetricsRecord[] = [];
    const b = await trainExperiment(x, { sink: sink(resumed), resume: at });
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed).toEqual(straight.slice(at.header.metricsAt as number));
    expect(b.summary).toEqual(a.summary);
  });
});
