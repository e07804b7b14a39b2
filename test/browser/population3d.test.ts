import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, pageDiagnostics, requireSession, SCREENSHOT_DIR, type BrowserPageSession } from './launch.ts';

/**
 * demos/population3d.html in headless Chromium: the million-agent preset trains on the page's
 * WebGPU (a short run; POP3D_TEST_UNITS / POP3D_TEST_EPISODES set the size, the full 2^20 by
 * default), its big layer is drawn by the WebGPU render pipeline, the canvas is not blank and holds
 * firing (hot) points, and the page shows a measured frame rate. Screenshot:
 * $HEDONIST_SCREENSHOTS (default $TMPDIR/hedonist-screenshots)/population3d.png.
 */
const UNITS = Number(process.env.POP3D_TEST_UNITS ?? 1 << 20);
const EPISODES = Number(process.env.POP3D_TEST_EPISODES ?? 8);
const RUN_TIMEOUT_MS = 600_000;
const SCREENSHOT = join(SCREENSHOT_DIR, 'population3d.png');

let session: BrowserPageSession | undefined;
let setupError: unknown;
let hook: Window['__pop3d'];
let canvasPng: Buffer | undefined;
let fpsText = '';
let seconds = NaN;

async function runView(): Promise<void> {
  const t0 = performance.now();
  session = await openPage(`demos/population3d.html?units=${UNITS}&episodes=${EPISODES}&seed=1&autostart=1`, { viewport: { width: 1100, height: 1000 } });
  const { page } = session;
  const deadline = performance.now() + RUN_TIMEOUT_MS;
  while (!(await page.evaluate(() => window.__pop3d!.state !== 'running' && window.__pop3d!.state !== 'idle'))) {
    if (performance.now() > deadline) throw new Error(`demos/population3d.html not done after ${RUN_TIMEOUT_MS / 1000} s`);
    await new Promise((res) => setTimeout(res, 500));
  }
  seconds = (performance.now() - t0) / 1000;
  // A few more frames after the run, so the frame rate covers drawing alone too.
  const frames = await page.evaluate(() => window.__pop3d!.frames);
  await page.waitForFunction((f) => window.__pop3d!.frames >= f + 3, { timeout: 120_000, polling: 200 }, frames);
  hook = await page.evaluate(() => ({ ...window.__pop3d! }));
  fpsText = await page.$eval('#fps', (e) => e.textContent ?? '');
  const canvas = await page.$('#view');
  canvasPng = Buffer.from(await canvas!.screenshot({ type: 'png' }));
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: SCREENSHOT as `${string}.png`, fullPage: true });
}

beforeAll(() => runView().catch((e: unknown) => void (setupError = e)), RUN_TIMEOUT_MS + 180_000);
afterAll(() => session?.close());

describe('demos/population3d.html in headless Chromium', () => {
  it('trains the million-agent preset on WebGPU and copies its firing probabilities to the view', () => {
    requireSession(session, setupError, hook?.error);
    expect(hook!.error, pageDiagnostics(session, hook!.error)).toBeUndefined();
    expect(hook!.state).toBe('done');
    expect(hook!.units).toBe(UNITS);
    expect(hook!.episodes).toBe(EPISODES);
    expect(hook!.copies).toBeGreaterThan(0);
    console.log(`population3d: ${UNITS} units, ${EPISODES} episodes, page load to done ${seconds.toFixed(1)} s, ${hook!.frames} frames, ${hook!.fps.toFixed(2)} fps`);
  });

  it('shows the measured frames per second', () => {
    requireSession(session, setupError, hook?.error);
    expect(fpsText).toMatch(/^\d+(\.\d+)?$/);
    expect(Number(fpsText)).toBeGreaterThan(0);
    expect(hook!.frames).toBeGreaterThan(3);
  });

  it('draws the population: the canvas is not blank and some points glow hot (firing)', () => {
    requireSession(session, setupError, hook?.error);
    const png = PNG.sync.read(canvasPng!);
    let lit = 0;
    let hot = 0;
    const n = png.width * png.height;
    for (let i = 0; i < n; i++) {
      const [r, g, b] = [png.data[4 * i]!, png.data[4 * i + 1]!, png.data[4 * i + 2]!];
      if (r + g + b > 60) lit++;
      if (r > 120 && r > b + 40) hot++;
    }
    // Points cover a good part of the view, and some of them are red / yellow (firing units).
    expect(lit / n, `lit fraction ${lit / n}`).toBeGreaterThan(0.02);
    expect(lit / n).toBeLessThan(0.98);
    expect(hot, `hot pixels ${hot}`).toBeGreaterThan(20);
  });
});

describe('demos/population3d.html controls', () => {
  it('Stop ends a long run after the chunk in flight, and Start runs again', async () => {
    const s = await openPage('demos/population3d.html?units=4096&episodes=1000000&autostart=1', { viewport: { width: 1100, height: 1000 } });
    try {
      const { page } = s;
      await page.waitForFunction(() => window.__pop3d!.copies >= 2 || window.__pop3d!.state === 'failed', { timeout: 120_000, polling: 100 });
      await page.click('#stop');
      await page.waitForFunction(() => window.__pop3d!.state !== 'running', { timeout: 60_000, polling: 100 });
      const stopped = await page.evaluate(() => ({ ...window.__pop3d! }));
      expect(stopped.error, pageDiagnostics(s, stopped.error)).toBeUndefined();
      expect(stopped.state).toBe('stopped');
      expect(stopped.episodes).toBeGreaterThan(0);
      expect(stopped.episodes).toBeLessThan(1_000_000);
      expect(await page.$eval('#start', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
      await page.click('#start');
      await page.waitForFunction(() => window.__pop3d!.state === 'running' && window.__pop3d!.copies >= 1, { timeout: 120_000, polling: 100 });
      await page.click('#stop');
      await page.waitForFunction(() => window.__pop3d!.state !== 'running', { timeout: 60_000, polling: 100 });
      expect(await page.evaluate(() => window.__pop3d!.state)).toBe('stopped');
    } finally {
      await s.close();
    }
  }, 300_000);
});
