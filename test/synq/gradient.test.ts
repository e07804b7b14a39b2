import { describe, expect, it } from 'vitest';
import { CounterRng } from '../../src/rng/counter-rng.ts';
import { accumulateCeGradient } from '../../src/synq/gradient.ts';
import { softmaxCrossEntropyPerSample } from '../../src/synq/loss.ts';
import { createForwardWorkspace, initMlpWeights, mlpForward, mlpLayout, type MlpShape } from '../../src/synq/mlp.ts';

function meanLoss(shape: MlpShape, w: Float32Array, x: Float32Array, labels: Uint8Array, B: number): number {
  const layout = mlpLayout(shape);
  const ws = createForwardWorkspace(layout, 1, B);
  ws.acts[0].set(x);
  const out = mlpForward(layout, w, ws);
  const per = new Float32Array(B);
  softmaxCrossEntropyPerSample(1, B, shape.sizes[shape.sizes.length - 1], out, labels, per);
  let s = 0;
  for (const v of per) s += v;
  return s / B;
}

describe('gradient-descent baseline gradient', () => {
  for (const sizes of [[6, 4], [6, 5, 4]]) {
    it(`matches central finite differences for ${sizes.join('-')}`, () => {
      const shape: MlpShape = { sizes, hidden: 'relu', output: 'identity' };
      const layout = mlpLayout(shape);
      const B = 7;
      const rng = new CounterRng(11, 99, sizes.length);
      const x = new Float32Array(B * sizes[0]).map(() => rng.range(-1, 1));
      const labels = new Uint8Array(B).map(() => rng.int(sizes[sizes.length - 1]));
      const w = initMlpWeights(layout, 1, 1, 3);
      for (let i = 0; i < w.length; i++) w[i] += rng.range(-0.3, 0.3); // nonzero biases too
      const ws = createForwardWorkspace(layout, 1, B);
      ws.acts[0].set(x);
      const grad = new Float64Array(layout.numSynapses);
      const lossSum = accumulateCeGradient(layout, w, ws, labels, grad);
      expect(lossSum / B).toBeCloseTo(meanLoss(shape, w, x, labels, B), 5);
      const h = 1e-2;
      let checked = 0;
      for (let i = 0; i < w.length; i++) {
        const w0 = w[i];
        w[i] = w0 + h;
        const lp = meanLoss(shape, w, x, labels, B);
        w[i] = w0 - h;
        const lm = meanLoss(shape, w, x, labels, B);
        w[i] = w0;
        const fd = (lp - lm) / (2 * h);
        expect(Math.abs(grad[i] / B - fd)).toBeLessThan(2e-3 + 0.02 * Math.abs(fd));
        checked++;
      }
      expect(checked).toBe(layout.numSynapses);
      expect(Math.max(...Array.from(grad).map(Math.abs))).toBeGreaterThan(0.01); // not trivially zero
    });
  }
});
