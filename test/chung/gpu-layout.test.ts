import { describe, expect, it } from 'vitest';
import { createNet, MULTIPLEXER_OUTPUT_FAN_OUT } from '../../src/chung/network.ts';
import { buildHostNet, chungMuxConfig, incomingToTheta, millionConfig, thetaToIncoming, validateChungMuxConfig } from '../../src/learners/chung-multiplexer/index.ts';

describe('chung-multiplexer GPU layout (host side)', () => {
  it('buildHostNet draws exactly createNet\'s weights and wiring, in k-major order', () => {
    const c = chungMuxConfig({ addressBits: 3, hidden: [20, 30], fanIn: [4, 6], replicas: 2, seed: 5 });
    const host = buildHostNet(c, 11);
    const net = createNet(2, 11, [
      { kind: 'bernoulli', size: 20, fanIn: 4 },
      { kind: 'bernoulli', size: 30, fanIn: 6 },
      { kind: 'softmax', size: 2, initFanOut: MULTIPLEXER_OUTPUT_FAN_OUT },
    ], 5);
    host.layers.forEach((L, l) => {
      const CL = net.layers[l]!;
      expect(L.fanIn).toBe(CL.fanIn);
      expect(Array.from(L.theta)).toEqual(Array.from(incomingToTheta(CL.w, CL.b, 2, CL.fanIn, CL.nOut)));
      if (CL.preIdx) {
        for (let j = 0; j < CL.nOut; j++) for (let q = 0; q < CL.fanIn; q++) expect(L.pre![q * CL.nOut + j]).toBe(CL.preIdx[j * CL.fanIn + q]);
        expect(Array.from(L.outStart!)).toEqual(Array.from(CL.outStart!));
        // The CSR lists hold the same synapses in the same order, as k-major ids.
        expect(Array.from(L.outSyn!)).toEqual(Array.from(CL.outSyn!, (s) => (s % CL.fanIn) * CL.nOut + Math.floor(s / CL.fanIn)));
      } else expect(L.pre).toBeNull();
    });
  });

  it('theta layout conversions are inverse', () => {
    const w = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const b = Float32Array.from({ length: 2 * 3 }, (_, i) => -i);
    const back = thetaToIncoming(incomingToTheta(w, b, 2, 4, 3), 2, 4, 3);
    expect(Array.from(back.w)).toEqual(Array.from(w));
    expect(Array.from(back.b)).toEqual(Array.from(b));
  });

  it('validates configs and names the bad field', () => {
    expect(() => validateChungMuxConfig(chungMuxConfig({ fanIn: [0] }))).toThrow(/fanIn/);
    expect(() => validateChungMuxConfig(chungMuxConfig({ optimizer: ['adam', 'sgd', 'rmsprop' as never] }))).toThrow(/optimizer\[2\]/);
    expect(() => validateChungMuxConfig(millionConfig())).not.toThrow();
    expect(millionConfig().hidden).toEqual([256, 1 << 20]);
  });
});

describe('trainChungMultiplexer, CPU backend', () => {
  it('reproduces trainChung on the multiplexer step for step (same draws, same rewards)', async () => {
    const { trainChung } = await import('../../src/chung/trainer.ts');
    const { chungPreset } = await import('../../src/chung/config.ts');
    const { trainChungMultiplexer } = await import('../../src/learners/chung-multiplexer/train.ts');
    const ref = await trainChung(chungPreset('multiplexer', { episodes: 300, replicas: 2, seed: 3 }));
    const ours = await trainChungMultiplexer(chungMuxConfig({ episodes: 300, replicas: 2, seed: 3, backend: 'cpu' }));
    expect(ours.perReplica).toEqual(ref.perReplica);
    expect(ours.meanReturn).toBeCloseTo(ref.meanReturn, 12);
    expect(ours.curve.length).toBeGreaterThan(10);
  });
});

describe('multiplexer output init (the code\'s single Bernoulli output unit)', () => {
  it('draws the output weights with Glorot fan-out 1, the 2-way softmax of other tasks with 2', () => {
    const spec = (initFanOut?: number) => createNet(1, 32, [{ kind: 'softmax', size: 2, initFanOut }], 3).layers[0]!.w;
    const mux = spec(MULTIPLEXER_OUTPUT_FAN_OUT), gym = spec();
    const ratio = Math.sqrt(6 / 33) / Math.sqrt(6 / 34); // same uniform draws, scaled limits
    for (let i = 0; i < mux.length; i++) expect(mux[i]).toBeCloseTo(gym[i]! * ratio, 6);
    expect(Math.max(...mux.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 33));
    expect(Math.max(...mux.map(Math.abs))).toBeGreaterThan(Math.sqrt(6 / 34) * 0.9);
  });
});
