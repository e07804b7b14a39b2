import { describe, expect, it } from 'vitest';
import { createNet, MULTIPLEXER_OUTPUT_FAN_OUT } from '../../src/chung/network.ts';
import { buildHostNet, chungMuxConfig, incomingToTheta, millionConfig, thetaToIncoming, validateChungMuxConfig } from '../../src/learners/chung-multiplexer/index.ts';

describe('the k-major layout of weight-max-sparse (host side)', () => {
  it("buildHostNet draws exactly createNet's weights and wiring, in k-major order", () => {
    const c = chungMuxConfig({ addressBits: 3, hidden: [20, 30], fanIn: [4, 6], replicas: 2, seed: 5 });
    const host = buildHostNet(c, 11);
    const net = createNet(
      2,
      11,
      [
        { kind: 'bernoulli', size: 20, fanIn: 4 },
        { kind: 'bernoulli', size: 30, fanIn: 6 },
        { kind: 'softmax', size: 2, initFanOut: MULTIPLEXER_OUTPUT_FAN_OUT },
      ],
      5,
    );
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

  it('experiments/chung-million.json is the million preset (millionConfig), and builds without drawing its 2^26 synapses', async () => {
    const { readFileSync } = await import('node:fs');
    const { parseExperimentText } = await import('../../src/experiment/load.ts');
    const { buildModel } = await import('../../src/experiment/build.ts');
    const { muxConfigOf } = await import('../../src/rules/weight-max-sparse.ts');
    const x = parseExperimentText(readFileSync('experiments/chung-million.json', 'utf8'), 'chung-million.json');
    // the preset's seed is every command's default, 0 (`train million --seed 0`)
    expect(muxConfigOf(x as never)).toEqual(millionConfig({ seed: 0 }));
    const t0 = performance.now();
    const m = buildModel(x);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(m.program.buffers.find((d) => d.name === 'layer.1.theta')!.length).toBe((64 + 1) * (1 << 20));
  });

  it('validates configs and names the bad field', () => {
    expect(() => validateChungMuxConfig(chungMuxConfig({ fanIn: [0] }))).toThrow(/fanIn/);
    expect(() => validateChungMuxConfig(chungMuxConfig({ optimizer: ['adam', 'sgd', 'rmsprop' as never] }))).toThrow(/optimizer\[2\]/);
    expect(() => validateChungMuxConfig(millionConfig())).not.toThrow();
    expect(millionConfig().hidden).toEqual([256, 1 << 20]);
  });
});

describe('weight-max-sparse on the core, CPU executor', () => {
  it("gives the weight-max rule's multiplexer records on the paper's network (k-major twins vs the reference functions' views)", async () => {
    const { trainChung } = await import('../../src/chung/trainer.ts');
    const { chungPreset } = await import('../../src/chung/config.ts');
    const { parseExperiment } = await import('../../src/experiment/load.ts');
    const { trainExperiment } = await import('../../src/experiment/train.ts');
    const { muxExperiment } = await import('../../src/rules/weight-max-sparse.ts');
    const ref: number[][] = [];
    await trainChung(chungPreset('multiplexer', { episodes: 300, replicas: 2, seed: 3 }), { onEpisode: (m, r) => ref.push([r, m.episode!, m.return!]) });
    const ours: number[][] = [];
    const r = await trainExperiment(parseExperiment(muxExperiment(chungMuxConfig({ episodes: 300, replicas: 2, seed: 3 }), 'cpu')), {
      sink: { write: (m) => ours.push([m.replica as number, m.episode as number, m['charts/episodic_return'] as number]), flush: () => 0 },
    });
    const order = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]!;
    expect(ours.sort(order)).toEqual(ref.sort(order));
    expect((r.summary as { curve: number[] }).curve.length).toBeGreaterThan(10);
  });
});

describe("multiplexer output init (the code's single Bernoulli output unit)", () => {
  it('draws the output weights with Glorot fan-out 1, the 2-way softmax of other tasks with 2', () => {
    const spec = (initFanOut?: number) => createNet(1, 32, [{ kind: 'softmax', size: 2, initFanOut }], 3).layers[0]!.w;
    const mux = spec(MULTIPLEXER_OUTPUT_FAN_OUT),
      gym = spec();
    const ratio = Math.sqrt(6 / 33) / Math.sqrt(6 / 34); // same uniform draws, scaled limits
    for (let i = 0; i < mux.length; i++) expect(mux[i]).toBeCloseTo(gym[i]! * ratio, 6);
    expect(Math.max(...mux.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 33));
    expect(Math.max(...mux.map(Math.abs))).toBeGreaterThan(Math.sqrt(6 / 34) * 0.9);
  });
});
