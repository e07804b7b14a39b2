/**
 * The gradient-descent baseline on WebGPU (src/synq/gd-gpu.ts) vs its CPU twin
 * (accumulateCeGradient + the update of trainGdMnist): R replicas of an MNIST-shaped MLP over
 * random 70%-sparse images gathered from a pool, full-batch steps. Weights after the steps within
 * 1e-5 of max(1, |w|) (f32 sums in sample order vs f64), the mean training loss of the last step
 * within 1e-5 relative; every weight must have moved.
 */
import type { GpuContext } from '../../src/gpu/context.ts';
import { CounterRng, Stream } from '../../src/rng/counter-rng.ts';
import { GdGpuRunner } from '../../src/synq/gd-gpu.ts';
import { accumulateCeGradient } from '../../src/synq/gradient.ts';
import { createForwardWorkspace, gatherRows, initMlpWeights } from '../../src/synq/mlp.ts';
import { mnistLayout } from '../../src/synq/mnist-task.ts';
import type { ParityReport } from './rng-parity.ts';

export async function gdParity(ctx: GpuContext, o: { hidden: number; hardwareKernels: boolean; steps?: number }): Promise<ParityReport> {
  const R = 2, B = 150, pool = 400, steps = o.steps ?? 3, lr = 0.1;
  const layout = mnistLayout(o.hidden);
  const N = layout.numSynapses;
  const g = new CounterRng(4243, Stream.test, o.hidden);
  const x = new Float32Array(pool * 784).map(() => (g.uniform() < 0.7 ? 0 : g.uniform()));
  const labels = Uint8Array.from({ length: pool }, () => g.int(10));
  const idx = Int32Array.from({ length: R * B }, () => g.int(pool));
  const w0 = initMlpWeights(layout, R, 0.1, 9);
  const run = new GdGpuRunner(ctx, { layout, replicas: R, weights: w0, pool: x, labels, idx, learningRate: lr, hardwareKernels: o.hardwareKernels });
  let maxAbsError = 0, count = 0, unmoved = 0;
  const notes: Record<string, number> = {};
  try {
    run.submit(steps);
    const [gw, gl] = [await run.readWeights(), await run.readLoss()];
    const w = w0.slice();
    for (let r = 0; r < R; r++) {
      const wr = w.subarray(r * N, (r + 1) * N);
      const ws = createForwardWorkspace(layout, 1, B);
      gatherRows(x, 784, idx.subarray(r * B, (r + 1) * B), ws.acts[0]);
      const lab = Uint8Array.from(idx.subarray(r * B, (r + 1) * B), (i) => labels[i]);
      let loss = 0;
      for (let s = 0; s < steps; s++) {
        const grad = new Float64Array(N);
        loss = accumulateCeGradient(layout, wr, ws, lab, grad) / B;
        for (let i = 0; i < N; i++) wr[i] -= (lr / B) * grad[i];
      }
      const rel = Math.abs(gl[r] - loss) / Math.abs(loss);
      notes[`lossRel${r}`] = rel;
      maxAbsError = Math.max(maxAbsError, rel);
      count++;
    }
    for (let i = 0; i < w.length; i++) {
      maxAbsError = Math.max(maxAbsError, Math.abs(gw[i] - w[i]) / Math.max(1, Math.abs(w[i])));
      if (gw[i] === w0[i]) unmoved++;
    }
    count += w.length;
    notes.unmoved = unmoved;
  } finally {
    run.destroy();
  }
  return { name: `gd step (hidden ${o.hidden}${o.hardwareKernels ? ', hardware kernels' : ''})`, count, exactMismatches: 0, maxAbsError, notes };
}
