import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/experiment/run.ts';
import { CHROME, CHROME_ARGS, repoRoot } from '../browser/launch.ts';

const sh = promisify(execFile);
const consumerFiles = new URL('./consumer/', import.meta.url).pathname;
// What a checkout holds that a pack must not depend on (and that may be large or stale).
const NOT_COPIED = new Set(['node_modules', '.git', 'dist', 'dist-demos', 'runs', 'bench-results', 'docs/api']);

let tmp = '';
let app = '';
let tarball = '';
let setupError: unknown;

/**
 * As a user gets it: `npm pack` (its prepack builds dist/) in a copy of the checkout (so nothing is
 * written into the repo), then `npm install` of the tarball into a fresh project.
 */
beforeAll(async () => {
  try {
    tmp = mkdtempSync(join(tmpdir(), 'hedonist-consumer-'));
    const copy = join(tmp, 'hedonist');
    cpSync(repoRoot, copy, { recursive: true, filter: (src) => !NOT_COPIED.has(src.slice(repoRoot.length).replace(/\/$/, '')) });
    cpSync(join(repoRoot, 'node_modules'), join(copy, 'node_modules'), { recursive: true, verbatimSymlinks: true, filter: () => true, dereference: false });
    await sh('npm', ['pack', '--pack-destination', tmp, '--silent'], { cwd: copy, maxBuffer: 64 << 20 });
    tarball = join(tmp, readdirSync(tmp).find((f) => f.endsWith('.tgz'))!);
    app = join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    for (const f of readdirSync(consumerFiles)) cpSync(join(consumerFiles, f), join(app, f));
    await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: app, maxBuffer: 64 << 20 });
  } catch (e) {
    setupError = e;
  }
}, 600_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function ready(): void {
  if (setupError) throw setupError;
}

/** What the consumer's scripts train (test/package/consumer/experiment.json). */
const EXPERIMENT = JSON.parse(readFileSync(join(consumerFiles, 'experiment.json'), 'utf8')) as unknown;

describe('the packed tarball in a fresh project', () => {
  it('ships dist/, shaders, presets, bin, README and LICENSE, and no sources, tests or CI', async () => {
    ready();
    const { stdout } = await sh('tar', ['-tzf', tarball]);
    const files = stdout
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'bin/hedonist.mjs',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/browser.js',
        'dist/node.js',
        'shaders/rng.wgsl',
        'experiments/cartpole-reinforce.json',
      ]),
    );
    expect(files.filter((f) => !/^(dist|shaders|experiments|bin)\/|^(package\.json|README\.md|LICENSE)$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('plain Node ESM: trains CartPole through the public API, to the same numbers as the sources', async () => {
    ready();
    const { stdout } = await sh('node', ['train.mjs'], { cwd: app });
    const got = JSON.parse(stdout) as { backend: string; envSteps: number; summary: unknown; typeofGpu: string; obsDim: number };
    const want = await run(EXPERIMENT);
    expect(got.typeofGpu).toBe('function');
    expect(got.obsDim).toBe(4);
    expect(got.backend).toBe('cpu');
    expect((got.summary as { episodesLogged: number[] }).episodesLogged).toEqual([30, 30, 30, 30]);
    expect(got.envSteps).toBe(want.envSteps);
    expect(got.summary).toEqual(JSON.parse(JSON.stringify(want.summary)));
  });

  it('TypeScript: the exports map gives every subpath its .d.ts (tsc --noEmit, NodeNext)', async () => {
    ready();
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, lib: ['ES2022', 'DOM'], types: [] }, files: ['typed.ts'] }),
    );
    const r = await sh('node', [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', app]).catch((e: { stdout: string }) => e);
    expect('stdout' in r ? r.stdout : '').toBe('');
  });

  it('the bin runs the built CLI', async () => {
    ready();
    const { stdout } = await sh(join(app, 'node_modules/.bin/hedonist'), ['--help'], { cwd: app });
    expect(stdout).toMatch(/hedonist train cartpole-reinforce/);
    const version = await sh(join(app, 'node_modules/.bin/hedonist'), ['--version'], { cwd: app });
    expect(version.stdout.trim()).toBe(`hedonist ${JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version}`);
    // The built CLI trains, into the project's own runs/.
    const t = await sh(join(app, 'node_modules/.bin/hedonist'), ['train', 'cartpole-reinforce', '--backend', 'cpu', '--episodes', '5', '--replicas', '2', '--name', 'built', '--json'], { cwd: app });
    expect(JSON.parse(t.stdout).episodesLogged).toEqual([5, 5]);
    expect(readFileSync(join(app, 'runs/built/metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(10);
    // Worker threads start from the built files too (dist/run/cpu-worker-boot.mjs loads cpu-worker.js, no tsx).
    const w = await sh(
      join(app, 'node_modules/.bin/hedonist'),
      ['train', 'chung-cartpole', '--backend', 'cpu', '--episodes', '2', '--replicas', '2', '--workers', '2', '--name', 'threads', '--json'],
      { cwd: app },
    );
    const ws = JSON.parse(w.stdout);
    expect(ws.adapter).toBe('cpu (TypeScript twins, 2 worker threads)');
    expect(ws.episodesLogged).toEqual([2, 2]);
  });

  it('a page bundled by esbuild trains CartPole on WebGPU in headless Chromium', async () => {
    ready();
    const www = join(app, 'www');
    mkdirSync(www, { recursive: true });
    await esbuild.build({ entryPoints: [join(app, 'page.mjs')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outfile: join(www, 'page.js'), logLevel: 'silent' });
    writeFileSync(join(www, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="page.js"></script>');
    const ctx = await esbuild.context({ logLevel: 'silent' });
    const { port } = await ctx.serve({ servedir: www, host: '127.0.0.1' });
    const profile = mkdtempSync(join(tmp, 'chromium-'));
    const browser = await puppeteer.launch({ executablePath: CHROME, headless: true, args: CHROME_ARGS, userDataDir: profile });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'load' });
      await page.waitForFunction('window.result !== undefined');
      const r = (await page.evaluate('window.result')) as { error?: string; backend: string; envSteps: number; summary: { episodesLogged: number[]; last100MeanReturn: number[] } };
      expect(r.error).toBeUndefined();
      expect(r.backend).toBe('webgpu');
      expect(r.summary.episodesLogged).toEqual([10, 10, 10, 10]);
      // A CartPole episode lasts at least 8 steps; the returns are real episodes, not zeros.
      for (const m of r.summary.last100MeanReturn) expect(m).toBeGreaterThanOrEqual(8);
    } finally {
      await browser.close();
      await ctx.dispose();
    }
  });
});
