import { describe, expect, it } from 'vitest';
import { CounterRng } from '../../src/rng/counter-rng.ts';
import { accumulateCeGradient } from '../../src/synq/gradient.ts';
import { softmaxCrossEntropyPerSample } from '../../src/synq/loss.ts';
import { createForwardWorkspace, initMlpWeights, mlpForward, mlpLayout, sparseRows, type MlpShape } from '../../src/synq/mlp.ts';

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
  for (const sizes of [
    [6, 4],
    [6, 5, 4],
  ]) {
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

  // The first layer's gradient from precomputed sparse inputs (the GD trainer's path) runs a
  // transposed, 8-units-at-a-time loop; it must add the same terms in the same order as the plain
  // loop over dense inputs. 32 and 8 hidden units take only the 8-wide blocks, 13 adds a remainder
  // and 0 hidden units puts the output layer on the sparse path.
  for (const hidden of [32, 13, 8, 0]) {
    it(`sparse first-layer gradient is bit-identical to the dense loop (${hidden} hidden units)`, () => {
      const sizes = hidden ? [50, hidden, 10] : [50, 10];
      const layout = mlpLayout({ sizes, hidden: 'relu', output: 'identity' });
      const B = 40;
      const rng = new CounterRng(5, 7, hidden);
      // ~70% zero pixels, like MNIST; the rest in (0, 1]
      const x = new Float32Array(B * 50).map(() => (rng.uniform() < 0.7 ? 0 : rng.range(0, 1)));
      const labels = new Uint8Array(B).map(() => rng.int(10));
      const w = initMlpWeights(layout, 1, 1, 3);
      for (let i = 0; i < w.length; i++) w[i] += rng.range(-0.2, 0.2);
      const start = new Float64Array(layout.numSynapses).map(() => rng.range(-1, 1)); // accumulates onto this
      const dense = createForwardWorkspace(layout, 1, B);
      dense.acts[0].set(x);
      const sparse = createForwardWorkspace(layout, 1, B);
      sparse.acts[0].set(x);
      sparse.sparseInput = sparseRows(x, B, 50);
      const gDense = start.slice();
      const gSparse = start.slice();
      const lDense = accumulateCeGradient(layout, w, dense, labels, gDense);
      const lSparse = accumulateCeGradient(layout, w, sparse, labels, gSparse);
      expect(lSparse).toBe(lDense);
      let moved = 0;
      for (let i = 0; i < gDense.length; i++) {
        if (gSparse[i] !== gDense[i]) throw new Error(`weight ${i}: sparse ${gSparse[i]} vs dense ${gDense[i]}`);
        if (gDense[i] !== start[i]) moved++;
      }
      expect(moved).toBeGreaterThan(layout.numSynapses / 2); // the check compared real sums, not the start
    });
  }
});
