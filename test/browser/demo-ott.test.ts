import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OttTrainSummary } from '../../src/ott/trainer.ts';
import { expectPauseHolds, setInputs } from './controls.ts';
import { openPage, SCREENSHOT_DIR, type BrowserPageSession } from './launch.ts';

/** demos/ott.html in headless Chromium: a few episodes train on WebGPU; curve and raster are drawn. */
const EPISODES = 12;
const REPLICAS = 2;
const SCREENSHOT = join(SCREENSHOT_DIR, 'ott-demo.png');
let session: BrowserPageSession | undefined;
afterAll(() => session?.close());

describe('demos/ott.html in headless Chromium', () => {
  it('trains a short run, draws the learning curve and a spike raster', async () => {
    session = await openPage(`demos/ott.html?seed=1&episodes=${EPISODES}&replicas=${REPLICAS}&layers=1`, { viewport: { width: 1000, height: 1000 } });
    const { page } = session;
    await page.waitForFunction(() => window.__ottDone === true, { timeout: 240_000, polling: 200 });
    const r = await page.evaluate(() => ({
      summary: window.__ottSummary,
      returns: window.__ottReturns,
      spikes: window.__ottRasterSpikes,
      error: window.__ottError,
      inked: (() => {
        const c = document.querySelector('#curve canvas') as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 100 && (d[i]! < 200 || d[i + 1]! < 200)) n++;
        return n;
      })(),
    }));
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: SCREENSHOT as `${string}.png`, fullPage: true });
    expect(r.error, session.pageLog.join('\n')).toBeUndefined();
    const s = r.summary as OttTrainSummary;
    expect(s.backend).toBe('webgpu');
    expect(s.replicas.map((x) => x.trials)).toEqual([EPISODES, EPISODES]);
    expect(r.returns!.map((x) => x.length)).toEqual([EPISODES, EPISODES]);
    for (const x of r.returns!.flat()) expect(x >= 1 && x <= 500).toBe(true);
    expect(r.spikes).toBeGreaterThan(0);
    expect(r.inked).toBeGreaterThan(500);
    // legend, counters per replica (not all replicas together)
    expect(await page.$eval('#curve', (e) => e.textContent ?? '')).toContain('replica 1');
    expect(await page.$eval('#rates', (e) => e.textContent ?? '')).toContain('output neuron');
    expect(await page.$$eval('#counters tbody tr td:nth-child(2)', (tds) => tds.map((t) => Number(t.textContent)))).toEqual([EPISODES, EPISODES]);
  }, 300_000);

  it('Pause holds a long run still, Stop ends it with a summary marked stopped', async () => {
    const { page } = session!;
    await setInputs(page, { episodes: '100000' });
    await page.click('#start');
    const count = () => page.evaluate(() => Array.from(document.querySelectorAll('#counters tbody tr td:nth-child(2)')).reduce((a, t) => a + Number(t.textContent), 0));
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#counters tbody tr td:nth-child(2)')).every((t) => Number(t.textContent) >= 3), { timeout: 240_000, polling: 200 });
    await expectPauseHolds(page, count);
    await page.click('#stop');
    await page.waitForFunction(() => window.__ottDone === true, { timeout: 120_000, polling: 100 });
    expect(await page.$eval('#status', (e) => e.textContent)).toBe('stopped');
    expect(await page.evaluate(() => window.__ottSummary?.stopped)).toBe(true);
    expect(await page.$eval('#start', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
  }, 300_000);

  it('a bad parameter shows its error on the page, naming the field, instead of hanging on "starting"', async () => {
    const { page, base } = session!;
    await page.goto(new URL('demos/ott.html?layers=-1', base).href, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__ottDone === true, { timeout: 60_000, polling: 100 });
    expect(await page.$eval('#error', (e) => (e as HTMLElement).hidden)).toBe(false);
    expect(await page.$eval('#error', (e) => e.textContent)).toMatch(/^Invalid layers: .*layers must be an integer/);
    expect(await page.$eval('input[name=layers]', (e) => e.getAttribute('aria-invalid'))).toBe('true');
  }, 120_000);
});
