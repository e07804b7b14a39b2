import { synqProgram } from '../rules/synq-program.ts';
import { Stream } from '../rng/counter-rng.ts';
import { CpuExecutor } from '../run/executor-cpu.ts';
import { GpuExecutor } from '../run/executor-gpu.ts';
import { goldenQTable, initMlpWeights, mnistLayout, synapseStepScale, type MlpLayout } from '../synq/index.ts';
import { CPU_MAX_ITEMS, fillUniform, type BenchSuite } from './harness.ts';

/** Minibatch of the reward's loss in the bench (small: the synapse step dominates, as in the 16M run). */
const BATCH = 4;
const POOL = 64;

/**
 * One full synaptic-Q iteration of a 784-H-10 MNIST-shaped network with `size` synapses
 * (H = size / 795): epsilon-greedy actions from the golden table + weight steps, the forward pass
 * over a 4-sample minibatch gathered from a 64-image pool, softmax cross-entropy, tree reduction,
 * reward, state shift, the log — the step program of the 'synaptic-q' rule on the WebGPU executor.
 * Item = one synapse-update. The CPU twin runs the same program on the CPU executor, or, above
 * CPU_MAX_ITEMS synapses, on a network of the same shape with fewer hidden units (its cost is
 * linear in the synapses), scaled by the harness (`cpuScaledFrom`).
 * Sizes 2^16, 2^20 and 2^24 (the 1M and 16M synapse-agents); 2^24 = 784-21103-10 needs
 * ~170 MB of buffers (weights and step scales 67 MB each), within the 512 MiB per-buffer cap, plus
 * the metrics buffer's evaluation copy of the weights (67 MB; no evaluation is due in the bench,
 * so its copy kernel only reads the clock) and the executor's three staging buffers of that size.
 */
export const synqBench: BenchSuite = {
  name: 'synapse-q',
  unit: 'synapse-updates',
  sizes: [1 << 16, 1 << 20, 1 << 24],
  async setup(ctx, size) {
    const hidden = Math.max(1, Math.round(size / 795));
    const layout = mnistLayout(hidden);
    const N = layout.numSynapses;
    const pool = fillUniform(new Float32Array(POOL * 784), 0, 1, 7);
    const labels = Uint32Array.from({ length: POOL }, (_, i) => i % 10);
    const batch = Uint32Array.from({ length: BATCH }, (_, i) => (i * 13) % POOL);
    // The synaptic-Q step program (src/rules/synq-program.ts) of one network: one minibatch for
    // good, no evaluation due, the golden table frozen.
    const program = (l: MlpLayout) =>
      synqProgram({
        layout: l,
        replicas: 1,
        batch: BATCH,
        weights: initMlpWeights(l, 1, 0.1, 1),
        table: goldenQTable(),
        stepScale: synapseStepScale(l, 2),
        seed: 1,
        epsilon: 0.1,
        alphaS: 1e-4,
        switchAt: 0,
        alphaS2: 1e-4,
        alphaQ: 0.01,
        gamma: 0.9,
        trainPolicy: false,
        tdRule: 'count',
        data: { kind: 'classification', pool, labels, schedule: batch, interval: 2 ** 30 },
        evals: { every: 2 ** 31, last: 2 ** 31, extra: 0 },
        evaluate: 'weights',
        cap: 1,
      }).program;
    const gpu = new GpuExecutor(ctx, program(layout));
    await gpu.checkAllocations();
    gpu.reset();
    await gpu.chunk(0, () => {}); // the initial loss
    await gpu.drain();
    // CPU twin: the whole network, or the largest 784-h-10 within CPU_MAX_ITEMS synapses.
    const cpuHidden = Math.max(1, Math.min(hidden, Math.floor((CPU_MAX_ITEMS - 10) / 795)));
    const cpuLayout = cpuHidden === hidden ? layout : mnistLayout(cpuHidden);
    const cpu = new CpuExecutor(program(cpuLayout));
    cpu.reset();
    await cpu.chunk(0, () => {});
    return {
      config: { hidden, synapses: N, batch: BATCH, policy: 'golden', stream: Stream.exploration, ...(cpuHidden !== hidden ? { cpuHidden } : {}) },
      itemsPerStep: N,
      // weights read+written, state and action bytes read+written, step scales read; forward reads
      // every weight once more (per sample, but from cache: counted once); the batch inputs.
      bytesPerStep: N * (4 * 2 + 1 * 2 + 1 * 2 + 4 + 4) + BATCH * 784 * 4,
      cpuItems: cpuLayout.numSynapses,
      encode(pass) {
        gpu.encodeSteps(pass, 1);
      },
      cpuStep: () => cpu.run(1),
      destroy() {
        gpu.destroy();
      },
    };
  },
};
