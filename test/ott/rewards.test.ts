import { describe, expect, it } from 'vitest';
import { OTT_UNIT_WEIGHTS } from '../../src/ott/config.ts';
import {
  activityReward,
  activityTraceReward,
  activityTraceValue,
  activityTraceValueRef,
  combineRewards,
  layerFiringFractions,
  predictionReward,
  sparsityReward,
  taskReward,
  termWeights,
} from '../../src/ott/rewards.ts';
import { buildOttWiring, type OttWiring } from '../../src/ott/wiring.ts';

const f = Math.fround;

/** Signals of one replica with the given spikes (observation zeros). */
function sig(w: OttWiring, spikes: number[]): Float32Array {
  const s = new Float32Array(w.signalSize);
  s.set(spikes, w.numInputs);
  return s;
}

describe('Ott reward terms', () => {
  // 2 hidden layers of 3 + output: neurons 0-2 (layer 1), 3-5 (layer 2), 6 (output)
  const w = buildOttWiring(2, 3);
  const one = new Uint8Array([1]);
  const spikes = [1, 0, 0, 1, 1, 0, 1];

  it('task: the env reward broadcast to every neuron, output included; inactive replicas untouched', () => {
    const out = new Float32Array(14).fill(7);
    taskReward(w, 2, new Uint8Array([1, 0]), new Float32Array([1, 1]), out);
    expect(Array.from(out)).toEqual([1, 1, 1, 1, 1, 1, 1, 7, 7, 7, 7, 7, 7, 7]);
  });

  it('activity: the spike itself; the output neuron’s is its action', () => {
    const out = new Float32Array(7);
    activityReward(w, sig(w, spikes), 1, one, out);
    expect(Array.from(out)).toEqual(spikes);
  });

  it('sparsity: -|e| firing / +|e| silent with e = layer fraction - 0.2; output 0', () => {
    const s = sig(w, spikes);
    const fr = new Float32Array(3);
    layerFiringFractions(w, s, 1, one, fr);
    expect(Array.from(fr)).toEqual([f(1 / 3), f(2 / 3), 1]);
    const out = new Float32Array(7);
    sparsityReward(w, s, 1, one, fr, 0.2, out);
    const e1 = f(f(1 / 3) - f(0.2)); // 0.1333: too active
    const e2 = f(f(2 / 3) - f(0.2)); // 0.4667
    expect(Array.from(out)).toEqual([-e1, e1, e1, -e2, -e2, e2, 0]);
    expect(e1).toBeCloseTo(0.133333, 5);
    // too sparse: nobody fires in layer 1 -> e = -0.2, silent neurons get +0.2
    const s2 = sig(w, [0, 0, 0, 1, 1, 1, 0]);
    layerFiringFractions(w, s2, 1, one, fr);
    sparsityReward(w, s2, 1, one, fr, 0.2, out);
    expect(out[0]).toBeCloseTo(0.2, 6);
    expect(out[3]).toBeCloseTo(-0.8, 6);
  });

  it('sparsity: exactly on target (3 of 15) every neuron of the layer gets the target 0.2', () => {
    const w15 = buildOttWiring(1, 15);
    const sp = new Array(16).fill(0);
    sp[2] = sp[7] = sp[11] = 1;
    const s = sig(w15, sp);
    const fr = new Float32Array(2);
    layerFiringFractions(w15, s, 1, one, fr);
    const out = new Float32Array(16);
    sparsityReward(w15, s, 1, one, fr, 0.2, out);
    for (let n = 0; n < 15; n++) expect(out[n]).toBe(f(0.2));
    expect(out[15]).toBe(0);
  });

  it('prediction: spike * sum over postsynaptic targets of +1 (fired) / -1 (silent)', () => {
    const out = new Float32Array(7);
    // layer-1 r feeds layer-2 r and r+1; layer 2 feeds the output
    predictionReward(w, sig(w, spikes), 1, one, out);
    expect(Array.from(out)).toEqual([2, 0, 0, 1, 1, 0, 0]);
    predictionReward(w, sig(w, [1, 1, 1, 0, 1, 0, 0]), 1, one, out);
    // n0: -1 (post 3 silent) +1 (post 4 fired); n1: +1 -1; n2: only post 5 (silent) -> -1
    // n4 fired, output chose 0 -> -1; n3, n5 silent -> 0
    expect(Array.from(out)).toEqual([0, 0, -1, 0, -1, 0, 0]);
  });

  it('activity trace: the code’s fitted curve (0.926 at m=0.5, 0.273 at 0.25/0.75, -1.99 at 0/1)', () => {
    expect(activityTraceValueRef(0.5)).toBeCloseTo(0.9256812, 7);
    expect(activityTraceValueRef(0.25)).toBeCloseTo(0.2730212, 6);
    expect(activityTraceValueRef(0)).toBeCloseTo(-1.9918248, 6);
    expect(activityTraceValue(0.5)).toBeCloseTo(0.926, 3);
    expect(activityTraceValue(0.25)).toBeCloseTo(0.273, 3);
    expect(activityTraceValue(0.75)).toBeCloseTo(0.273, 3);
    expect(activityTraceValue(0)).toBeCloseTo(-1.99, 2);
    expect(activityTraceValue(1)).toBeCloseTo(-1.99, 2);
    // the f32 rearrangement equals the float64 formula everywhere on [0, 1]
    for (let m = 0; m <= 1; m += 1 / 64) expect(Math.abs(activityTraceValue(m) - activityTraceValueRef(m))).toBeLessThan(2e-6);
  });

  it('activity trace uses the running firing fraction including the current step', () => {
    const w1 = buildOttWiring(0, 1); // a lone output neuron
    const fire = new Float32Array(1);
    const steps = new Uint32Array(1);
    const out = new Float32Array(1);
    const want: number[] = [];
    const got: number[] = [];
    for (const [t, a] of [1, 0, 0, 1].entries()) {
      steps[0] = t + 1;
      activityTraceReward(w1, sig(w1, [a]), 1, one, fire, steps, out);
      got.push(out[0]!);
    }
    for (const m of [1, 0.5, 1 / 3, 0.5]) want.push(activityTraceValueRef(m));
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 5));
    expect(got[2]).toBeCloseTo(0.6538676, 5);
    expect(fire[0]).toBe(2);
  });

  it('modes pick terms; bio_then_all is bio through episode 501 then all', () => {
    const W = OTT_UNIT_WEIGHTS;
    expect(termWeights('task', W, 1, 501)).toEqual([1, 0, 0, 0, 0]);
    expect(termWeights('bio', W, 1, 501)).toEqual([0, 1, 1, 1, 1]);
    expect(termWeights('all', W, 1, 501)).toEqual([1, 1, 1, 1, 1]);
    expect(termWeights('bio_then_all', W, 501, 501)).toEqual([0, 1, 1, 1, 1]);
    expect(termWeights('bio_then_all', W, 502, 501)).toEqual([1, 1, 1, 1, 1]);
    expect(termWeights('all', { ...W, sparsity: 0.5 }, 3, 501)).toEqual([1, 1, 0.5, 1, 1]);
  });

  it('combine: weighted sum written at the replica’s current step row', () => {
    const N = 2,
      R = 2,
      Tmax = 3;
    const terms = [1, 2, 3, 4, 5].map((k) => new Float32Array([k, 10 * k, -k, -10 * k]));
    const weights = new Float32Array([1, 0, 0, 0, 0, 0, 1, 1, 1, 0.5]);
    const hist = new Float32Array(R * Tmax * N);
    combineRewards(N, R, new Uint8Array([1, 1]), terms, weights, new Uint32Array([2, 3]), Tmax, hist);
    // replica 0 (task only) at t=1; replica 1 (bio, trace weight 0.5) at t=2
    expect(Array.from(hist.subarray(2, 4))).toEqual([1, 10]);
    expect(Array.from(hist.subarray((1 * Tmax + 2) * N, (1 * Tmax + 2) * N + 2))).toEqual([-(2 + 3 + 4 + 2.5), -(20 + 30 + 40 + 25)]);
  });
});
