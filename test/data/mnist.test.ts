import { describe, expect, it } from 'vitest';
import { loadMnist, parseIdxImages, parseIdxLabels } from '../../src/data/mnist.ts';

describe('MNIST IDX reader', () => {
  it('reads the 60k training set: sizes, range, first label 5', () => {
    const m = loadMnist('train');
    expect(m.count).toBe(60000);
    expect(m.dim).toBe(784);
    expect(m.x.length).toBe(60000 * 784);
    expect(m.labels[0]).toBe(5);
    expect(Array.from(m.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    let max = 0;
    let min = 1;
    for (let i = 0; i < 784 * 100; i++) {
      max = Math.max(max, m.x[i]);
      min = Math.min(min, m.x[i]);
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
  });

  it('reads the 10k test set', () => {
    const t = loadMnist('test');
    expect(t.count).toBe(10000);
    expect(t.labels[0]).toBe(7);
  });

  it('rejects bad magic numbers and truncated files', () => {
    const lbl = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 3, 4]);
    expect(Array.from(parseIdxLabels(lbl))).toEqual([3, 4]);
    expect(() => parseIdxLabels(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 2, 3, 4]), 'x')).toThrow(/x: bad IDX label magic 0x803/);
    expect(() => parseIdxLabels(lbl.subarray(0, 9))).toThrow(/header says 2 labels but file holds 1/);
    const img = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4]);
    expect(parseIdxImages(img)).toMatchObject({ count: 1, rows: 2, cols: 2 });
    expect(() => parseIdxImages(lbl)).toThrow(/too short/);
    expect(() => parseIdxImages(img.subarray(0, 19))).toThrow(/header implies 20 bytes/);
    const badImg = img.slice();
    badImg[3] = 1;
    expect(() => parseIdxImages(badImg)).toThrow(/bad IDX image magic 0x801/);
  });
});
