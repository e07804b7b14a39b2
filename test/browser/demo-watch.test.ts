import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WatchState } from '../../demos/watch-state.ts';
import { canvasStats } from './canvas-stats.ts';
import { openPage, SCREENSHOT_DIR, type BrowserPageSession } from './launch.ts';

/**
 * demos/watch.html in headless Chromium, for each env it draws: the page loads, an autostarted run
 * trains a few episodes, Pause holds the counters still and Resume lets them go on, Stop ends the
 * run with a summary, the env view and the raster are not blank, and a screenshot is written.
 */
const SHOTS = SCREENSHOT_DIR;
const CASES = [
  // preset, backend, replicas, steps per frame; WebGPU on one, the CPU twins on the others (SwiftShader is slow)
  { preset: 'cartpole-reinforce', backend: 'webgpu', replicas: 3, steps: 10 },
  { preset: 'chung-acrobot', backend: 'cpu', replicas: 2, steps: 25 },
  { preset: 'chung-lunarlander', backend: 'cpu', replicas: 2, steps: 25 },
] as const;

let session: BrowserPageSession | undefined;
afterAll(() => session?.close());

type Watch = WatchState;
const watch = (s: BrowserPageSession) => s.page.evaluate(() => (window as unknown as { __watch?: Watch }).__watch ?? {});
const total = (w: Watch) => (w.episodes ?? []).reduce((a, b) => a + b, 0);

describe('demos/watch.html in headless Chromium', () => {
  it.each(CASES)(
    '$preset on $backend: trains, pauses, resumes, stops; task view and raster drawn',
    async (c) => {
      const url = `demos/watch.html?preset=${c.preset}&backend=${c.backend}&replicas=${c.replicas}&episodes=100000&stepsPerChunk=${c.steps}&seed=1&autostart=1`;
      if (!session) session = await openPage(url, { viewport: { width: 1200, height: 1300 } });
      else await session.page.goto(new URL(url, session.base).href, { waitUntil: 'load' });
      const s = session;
      const { page } = s;
      const log = () => s.pageLog.join('\n');
      // every replica finishes a few episodes
      await page.waitForFunction(
        () => {
          const w = (window as unknown as { __watch?: Watch }).__watch;
          return Boolean(w?.error) || (w?.episodes?.length && w.episodes.every((n) => n >= 2) && (w.frames ?? 0) >= 5);
        },
        { timeout: 240_000, polling: 200 },
      );
      let w = await watch(s);
      expect(w.error, log()).toBeUndefined();
      expect(w.backend).toBe(c.backend);
      expect(w.running).toBe(true);

      // Pause: nothing moves while paused
      await page.click('#pause');
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'paused');
      await new Promise((r) => setTimeout(r, 1500));
      const held = await watch(s);
      await new Promise((r) => setTimeout(r, 1500));
      const still = await watch(s);
      expect(still.paused).toBe(true);
      expect(total(still)).toBe(total(held));
      expect(still.frames).toBe(held.frames);
      expect(await page.$eval('#pause', (b) => b.textContent)).toBe('Resume');

      // Resume: it goes on
      await page.click('#pause');
      await page.waitForFunction(
        (n: number) => {
          const x = (window as unknown as { __watch?: Watch }).__watch;
          return (x?.episodes ?? []).reduce((a, b) => a + b, 0) > n;
        },
        { timeout: 120_000, polling: 100 },
        total(still),
      );

      // the replica picker switches the drawn replica
      await page.select('#replica', '1');
      await page.waitForFunction(() => document.querySelector('#counters tr.picked td')?.textContent === '1', { timeout: 30_000 });

      const env = await canvasStats(page, '#env');
      const rast = await canvasStats(page, '#raster');
      const chart = await canvasStats(page, '#chart canvas');
      expect(env, 'env canvas').not.toBeNull();
      expect(env!.inked).toBeGreaterThan(0.008);
      expect(env!.colors).toBeGreaterThan(8);
      expect(rast!.inked).toBeGreaterThan(0.01);
      expect(chart!.inked).toBeGreaterThan(0.01);
      w = await watch(s);
      expect(w.spikes).toBeGreaterThan(0);
      // the curve's legend (its axis titles and ticks are drawn on the canvas: see the screenshot), counters per replica
      const text = await page.$eval('#chart', (e) => e.textContent ?? '');
      for (const t of ['replica 0', 'replica 1', 'mean over', 'return per episode']) expect(text).toContain(t);
      expect(await page.$$eval('#counters tbody tr', (rows) => rows.length)).toBe(c.replicas);

      await mkdir(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `watch-${c.preset}.png`) as `${string}.png`, fullPage: true });

      // Stop: the run ends with a summary marked stopped, and Start is live again
      await page.click('#stop');
      await page.waitForFunction(() => (window as unknown as { __watch?: Watch }).__watch?.done === true, { timeout: 120_000, polling: 100 });
      w = await watch(s);
      expect(w.error, log()).toBeUndefined();
      expect(w.summary?.stopped).toBe(true);
      expect(await page.$eval('#start', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
      expect(await page.$eval('#status', (e) => e.textContent)).toMatch(/^stopped at step \d+/);
    },
    400_000,
  );

  it('shows a bad value beside the form, naming the field, and an unknown preset on the page', async () => {
    const s = session ?? (session = await openPage('demos/watch.html', { viewport: { width: 1200, height: 900 } }));
    const { page } = s;
    await page.goto(new URL('demos/watch.html?preset=cartpole-reinforce', s.base).href, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as unknown as { __watch?: Watch }).__watch?.done === true);
    await page.evaluate(() => void ((document.querySelector('input[name=replicas]') as HTMLInputElement).value = '0'));
    await page.click('#start');
    expect(await page.$eval('#error', (e) => e.textContent)).toMatch(/^Invalid replicas: run.replicas must be/);
    expect(await page.$eval('#error', (e) => (e as HTMLElement).hidden)).toBe(false);
    expect(await page.$eval('input[name=replicas]', (e) => e.getAttribute('aria-invalid'))).toBe('true');
    await page.goto(new URL('demos/watch.html?preset=pong', s.base).href, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as unknown as { __watch?: Watch }).__watch?.done === true);
    expect(await page.$eval('#error', (e) => e.textContent)).toMatch(/^Unknown preset 'pong': one of .*cartpole-reinforce/);
  }, 120_000);
});
