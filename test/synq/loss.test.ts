import { describe, expect, it } from 'vitest';
import { argmaxAccuracy, computeRewards, reduceLoss, signAccuracy, softmaxCrossEntropyPerSample, squaredErrorPerSample, treeSumF32 } from '../../src/synq/loss.ts';
import { createForwardWorkspace, initMlpWeights, mlpForward, mlpLayout } from '../../src/synq/mlp.ts';

describe('loss, reward and forward', () => {
  it('reward is +1 only for a strictly lower loss', () => {
    const prev = new Float32Array([1, 1, 1]);
    const codes = new Uint8Array(3);
    computeRewards(3, new Float32Array([0.5, 1, 2]), prev, codes);
    expect(Array.from(codes)).toEqual([2, 0, 0]);
    expect(Array.from(prev)).toEqual([0.5, 1, 2]);
  });

  it('euclidean loss is norm / N, cross-entropy is the mean -log p', () => {
    const out = new Float32Array([1, 0, 3]);
    const tgt = new Float32Array([0, 0, -1]);
    const per = new Float32Array(3);
    squaredErrorPerSample(1, 3, 1, out, tgt, per);
    expect(Array.from(per)).toEqual([1, 0, 16]);
    const l = new Float32Array(1);
    reduceLoss(1, 3, per, 'euclidean', l);
    expect(l[0]).toBeCloseTo(Math.sqrt(17) / 3, 6);
    const logits = new Float32Array([0, 0, Math.log(2), 5, 5, 5]); // p = 1/4,1/4,1/2 ; uniform
    const ce = new Float32Array(2);
    softmaxCrossEntropyPerSample(1, 2, 3, logits, new Uint8Array([2, 0]), ce);
    expect(ce[0]).toBeCloseTo(Math.log(2), 6);
    expect(ce[1]).toBeCloseTo(Math.log(3), 6);
    reduceLoss(1, 2, ce, 'mean', l);
    expect(l[0]).toBeCloseTo((Math.log(2) + Math.log(3)) / 2, 6);
    expect(argmaxAccuracy(1, 2, 3, logits, new Uint8Array([2, 0]))).toEqual([1]); // tie -> first index
    expect(signAccuracy(1, 3, out, tgt)).toEqual([1 / 3]); // only 0 vs 0 agrees
  });

  it('tree sum follows the documented pairwise order', () => {
    const v = new Float32Array([1e8, 1, -1e8, 1, 3]);
    // padded to 8: level 4: [1e8+3, 1, -1e8, 1]; level 2: [3+... ] computed in f32
    const f = Math.fround;
    const l1 = [f(1e8 + 3), 1, -1e8, 1];
    const l2 = [f(l1[0] + l1[2]), f(l1[1] + l1[3])];
    expect(treeSumF32(v, 0, 5)).toBe(f(l2[0] + l2[1]));
    expect(treeSumF32(new Float32Array([2, 3, 4]), 1, 2)).toBe(7);
  });

  it('forward pass applies bias column 0 and the activations', () => {
    const layout = mlpLayout({ sizes: [2, 2, 1], hidden: 'relu', output: 'tanh' });
    expect(layout.numSynapses).toBe(2 * 3 + 1 * 3);
    // hidden: h0 = relu(0.5 + 1*x0 + 2*x1), h1 = relu(-1 + x0 - x1); out = tanh(0.1 + h0 - h1)
    const w = new Float32Array([0.5, 1, 2, -1, 1, -1, 0.1, 1, -1]);
    const ws = createForwardWorkspace(layout, 1, 2);
    ws.acts[0].set([1, 1, 3, -1]);
    const out = mlpForward(layout, w, ws);
    expect(out[0]).toBeCloseTo(Math.tanh(0.1 + 3.5), 6);
    expect(out[1]).toBeCloseTo(Math.tanh(0.1 + 1.5 - 3), 6); // h = (1.5, 3)
    const init = initMlpWeights(layout, 2, 0.1, 5);
    expect(init[0]).toBe(0); // biases start at 0
    expect(init[9 + 3]).toBe(0);
    expect(Math.max(...Array.from(init).map(Math.abs))).toBeLessThanOrEqual(0.1);
    expect(Array.from(init.subarray(0, 9))).not.toEqual(Array.from(init.subarray(9)));
  });
});
