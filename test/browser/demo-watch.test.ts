import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canvasStats } from './canvas-stats.ts';
import { setInputs } from './controls.ts';
import { expectLiveStop, expectPauseResume, liveState, waitForLiveDone, waitForLiveRun } from './live-run.ts';
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
      await waitForLiveRun(page, '__watch', 240_000);
      let w = await liveState(page, '__watch');
      expect(w.error, log()).toBeUndefined();
      expect(w.backend).toBe(c.backend);
      expect(w.running).toBe(true);

      // Pause: nothing moves while paused; Resume: it goes on
      await expectPauseResume(page, '__watch');

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
      w = await liveState(page, '__watch');
      expect(w.spikes).toBeGreaterThan(0);
      // the curve's legend (its axis titles and ticks are drawn on the canvas: see the screenshot), counters per replica
      const text = await page.$eval('#chart', (e) => e.textContent ?? '');
      for (const t of ['replica 0', 'replica 1', 'mean over', 'return per episode']) expect(text).toContain(t);
      expect(await page.$$eval('#counters tbody tr', (rows) => rows.length)).toBe(c.replicas);

      await mkdir(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `watch-${c.preset}.png`) as `${string}.png`, fullPage: true });

      // Stop: the run ends with a summary marked stopped, and Start is live again
      await expectLiveStop(page, '__watch', log);
    },
    400_000,
  );

  it('shows a bad value beside the form, naming the field, and an unknown preset on the page', async () => {
    const s = session ?? (session = await openPage('demos/watch.html', { viewport: { width: 1200, height: 900 } }));
    const { page } = s;
    await page.goto(new URL('demos/watch.html?preset=cartpole-reinforce', s.base).href, { waitUntil: 'load' });
    await waitForLiveDone(page, '__watch');
    await setInputs(page, { replicas: '0' });
    await page.click('#start');
    expect(await page.$eval('#error', (e) => e.textContent)).toMatch(/^Invalid replicas: run.replicas must be/);
    expect(await page.$eval('#error', (e) => (e as HTMLElement).hidden)).toBe(false);
    expect(await page.$eval('input[name=replicas]', (e) => e.getAttribute('aria-invalid'))).toBe('true');
    await page.goto(new URL('demos/watch.html?preset=pong', s.base).href, { waitUntil: 'load' });
    await waitForLiveDone(page, '__watch');
    expect(await page.$eval('#error', (e) => e.textContent)).toMatch(/^Unknown preset 'pong': one of .*cartpole-reinforce/);
  }, 120_000);
});
