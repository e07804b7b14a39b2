/**
 * MNIST OCR task plumbing shared by the synaptic-RL and gradient-descent trainers: per-replica
 * seeded train/validation split, minibatch draws, evaluation.
 */
import { CounterRng, Stream } from '../rng/counter-rng.ts';
import { loadMnist, type MnistSet } from '../data/mnist.ts';
import { mnistSplitSizes } from './config.ts';
import { argmaxAccuracy, reduceLoss, softmaxCrossEntropyPerSample } from './loss.ts';
import { createForwardWorkspace, gatherRows, mlpForward, mlpLayout, type MlpLayout } from './mlp.ts';

/** Agent ids inside Stream.data for MNIST (replica r adds r * 16). */
export const MNIST_DATA_AGENT = { split: 2, batch: 3 } as const;

/** 784 -> [hidden ReLU] -> 10 logits. */
export function mnistLayout(hidden: number): MlpLayout {
  const sizes = hidden > 0 ? [784, hidden, 10] : [784, 10];
  return mlpLayout({ sizes, hidden: 'relu', output: 'identity' });
}

/** One replica's split: indices into the MNIST training set. */
export interface MnistSplit {
  train: Int32Array;
  valid: Int32Array;
}

/**
 * Seeded split of MNIST's training images: a Fisher-Yates shuffle (CounterRng(seed, data, r*16+2))
 * of 0..59999, truncated to maxSamples (0 = all), of which the last `validationFraction` are validation.
 */
export function splitMnist(seed: number, replica: number, validationFraction: number, maxSamples = 0, total = 60_000): MnistSplit {
  const perm = new Int32Array(total);
  for (let i = 0; i < total; i++) perm[i] = i;
  const rng = new CounterRng(seed, Stream.data, replica * 16 + MNIST_DATA_AGENT.split);
  for (let i = total - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  const { train: nTrain, valid } = mnistSplitSizes(validationFraction, maxSamples, total);
  const n = nTrain + valid;
  return { train: perm.slice(0, nTrain).sort(), valid: perm.slice(nTrain, n).sort() };
}

/**
 * Draws a minibatch of `size` distinct training indices (partial Fisher-Yates on a copy of the
 * train list with the replica's batch RNG), returned in ascending order (the reference uses a
 * shuffled boolean mask, i.e. a random subset kept in dataset order).
 */
export function drawBatch(train: Int32Array, size: number, rng: CounterRng): Int32Array {
  const pool = train.slice();
  const n = Math.min(size, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(pool.length - i);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, n).sort();
}

/** Batch RNG of a replica. */
export function batchRng(seed: number, replica: number): CounterRng {
  return new CounterRng(seed, Stream.data, replica * 16 + MNIST_DATA_AGENT.batch);
}

/** Accuracy and mean cross-entropy of one replica's weights on a list of samples (chunked forward). */
export function evaluateMnist(layout: MlpLayout, weights: Float32Array, data: MnistSet, idx: Int32Array, chunk = 2500): { accuracy: number; loss: number } {
  let correct = 0;
  let lossSum = 0;
  for (let s = 0; s < idx.length; s += chunk) {
    const part = idx.subarray(s, Math.min(idx.length, s + chunk));
    const ws = createForwardWorkspace(layout, 1, part.length);
    gatherRows(data.x, data.dim, part, ws.acts[0]);
    const out = mlpForward(layout, weights, ws);
    const labels = new Uint8Array(part.length);
    for (let i = 0; i < part.length; i++) labels[i] = data.labels[part[i]];
    correct += argmaxAccuracy(1, part.length, 10, out, labels)[0] * part.length;
    const per = new Float32Array(part.length);
    softmaxCrossEntropyPerSample(1, part.length, 10, out, labels, per);
    const l = new Float32Array(1);
    reduceLoss(1, part.length, per, 'mean', l);
    lossSum += l[0] * part.length;
  }
  return { accuracy: correct / idx.length, loss: lossSum / idx.length };
}

export { loadMnist };

/** Result of the reference's failed-start check (see SynqMnistConfig.failCheckIteration). */
export interface FailCheck {
  iteration: number;
  threshold: number;
  /** Accuracy of each replica on its whole training split at `iteration`. */
  trainAccuracy: number[];
  /** Replicas below the threshold. */
  failed: boolean[];
}

/** Runs the failed-start check on R replicas' weights (R*N). */
export function failCheck(layout: MlpLayout, weights: Float32Array, data: MnistSet, splits: MnistSplit[], iteration: number, threshold: number): FailCheck {
  const N = layout.numSynapses;
  const trainAccuracy = splits.map((s, r) => evaluateMnist(layout, weights.subarray(r * N, (r + 1) * N), data, s.train).accuracy);
  return { iteration, threshold, trainAccuracy, failed: trainAccuracy.map((a) => a < threshold) };
}
