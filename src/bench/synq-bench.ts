import { Stream } from '../rng/counter-rng.ts';
import {
  createForwardWorkspace, createSynqNetwork, goldenQTable, initMlpWeights, mlpForward, mnistLayout, reduceLoss,
  softmaxCrossEntropyPerSample, synapseStepScale, synqStep, type SynqNetwork,
} from '../synq/index.ts';
import { SynqGpuRunner } from '../synq/gpu-runner.ts';
import { CPU_MAX_ITEMS, fillUniform, type BenchSuite } from './harness.ts';

/** Minibatch of the reward's loss in the bench (small: the synapse step dominates, as in the 16M run). */
const BATCH = 4;
const POOL = 64;

/**
 * One full synaptic-Q iteration of a 784-H-10 MNIST-shaped network with `size` synapses
 * (H = size / 795): epsilon-greedy actions from the golden table + weight steps, the forward pass
 * over a 4-sample minibatch gathered from a 64-image pool, softmax cross-entropy, tree reduction,
 * reward, state shift. Item = one synapse-update. The CPU twin runs synqStep on the same network,
 * or, above CPU_MAX_ITEMS synapses, on a network of the same shape with fewer hidden units (its
 * cost is linear in the synapses), scaled by the harness (`cpuScaledFrom`).
 * Sizes 2^16, 2^20 and 2^24 (the 1M and 16M synapse-agents); 2^24 = 784-21103-10 needs
 * ~170 MB of buffers (weights and step scales 67 MB each), within the 512 MiB per-buffer cap.
 */
export const synqBench: BenchSuite = {
  name: 'synapse-q',
  unit: 'synapse-updates',
  sizes: [1 << 16, 1 << 20, 1 << 24],
  setup(ctx, size) {
    const hidden = Math.max(1, Math.round(size / 795));
    const layout = mnistLayout(hidden);
    const N = layout.numSynapses;
    const weights = initMlpWeights(layout, 1, 0.1, 1);
    const pool = fillUniform(new Float32Array(POOL * 784), 0, 1, 7);
    const labels = Uint8Array.from({ length: POOL }, (_, i) => i % 10);
    const idx = Int32Array.from({ length: BATCH }, (_, i) => (i * 13) % POOL);
    const run = new SynqGpuRunner(ctx, {
      layout, replicas: 1, batch: BATCH, weights: weights.slice(), table: goldenQTable(), stepScale: synapseStepScale(layout, 2),
      seed: 1, epsilon: 0.1, alphaS: 1e-4, alphaQ: 0.01, gamma: 0.9, trainPolicy: false, tdRule: 'count',
      data: { kind: 'classification', pool, labels, idx },
    });
    run.initLoss();
    // CPU twin: the whole network, or the largest 784-h-10 within CPU_MAX_ITEMS synapses.
    const cpuHidden = Math.max(1, Math.min(hidden, Math.floor((CPU_MAX_ITEMS - 10) / 795)));
    const cpuLayout = cpuHidden === hidden ? layout : mnistLayout(cpuHidden);
    const cpuWeights = cpuHidden === hidden ? weights : initMlpWeights(cpuLayout, 1, 0.1, 1);
    const net: SynqNetwork = createSynqNetwork(cpuLayout, 1, cpuWeights, goldenQTable(), 2);
    const ws = createForwardWorkspace(cpuLayout, 1, BATCH);
    for (let b = 0; b < BATCH; b++) ws.acts[0].set(pool.subarray(idx[b] * 784, idx[b] * 784 + 784), b * 784);
    const lab = Uint8Array.from(idx, (i) => labels[i]);
    const per = new Float32Array(BATCH);
    const evalLoss = (n: SynqNetwork): void => {
      const out = mlpForward(cpuLayout, n.weights, ws);
      softmaxCrossEntropyPerSample(1, BATCH, 10, out, lab, per);
      reduceLoss(1, BATCH, per, 'mean', n.newLoss);
    };
    evalLoss(net);
    net.prevLoss.set(net.newLoss);
    let t = 1;
    const params = { epsilon: 0.1, alphaS: 1e-4, alphaQ: 0.01, gamma: 0.9, trainPolicy: false, tdRule: 'count' as const, seed: 1 };
    return {
      config: { hidden, synapses: N, batch: BATCH, policy: 'golden', stream: Stream.exploration, ...(cpuHidden !== hidden ? { cpuHidden } : {}) },
      itemsPerStep: N,
      // weights read+written, state and action bytes read+written, step scales read; forward reads
      // every weight once more (per sample, but from cache: counted once); the batch inputs.
      bytesPerStep: N * (4 * 2 + 1 * 2 + 1 * 2 + 4 + 4) + BATCH * 784 * 4,
      cpuItems: cpuLayout.numSynapses,
      encode(pass) {
        run.encodeIterations(pass, 1);
      },
      cpuStep: () => synqStep(net, t++, params, evalLoss),
      destroy() {
        run.destroy();
      },
    };
  },
};
