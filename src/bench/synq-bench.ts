import { Stream } from '../rng/counter-rng.ts';
import {
  createForwardWorkspace, createSynqNetwork, goldenQTable, initMlpWeights, mlpForward, mnistLayout, reduceLoss,
  softmaxCrossEntropyPerSample, synapseStepScale, synqStep, type SynqNetwork,
} from '../synq/index.ts';
import { SynqGpuRunner } from '../synq/gpu-runner.ts';
import { fillUniform, type BenchSuite } from './harness.ts';

/** Minibatch of the reward's loss in the bench (small: the synapse step dominates, as in the 16M run). */
const BATCH = 4;
const POOL = 64;

/**
 * One full synaptic-Q iteration of a 784-H-10 MNIST-shaped network with `size` synapses
 * (H = size / 795): epsilon-greedy actions from the golden table + weight steps, the forward pass
 * over a 4-sample minibatch gathered from a 64-image pool, softmax cross-entropy, tree reduction,
 * reward, state shift. Item = one synapse-update. The CPU twin runs synqStep on the same network.
 */
export const synqBench: BenchSuite = {
  name: 'synapse-q',
  unit: 'synapse-updates',
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
    const net: SynqNetwork = createSynqNetwork(layout, 1, weights, goldenQTable(), 2);
    const ws = createForwardWorkspace(layout, 1, BATCH);
    for (let b = 0; b < BATCH; b++) ws.acts[0].set(pool.subarray(idx[b] * 784, idx[b] * 784 + 784), b * 784);
    const lab = Uint8Array.from(idx, (i) => labels[i]);
    const per = new Float32Array(BATCH);
    const evalLoss = (n: SynqNetwork): void => {
      const out = mlpForward(layout, n.weights, ws);
      softmaxCrossEntropyPerSample(1, BATCH, 10, out, lab, per);
      reduceLoss(1, BATCH, per, 'mean', n.newLoss);
    };
    evalLoss(net);
    net.prevLoss.set(net.newLoss);
    let t = 1;
    const params = { epsilon: 0.1, alphaS: 1e-4, alphaQ: 0.01, gamma: 0.9, trainPolicy: false, tdRule: 'count' as const, seed: 1 };
    return {
      config: { hidden, synapses: N, batch: BATCH, policy: 'golden', stream: Stream.exploration },
      itemsPerStep: N,
      // weights read+written, state and action bytes read+written, step scales read; forward reads
      // every weight once more (per sample, but from cache: counted once); the batch inputs.
      bytesPerStep: N * (4 * 2 + 1 * 2 + 1 * 2 + 4 + 4) + BATCH * 784 * 4,
      cpuItems: N,
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
