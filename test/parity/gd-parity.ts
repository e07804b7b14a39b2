/**
 * The gradient-descent baseline's step program (src/rules/synq-program.ts, gdProgram) on both
 * executors: R replicas of an MNIST-shaped MLP over random 70%-sparse images gathered from a pool,
 * full-batch steps, compared after every step (the twins keep deltas and losses in f64 as the
 * reference; the device f32, sums in sample order). Weights within 1e-5 of max(1, |w|), losses
 * 1e-5 relative; the per-sample buffer is left out (the device reduces it in place). Every weight
 * must have moved.
 */
import type { GpuContext } from '../../src/gpu/context.ts';
import { gdProgram } from '../../src/rules/synq-program.ts';
import { CounterRng, Stream } from '../../src/rng/counter-rng.ts';
import { initMlpWeights } from '../../src/synq/mlp.ts';
import { mnistLayout } from '../../src/synq/mnist-task.ts';
import { stepwiseProgramParity } from './program-parity.ts';
import type { ParityReport } from './rng-parity.ts';
import { metricsCompare } from './synq-parity.ts';

export async function gdParity(ctx: GpuContext, o: { hidden: number; hardwareKernels: boolean; steps?: number }): Promise<ParityReport> {
  const R = 2,
    B = 150,
    pool = 400,
    steps = o.steps ?? 3;
  const layout = mnistLayout(o.hidden);
  const g = new CounterRng(4243, Stream.test, o.hidden);
  const x = new Float32Array(pool * 784).map(() => (g.uniform() < 0.7 ? 0 : g.uniform()));
  const labels = Uint32Array.from({ length: pool }, () => g.int(10));
  const idx = Uint32Array.from({ length: R * B }, () => g.int(pool));
  const w0 = initMlpWeights(layout, R, 0.1, 9);
  const { program, metrics } = gdProgram({
    layout,
    replicas: R,
    weights: w0.slice(),
    pool: x,
    labels,
    idx,
    learningRate: 0.1,
    evals: { every: 1, last: steps, extra: 0 },
    cap: steps,
    forms: { forward: o.hardwareKernels ? 'tiled' : 'plain', parallelLoss: o.hardwareKernels },
  });
  const deltas = layout.shape.sizes.slice(1).map((_, l) => `delta-${l + 1}`);
  return stepwiseProgramParity(ctx, `gd step (hidden ${o.hidden}${o.hardwareKernels ? ', hardware kernels' : ''})`, program, steps, {
    skip: ['per-sample'],
    relative: ['weights', 'loss', 'act-1', 'act-2', ...deltas],
    compare: { metrics: metricsCompare(metrics) },
    notes: (gpu) => ({ unmoved: (gpu.weights as Float32Array).reduce((n, w, i) => n + (w === w0[i] ? 1 : 0), 0) }),
  });
}
