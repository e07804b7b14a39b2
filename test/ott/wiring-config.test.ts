import { describe, expect, it } from 'vitest';
import { OTT_CARTPOLE_DEFAULTS, OTT_PRESETS, resolveOttConfig, validateOttConfig, type OttConfig } from '../../src/ott/config.ts';
import { buildOttWiring, OTT_PAD } from '../../src/ott/wiring.ts';

const P = OTT_PAD;

describe('Ott wiring index lists', () => {
  it('2 hidden layers of 5: full first layer, local r -> (r, r+1) later, output sees the last layer', () => {
    const w = buildOttWiring(2, 5);
    expect(w.numNeurons).toBe(11);
    expect(w.signalSize).toBe(15);
    expect(w.fanInK).toBe(5);
    expect(Array.from(w.layerStart)).toEqual([0, 5, 10, 11]);
    expect(Array.from(w.layerOf)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2]);
    const rows = Array.from({ length: 11 }, (_, n) => Array.from(w.fanIn.subarray(n * 5, n * 5 + 5)));
    for (let n = 0; n < 5; n++) expect(rows[n]).toEqual([0, 1, 2, 3, P]);
    // layer-1 neurons are signals 4..8; postsynaptic 0 sees only presynaptic 0, j sees j-1 and j
    expect(rows[5]).toEqual([4, P, P, P, P]);
    expect(rows[6]).toEqual([4, 5, P, P, P]);
    expect(rows[7]).toEqual([5, 6, P, P, P]);
    expect(rows[9]).toEqual([7, 8, P, P, P]);
    expect(rows[10]).toEqual([9, 10, 11, 12, 13]);
    expect(Array.from(w.fanInCount)).toEqual([4, 4, 4, 4, 4, 1, 2, 2, 2, 2, 5]);
    // the code's dense Linear in_features (init bound): 4 for layer 1, layer width after
    expect(Array.from(w.initFanIn)).toEqual([4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5]);
    // fan-out: presynaptic r feeds r and r+1; the last one (r = 4) only feeds 4 (no wrap)
    expect(w.fanOutK).toBe(2);
    const outs = Array.from({ length: 11 }, (_, n) => Array.from(w.fanOut.subarray(n * 2, n * 2 + w.fanOutCount[n]!)));
    expect(outs.slice(0, 5)).toEqual([[5, 6], [6, 7], [7, 8], [8, 9], [9]]);
    expect(outs.slice(5, 10)).toEqual([[10], [10], [10], [10], [10]]);
    expect(outs[10]).toEqual([]);
  });

  it('fan-out is the transpose of fan-in', () => {
    const w = buildOttWiring(5, 15);
    const pairsIn = new Set<string>();
    const pairsOut = new Set<string>();
    for (let n = 0; n < w.numNeurons; n++) {
      for (let k = 0; k < w.fanInCount[n]!; k++) {
        const s = w.fanIn[n * w.fanInK + k]!;
        if (s >= 4) pairsIn.add(`${s - 4}>${n}`);
      }
      for (let k = 0; k < w.fanOutCount[n]!; k++) pairsOut.add(`${n}>${w.fanOut[n * w.fanOutK + k]}`);
    }
    expect(pairsOut).toEqual(pairsIn);
    expect(pairsIn.size).toBe(4 * 29 + 15);
  });

  it('no hidden layers: the output neuron sees the observation', () => {
    const w = buildOttWiring(0, 15);
    expect(w.numNeurons).toBe(1);
    expect(Array.from(w.fanIn)).toEqual([0, 1, 2, 3]);
    expect(w.fanOutCount[0]).toBe(0);
  });
});

describe('Ott config', () => {
  const bad = (patch: Partial<OttConfig> | Record<string, unknown>, msg: string) => expect(() => validateOttConfig({ ...OTT_CARTPOLE_DEFAULTS, ...patch } as OttConfig)).toThrow(msg);

  it('defaults are the paper’s: 15 neurons, MLP 32, LeakyReLU 0.3, Adam 1e-2, gamma 0.99, sparsity 0.2', () => {
    const c = resolveOttConfig();
    expect(c).toMatchObject({ neuronsPerLayer: 15, hiddenUnits: 32, leakySlope: 0.3, learningRate: 1e-2, gamma: 0.99, sparsityTarget: 0.2 });
    expect(c.maxEpisodes).toBe(19_999);
    expect(OTT_PRESETS['ott-task-5']).toMatchObject({ layers: 5, rewardMode: 'task', replicas: 10 });
    for (const p of Object.values(OTT_PRESETS)) expect(() => validateOttConfig(p)).not.toThrow();
  });

  it('rejects bad fields with the field name and allowed range', () => {
    bad({ layers: 11 }, 'layers must be an integer in [0, 10], got 11');
    bad({ layers: 1.5 }, 'layers must be an integer in [0, 10], got 1.5');
    bad({ replicas: 0 }, 'replicas must be an integer in [1, 4096], got 0');
    bad({ hiddenUnits: 0 }, 'hiddenUnits must be an integer in [1, 1024], got 0');
    bad({ gamma: 1.5 }, 'gamma must be a number in [0, 1], got 1.5');
    bad({ learningRate: 0 }, 'learningRate must be a number in (0, 1], got 0');
    bad({ adamBeta2: 1 }, 'adamBeta2 must be a number in [0, 1), got 1');
    bad({ rewardMode: 'bio_only' }, 'rewardMode must be one of task, bio, all, bio_then_all, got bio_only');
    bad({ policy: 'lstm' }, 'policy must be one of mlp, logistic, got lstm');
    bad({ seed: -1 }, 'seed must be an integer in [0, 4294967295], got -1');
    bad({ rewardWeights: { ...OTT_CARTPOLE_DEFAULTS.rewardWeights, trace: NaN } }, 'rewardWeights.trace must be a number in [-1000, 1000], got NaN');
    bad({ maxEpisodes: 0 }, 'maxEpisodes must be an integer in [1, 1000000], got 0');
    expect(() => resolveOttConfig({ sparsityTarget: 2 })).toThrow(RangeError);
  });

  it('resolve merges partial reward weights with the defaults', () => {
    expect(resolveOttConfig({ rewardWeights: { trace: 0 } as never }).rewardWeights).toEqual({ task: 1, activity: 1, sparsity: 1, prediction: 1, trace: 0 });
  });
});
