import { describe, expect, it } from 'vitest';
import { adamStep, ADAM_DEFAULTS } from '../../src/chung/adam.ts';
import { annealedLr, CHUNG_PRESETS, CHUNG_TABLE1, chungPreset, validateChungConfig } from '../../src/chung/config.ts';

describe('chung config', () => {
  it('accepts every preset', () => {
    for (const p of Object.values(CHUNG_PRESETS)) expect(() => validateChungConfig(chungPreset(p.task))).not.toThrow();
  });

  it('copies the code configs', () => {
    const cp = CHUNG_PRESETS.cartpole;
    expect(cp.actorLrStart).toEqual([0.02, 0.0002, 0.00002]);
    expect(cp.criticLrEnd).toEqual([0.004, 0.00004, 0.000004]);
    expect(CHUNG_PRESETS.lunarlander.temp).toEqual([1, 1, 2]);
    expect(CHUNG_PRESETS.acrobot.lrEndStep).toBe(1_000_000);
    expect(CHUNG_PRESETS.multiplexer.episodes).toBe(800_000);
    expect(CHUNG_TABLE1.weightmax!.multiplexer).toEqual([0.81, 0.01]);
    expect(CHUNG_TABLE1['weightmax+traces']!.multiplexer).toBeNull();
  });

  it('names the field and range of a bad value', () => {
    expect(() => validateChungConfig(chungPreset('cartpole', { replicas: 0 }))).toThrow(/replicas must be an integer in \[1, 4096\], got 0/);
    expect(() => validateChungConfig(chungPreset('cartpole', { gamma: 1.5 }))).toThrow(/gamma must be a number in \[0, 1\], got 1.5/);
    expect(() => validateChungConfig(chungPreset('cartpole', { temp: [1, 1] }))).toThrow(/temp must be an array of length 3/);
    expect(() => validateChungConfig(chungPreset('cartpole', { temp: [1, 0, 1] }))).toThrow(/temp\[1\] must be a number in \(0/);
    expect(() => validateChungConfig(chungPreset('cartpole', { hidden: [] }))).toThrow(/hidden must be an array of 1 to 8/);
    expect(() => validateChungConfig(chungPreset('cartpole', { rule: 'sgd' as never }))).toThrow(/rule must be one of/);
    expect(() => validateChungConfig(chungPreset('multiplexer', { traces: true }))).toThrow(/traces must be false for the multiplexer/);
    expect(() => validateChungConfig(chungPreset('cartpole', { traces: true, traceForm: 'shifted', rule: 'ste' }))).toThrow(/shifted/);
    expect(() => validateChungConfig(chungPreset('cartpole', { adamEps: 0 }))).toThrow(/adamEps must be a number in \(0, 1\]/);
  });

  it('anneals learning rates linearly and holds the end value', () => {
    expect(annealedLr([1, 10], [0, 0], 100, 0)).toEqual([1, 10]);
    expect(annealedLr([1, 10], [0, 0], 100, 25)).toEqual([0.75, 7.5]);
    expect(annealedLr([1, 10], [0, 0], 100, 1000)).toEqual([0, 0]);
  });
});

describe('adam with the bias-correction switch', () => {
  it('matches a hand computation at t = 1, 2 and after the switch', () => {
    const p = new Float32Array([0.5]),
      m = new Float32Array(1),
      v = new Float32Array(1);
    const lr = 0.01;
    adamStep(p, new Float32Array([2]), m, v, lr, 1);
    // t=1: m = 0.2, v = 0.004, m_hat = 2, v_hat = 4 -> step = lr * 2 / (2 + 1e-8)
    expect(p[0]).toBeCloseTo(0.5 + lr, 7);
    adamStep(p, new Float32Array([-1]), m, v, lr, 2);
    const m2 = 0.9 * 0.2 + 0.1 * -1,
      v2 = 0.999 * 0.004 + 0.001 * 1;
    const step2 = (lr * (m2 / (1 - 0.81))) / (Math.sqrt(v2 / (1 - 0.999 ** 2)) + 1e-8);
    expect(p[0]).toBeCloseTo(0.5 + lr + step2, 6);
    // From t = 1000 on the raw moments are used.
    const p3 = new Float32Array([0]),
      m3 = new Float32Array([0.2]),
      v3 = new Float32Array([0.004]);
    adamStep(p3, new Float32Array([0]), m3, v3, lr, 1000);
    expect(p3[0]).toBeCloseTo((lr * 0.18) / (Math.sqrt(0.004 * 0.999) + 1e-8), 6);
    const p4 = new Float32Array([0]),
      m4 = new Float32Array([0.2]),
      v4 = new Float32Array([0.004]);
    adamStep(p4, new Float32Array([0]), m4, v4, lr, 999);
    expect(p4[0]).toBeCloseTo((lr * 0.18) / (1 - 0.9 ** 999) / (Math.sqrt((0.004 * 0.999) / (1 - 0.999 ** 999)) + 1e-8), 6);
    expect(p4[0]).not.toBeCloseTo(p3[0]!, 4);
    expect(ADAM_DEFAULTS.biasCorrectionSteps).toBe(1000);
  });
});
