import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { mnistDataDir, mnistFileNames } from '../../src/data/mnist.ts';
import { mnistFiles } from '../../vite.config.ts';

/**
 * The vite plugin that gives the demo pages MNIST (vite.config.ts): `vite build` copies the
 * training split's IDX files into <outDir>/mnist/, and the dev and preview servers answer
 * /mnist/<file> with the package's bytes (other paths pass on). The playground test fetches them
 * through a real dev server; this checks the build copy and the middleware's refusals.
 */
const NAMES = Object.values(mnistFileNames('train'));
let dir: string | undefined;
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

type Hook = (...a: unknown[]) => unknown;
const hook = (p: unknown, name: string): Hook => (p as Record<string, Hook>)[name]!;

describe('the MNIST files plugin', () => {
  it('vite build copies the training split into <outDir>/mnist/, byte for byte', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hedonist-mnist-build-'));
    const p = mnistFiles();
    hook(p, 'configResolved')({ root: dir, build: { outDir: 'dist' } });
    await hook(p, 'writeBundle')();
    for (const f of NAMES) {
      const [a, b] = await Promise.all([readFile(join(dir, 'dist', 'mnist', f)), readFile(join(mnistDataDir(), f))]);
      expect(a.equals(b), f).toBe(true);
    }
  });

  it('the servers answer /mnist/<file> with the file and pass every other path on', async () => {
    let handler: Hook | undefined;
    hook(mnistFiles(), 'configureServer')({ middlewares: { use: (h: Hook) => (handler = h) } });
    const ask = (url: string) =>
      new Promise<{ next: boolean; headers: Record<string, string>; body: Buffer }>((done) => {
        const res = new PassThrough() as PassThrough & { setHeader(k: string, v: string): void; headers: Record<string, string> };
        res.headers = {};
        res.setHeader = (k, v) => void (res.headers[k] = v);
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ next: false, headers: res.headers, body: Buffer.concat(chunks) }));
        handler!({ url }, res, () => done({ next: true, headers: {}, body: Buffer.alloc(0) }));
      });
    const labels = await ask('/mnist/train-labels-idx1-ubyte?v=1');
    expect(labels.next).toBe(false);
    expect(labels.headers['Content-Length']).toBe(String((await stat(join(mnistDataDir(), 'train-labels-idx1-ubyte'))).size));
    expect(labels.body.equals(await readFile(join(mnistDataDir(), 'train-labels-idx1-ubyte')))).toBe(true);
    for (const url of ['/mnist/../package.json', '/mnist/t10k-labels-idx1-ubyte', '/mnist/', '/demos/playground.html']) expect((await ask(url)).next, url).toBe(true);
  });
});
