import { describe, expect, it } from 'vitest';
import {
  BOUNDARY_PRESET,
  GD_MNIST_PRESET,
  MNIST_0HU_PRESET,
  MNIST_32HU_PRESET,
  gdCodeIterations,
  validateGdMnistConfig,
  validateSynqBoundaryConfig,
  validateSynqMnistConfig,
} from '../../src/synq/config.ts';

describe('synq configs', () => {
  it('presets are valid and carry the paper values', () => {
    validateSynqBoundaryConfig(BOUNDARY_PRESET);
    validateSynqMnistConfig(MNIST_0HU_PRESET);
    validateSynqMnistConfig(MNIST_32HU_PRESET);
    validateGdMnistConfig(GD_MNIST_PRESET);
    expect(BOUNDARY_PRESET).toMatchObject({ epsilon: 0.25, alphaS: 0.001, gamma: 0.9, alphaQ: 0.01, hidden: 100, points: 2000 });
    expect(MNIST_0HU_PRESET).toMatchObject({ epsilon: 0.1, alphaS: 1e-4, batchSize: 5000, batchInterval: 5000, iterations: 200_000 });
    expect(MNIST_32HU_PRESET).toMatchObject({ hidden: 32, iterations: 500_000, alphaSSwitchIteration: 60_000, alphaSSwitched: 5e-5 });
    expect(GD_MNIST_PRESET).toMatchObject({ learningRate: 0.1, init: 'code', iterations: 5000 });
    // the authors' GD notebooks: 5000 full-batch steps without hidden units, 500 epochs with them
    expect([gdCodeIterations(0), gdCodeIterations(32)]).toEqual([5000, 500]);
  });

  it('names the bad field and its range', () => {
    expect(() => validateSynqBoundaryConfig({ ...BOUNDARY_PRESET, epsilon: 1.5 })).toThrow(/epsilon must be in \[0, 1\], got 1\.5/);
    expect(() => validateSynqBoundaryConfig({ ...BOUNDARY_PRESET, gamma: 1 })).toThrow(RangeError);
    expect(() => validateSynqBoundaryConfig({ ...BOUNDARY_PRESET, alphaS: 0 })).toThrow(/alphaS must be in \(0, 1\]/);
    expect(() => validateSynqBoundaryConfig({ ...BOUNDARY_PRESET, iterations: 2.5 })).toThrow(/iterations must be an integer/);
    expect(() => validateSynqBoundaryConfig({ ...BOUNDARY_PRESET, hidden: 0 })).toThrow(/hidden/);
    expect(() => validateSynqBoundaryConfig({ ...BOUNDARY_PRESET, policy: 'nope' as never })).toThrow(/policy/);
    expect(() => validateSynqBoundaryConfig({ ...BOUNDARY_PRESET, tdRule: 'sum' as never })).toThrow(/tdRule/);
    expect(() => validateSynqMnistConfig({ ...MNIST_0HU_PRESET, validationFraction: 1 })).toThrow(/validationFraction must be in \(0, 1\)/);
    expect(() => validateSynqMnistConfig({ ...MNIST_0HU_PRESET, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => validateGdMnistConfig({ ...GD_MNIST_PRESET, learningRate: Number.NaN })).toThrow(/learningRate must be a finite number/);
    expect(() => validateGdMnistConfig({ ...GD_MNIST_PRESET, init: 'xavier' as never })).toThrow(/init must be one of code\|paired, got xavier/);
  });
});
