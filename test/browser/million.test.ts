import { describe, expect, it } from 'vitest';
import { expectPauseHolds, setInputs } from './controls.ts';
import { pollPage, runPageOnce } from './page-run.ts';

/**
 * demos/million.html in headless Chromium: the `train million` preset (millionConfig, the same
 * learner code as the CLI) through createBrowserGpu, a short autostarted run. Every episode's
 * reward comes back finite, the run has the requested episode count, and the big layer's
 * firing-rate image is drawn. Full size, 2^20 big-layer neuron-agents x 64 synapses: 8 episodes took
 * 56 s from page load on this 2-core SwiftShader host (docs/million.md); 6 leave room under load.
 * MILLION_TEST_UNITS / MILLION_TEST_EPISODES override (e.g. 4096 for a quick check).
 */
const UNITS = Number(process.env.MILLION_TEST_UNITS ?? 1 << 20);
const EPISODES = Number(process.env.MILLION_TEST_EPISODES ?? 6);
const SUBMIT = 1;
const RUN_TIMEOUT_MS = 600_000;

interface Outcome {
  summary?: Window['__millionSummary'];
  rewards?: number[];
  image?: Window['__millionImage'];
  error?: string;
}

const demo = runPageOnce<Outcome>({
  path: `demos/million.html?seed=1&units=${UNITS}&episodes=${EPISODES}&submit=${SUBMIT}&autostart=1`,
  viewport: { width: 1300, height: 1000 },
  timeoutMs: RUN_TIMEOUT_MS,
  screenshot: 'million-demo.png',
  waitDone: async (page) => {
    await pollPage(page, () => window.__millionDone === true, RUN_TIMEOUT_MS, 'demos/million.html');
    // Let the last animation frame draw the image.
    await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res))));
  },
  read: (page) =>
    page.evaluate(() => ({
      summary: window.__millionSummary,
      rewards: window.__millionRewards,
      image: window.__millionImage,
      error: window.__millionError,
    })),
});
const { checkSetup } = demo;

describe('demos/million.html in headless Chromium', () => {
  it('trains the million preset for the requested episodes with a finite reward each', () => {
    const s = demo.summary();
    expect(s.backend).toBe('webgpu');
    expect(s.episodes).toBe(EPISODES);
    expect(s.hidden).toEqual([256, UNITS]);
    expect(s.fanInPerLayer).toEqual([0, 64]);
    expect(s.rule).toBe('weightmax');
    expect(s.deviceBytes).toBeGreaterThan(UNITS * 64 * 8);
    expect(demo.outcome.rewards).toHaveLength(EPISODES);
    for (const r of demo.outcome.rewards!) expect(Number.isFinite(r) && Math.abs(r) === 1, `reward ${r}`).toBe(true);
    expect(Number.isFinite(s.meanReturn)).toBe(true);
    console.log(
      `million demo: ${UNITS} x 64 synapses, ${EPISODES} episodes on ${s.adapter}: train ${s.wallSeconds.toFixed(1)} s ` +
        `(build ${s.buildSeconds.toFixed(1)} s), page load to done ${demo.seconds.toFixed(1)} s, rewards ${demo.outcome.rewards!.join(' ')}`,
    );
  });

  it('draws a non-empty firing-rate image, one pixel per big-layer unit', async () => {
    const { page } = checkSetup();
    const side = Math.ceil(Math.sqrt(UNITS));
    expect(demo.outcome.image).toMatchObject({ width: side, height: side });
    expect(demo.outcome.image!.readbacks).toBeGreaterThanOrEqual(1);
    const px = await page.evaluate(() => {
      const c = document.getElementById('rates') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let lit = 0;
      let dark = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i]! > 0) lit++;
        else dark++;
      }
      return { width: c.width, height: c.height, lit, dark };
    });
    expect(px.width).toBe(side);
    expect(px.height).toBe(side);
    // Some units fire, and not all of them at the same rate (the preset starts sparse).
    expect(px.lit, 'no unit lit').toBeGreaterThan(UNITS / 100);
    expect(px.dark, 'every pixel lit').toBeGreaterThan(0);
  });

  it('draws the learning curve', async () => {
    const { page } = checkSetup();
    const inked = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('#chart canvas');
      if (!c) return 0;
      const img = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < img.length; i += 4) if (img[i]! > 100) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(500);
  });

  it('Pause holds a long run still and Stop ends it (the default run is ~18 min here)', async () => {
    const { page } = checkSetup();
    await setInputs(page, { units: '4096', episodes: '100000' });
    await page.click('#start');
    await page.waitForFunction(() => (window.__millionRewards?.length ?? 0) >= 10, { timeout: 240_000, polling: 200 });
    await expectPauseHolds(page, () => page.evaluate(() => window.__millionRewards!.length));
    await page.click('#stop');
    await page.waitForFunction(() => window.__millionDone === true, { timeout: 120_000, polling: 100 });
    const r = await page.evaluate(() => ({ s: window.__millionSummary, status: document.getElementById('status')?.textContent, error: window.__millionError }));
    expect(r.error).toBeUndefined();
    expect(r.s?.stopped).toBe(true);
    expect(r.status).toMatch(/^stopped after \d+ episodes$/);
  }, 400_000);
});
