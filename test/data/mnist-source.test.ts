import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMnist, mnistDataDir, mnistFileNames, mnistFromIdx, type MnistSet, type MnistSource } from '../../src/data/mnist.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import { hostBuffers } from '../../src/run/program.ts';

/**
 * The synaptic-q and gd rules take MNIST from the build's MnistSource (buildModel's `mnist`), which
 * is how a browser tab gives them the fetched files: the source is asked, no file is read, the
 * splits are drawn over the images the source holds, and a source over the same bytes builds the
 * same program as the files.
 */
const files = (which: 'train' | 'test') => {
  const n = mnistFileNames(which);
  return { images: readFileSync(join(mnistDataDir(), n.images)), labels: readFileSync(join(mnistDataDir(), n.labels)) };
};

/** The first `count` images of a split as IDX bytes (the header's count rewritten): a real subset. */
function firstImages(count: number): { images: Uint8Array; labels: Uint8Array } {
  const f = files('train');
  const images = f.images.slice(0, 16 + count * 784);
  const labels = f.labels.slice(0, 8 + count);
  new DataView(images.buffer, images.byteOffset).setUint32(4, count, false);
  new DataView(labels.buffer, labels.byteOffset).setUint32(4, count, false);
  return { images, labels };
}

const synq = (maxSamples: number) =>
  parseExperiment({
    rule: { name: 'synaptic-q', task: { kind: 'mnist', hidden: 0, batchSize: 200, batchInterval: 5, maxSamples }, iterations: 10, evalEvery: 5 },
    run: { backend: 'cpu', replicas: 2 },
  });
const gd = parseExperiment({ rule: { name: 'gd', task: { kind: 'mnist', hidden: 0, maxSamples: 400 }, iterations: 10, evalEvery: 5 }, run: { backend: 'cpu', replicas: 1 } });

describe('MNIST through a MnistSource', () => {
  it('mnistFromIdx reads the same set as the file loader', () => {
    const f = files('test');
    const a = mnistFromIdx('test', f.images, f.labels);
    const b = loadMnist('test');
    expect(a.count).toBe(10_000);
    expect(a.labels).toEqual(b.labels);
    expect(Buffer.from(a.x.buffer).equals(Buffer.from(b.x.buffer))).toBe(true);
    expect(() => mnistFromIdx('test', f.images, f.labels.slice(0, 108).fill(0, 4, 8))).toThrow(/bad IDX label magic|header says/);
  });

  it('the synaptic-q and gd rules ask the source, not the files, and a source over the same bytes builds the same program', () => {
    const asked: string[] = [];
    const train = loadMnist('train');
    const f = files('train');
    const fetched = mnistFromIdx('train', f.images, f.labels);
    const source: MnistSource = (which) => {
      asked.push(which);
      return fetched;
    };
    for (const x of [synq(1000), gd]) {
      const fromSource = hostBuffers(buildModel(x, { mnist: source }).program);
      const fromFiles = hostBuffers(buildModel(x).program);
      expect(Object.keys(fromSource)).toEqual(Object.keys(fromFiles));
      const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      for (const k of Object.keys(fromFiles)) expect(bytes(fromSource[k]!).equals(bytes(fromFiles[k]!)), k).toBe(true);
    }
    expect(asked).toEqual(['train', 'train']);
    expect(train.count).toBe(60_000);
  });

  it('draws the splits over the images the source holds (a 1000-image subset: every pool image is one of them)', () => {
    const sub = firstImages(1000);
    const set: MnistSet = mnistFromIdx('train', sub.images, sub.labels);
    expect(set.count).toBe(1000);
    const model = buildModel(synq(0), { mnist: () => set });
    const b = hostBuffers(model.program);
    // maxSamples 0 = all the source holds: each replica trains on 750 of them; the pool (both
    // replicas' training images) holds more than 750 and at most 1000, each a row of the subset.
    const pool = b.input as Float32Array;
    const n = pool.length / 784;
    expect(n).toBeGreaterThan(750);
    expect(n).toBeLessThanOrEqual(1000);
    const rows = new Set<string>();
    for (let i = 0; i < 1000; i++) rows.add(set.x.subarray(i * 784, (i + 1) * 784).join(','));
    for (let r = 0; r < n; r += 50) expect(rows.has(pool.subarray(r * 784, (r + 1) * 784).join(','))).toBe(true);
    // A source that throws is what a tab without the files gives: the error reaches the caller.
    expect(() =>
      buildModel(gd, {
        mnist: () => {
          throw new Error('MNIST was not fetched');
        },
      }),
    ).toThrow('MNIST was not fetched');
  });
});
