import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WormState } from '../../demos/worm-state.ts';
import { canvasStats } from './canvas-stats.ts';
import { setInputs } from './controls.ts';
import { expectLiveStop, expectPauseResume, liveState, waitForLiveRun } from './live-run.ts';
import { openPage, SCREENSHOT_DIR, type BrowserPageSession } from './launch.ts';

/**
 * demos/worm.html in headless Chromium: the page builds the C. elegans connectome from the bundled
 * data, an autostarted run trains a few episodes on the CPU twins, Pause holds the counters and
 * Resume lets them go on, the plane (gradient + the worm's track), the 302-neuron raster and the
 * curve are drawn, Stop ends the run with a summary, a screenshot is written; a bad field is named
 * on the page.
 */
let session: BrowserPageSession | undefined;
afterAll(() => session?.close());

describe('demos/worm.html in headless Chromium', () => {
  it('trains the connectome on the CPU twins, pauses, resumes, stops; plane, track, raster and curve drawn', async () => {
    session = await openPage('demos/worm.html?backend=cpu&replicas=2&episodes=100000&stepsPerChunk=10&seed=1&autostart=1', { viewport: { width: 1250, height: 1500 } });
    const s = session;
    const { page } = s;
    const log = () => s.pageLog.join('\n');
    await waitForLiveRun(page, '__worm', 300_000);
    let w = await liveState<WormState>(page, '__worm');
    expect(w.error, log()).toBeUndefined();
    expect(w.backend).toBe('cpu');
    expect(w.preset).toBe('worm-chemotaxis-balanced'); // the setting where the connectome learns is the default
    expect(w.running).toBe(true);

    // Pause: nothing moves while paused; Resume: it goes on
    await expectPauseResume(page, '__worm');

    // The plane: the gradient, and the worm's track in red (at least a few points into an episode).
    await page.waitForFunction(() => ((window as unknown as { __worm?: WormState }).__worm?.trackPoints ?? 0) >= 3, { timeout: 60_000, polling: 50 });
    const plane = await canvasStats(page, '#plane');
    expect(plane!.colors).toBeGreaterThan(50); // the gradient's shades
    const red = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('#plane')!;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i]! > 150 && d[i + 1]! < 110 && d[i + 2]! < 110) n++;
      return n;
    });
    expect(red).toBeGreaterThan(20);
    const rast = await canvasStats(page, '#raster');
    expect(rast!.inked).toBeGreaterThan(0.01);
    const chart = await canvasStats(page, '#chart canvas');
    expect(chart!.inked).toBeGreaterThan(0.01);
    w = await liveState<WormState>(page, '__worm');
    expect(w.spikes).toBeGreaterThan(100);
    expect(w.concentration).toBeGreaterThan(0);
    expect(await page.$eval('#fps', (e) => e.textContent)).toMatch(/^\d+(\.\d)?$/);
    expect(await page.$$eval('#counters tbody tr', (rows) => rows.length)).toBe(2);
    const text = await page.$eval('#chart', (e) => e.textContent ?? '');
    for (const t of ['replica 0', 'replica 1', 'return per episode']) expect(text).toContain(t);

    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'worm.png') as `${string}.png`, fullPage: true });

    await expectLiveStop(page, '__worm', log);

    // The Weight Max setting trains in the tab too (its kernel on the CPU twins) until a few episodes end.
    await page.select('select[name=setting]', 'weightmax');
    await page.click('#start');
    await page.waitForFunction(
      () => {
        const w = (window as unknown as { __worm?: WormState }).__worm;
        return w?.preset === 'worm-chemotaxis-weightmax' && (w.episodes ?? []).every((n) => n >= 3);
      },
      { timeout: 120_000, polling: 100 },
    );
    await expectLiveStop(page, '__worm', log);

    // A bad field is named on the page and marked.
    await setInputs(page, { ticks: '0' });
    await page.click('#start');
    expect(await page.$eval('#error', (e) => e.textContent)).toMatch(/^Invalid ticks: env.ticks must be an integer in \[1, 16\]/);
    expect(await page.$eval('#error', (e) => (e as HTMLElement).hidden)).toBe(false);
    expect(await page.$eval('input[name=ticks]', (e) => e.getAttribute('aria-invalid'))).toBe('true');
  }, 420_000);
});
