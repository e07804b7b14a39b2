import { describe, expect, it } from 'vitest';
import type { EpisodicSummary } from '../../src/rules/reinforce-model.ts';
import { canvasStats } from './canvas-stats.ts';
import { expectPauseHolds, setInputs } from './controls.ts';
import { runPageOnce } from './page-run.ts';

/** What demos/cartpole.ts reports in window.__demoSummary. */
interface CartpoleReinforceSummary extends EpisodicSummary {
  learner: string;
  backend: string;
  adapter: string;
  episodes: number;
  replicas: number;
  wallSeconds: number;
  stopped?: true;
}

/**
 * demos/cartpole.html in headless Chromium: an autostarted small run trains to the end, the chart
 * draws it, the form rejects a bad config by field name, and Stop ends a long run early.
 */
const EPISODES = 60;
const REPLICAS = 2;
// Shader compiles plus 120 episodes on SwiftShader: well under a minute; leave room for slow CI.
const RUN_TIMEOUT_MS = 240_000;

interface RunOutcome {
  summary?: CartpoleReinforceSummary;
  returns?: number[][];
  chartPoints?: number;
  error?: string;
}

const demo = runPageOnce<RunOutcome>({
  path: `demos/cartpole.html?seed=1&episodes=${EPISODES}&replicas=${REPLICAS}&hidden=8&lr=0.03&autostart=1`,
  viewport: { width: 1100, height: 900 },
  timeoutMs: RUN_TIMEOUT_MS,
  screenshot: 'cartpole-demo.png',
  waitDone: (page) => page.waitForFunction(() => window.__demoDone === true, { timeout: RUN_TIMEOUT_MS, polling: 200 }),
  read: (page) =>
    page.evaluate(() => ({
      summary: window.__demoSummary,
      returns: window.__demoReturns,
      chartPoints: window.__demoChartPoints,
      error: window.__demoError,
    })),
});
const { checkSetup, diagnostics } = demo;

describe('demos/cartpole.html in headless Chromium', () => {
  it('trains an autostarted run to the end and reports the summary', () => {
    const s = demo.summary();
    expect(s.learner).toBe('cartpole-reinforce');
    expect(s.backend).toBe('webgpu');
    expect(s.stopped).toBeUndefined();
    expect(s.episodes).toBe(EPISODES);
    expect(s.replicas).toBe(REPLICAS);
    expect(s.adapter).not.toBe('');
    for (const x of [...s.last100MeanReturn, ...s.first100MeanReturn, s.last100MeanOverReplicas]) expect(Number.isFinite(x)).toBe(true);
    expect(demo.outcome.returns?.map((r) => r.length)).toEqual(new Array(REPLICAS).fill(EPISODES));
    for (const r of demo.outcome.returns!) for (const x of r) expect(Number.isFinite(x) && x >= 1 && x <= 500, `return ${x}`).toBe(true);
    console.log(`demo run: ${REPLICAS} x ${EPISODES} episodes on ${s.adapter}: train ${s.wallSeconds.toFixed(1)} s, page load to done ${demo.seconds.toFixed(1)} s`);
  });

  it('draws the learning curve on a non-empty chart canvas', async () => {
    const { page } = checkSetup();
    expect(demo.outcome.chartPoints).toBe(EPISODES);
    const canvas = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('#chart canvas');
      if (!c) return null;
      const img = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let inked = 0;
      let coloured = 0;
      for (let i = 0; i < img.length; i += 4) {
        const [r, g, b, a] = [img[i]!, img[i + 1]!, img[i + 2]!, img[i + 3]!];
        if (a > 100) inked++;
        // Axes, ticks, grid and the mean curve are grey or black: colour comes from replica lines.
        if (a > 60 && Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++;
      }
      const text = document.getElementById('chart')!.textContent ?? '';
      return { width: c.width, height: c.height, inked, coloured, text };
    });
    expect(canvas, 'no <canvas> under #chart').not.toBeNull();
    expect(canvas!.width).toBeGreaterThan(0);
    expect(canvas!.height).toBeGreaterThan(0);
    expect(canvas!.inked).toBeGreaterThan(1000);
    expect(canvas!.coloured, 'no replica line drawn').toBeGreaterThan(100);
    expect(canvas!.text).toContain('trailing-100');
  });

  it('draws the cart and pole of the picked replica from its env state', async () => {
    const { page } = checkSetup();
    expect(await page.evaluate(() => window.__demoEnvFrames ?? 0)).toBeGreaterThan(0);
    const s = await canvasStats(page, '#env');
    expect(s!.inked).toBeGreaterThan(0.01);
    expect(s!.colors).toBeGreaterThan(8);
    expect(await page.$$eval('#replica option', (o) => o.length)).toBe(REPLICAS);
  });

  it('shows a config error next to the form, naming the field', async () => {
    const { page } = checkSetup();
    await setInputs(page, { lr: '0' });
    await page.click('#start');
    const err = await page.$eval('#form-error', (e) => e.textContent ?? '');
    expect(err).toMatch(/^Invalid lr: rule.lr must be a number in \(0, 1\], got 0/);
    expect(await page.$eval('input[name=lr]', (e) => e.getAttribute('aria-invalid'))).toBe('true');
    expect(await page.$eval('#status', (e) => e.textContent)).toBe('done');
  });

  it('stops a long run on Stop and reports the summary so far', async () => {
    const { page } = checkSetup();
    await setInputs(page, { lr: '0.03', episodes: '100000' });
    await page.evaluate(() => void (window.__demoDone = false));
    await page.click('#start');
    await page.waitForFunction(() => (window.__demoReturns ?? []).every((r) => r.length >= 5), { timeout: RUN_TIMEOUT_MS, polling: 100 });
    await expectPauseHolds(page, () => page.evaluate(() => window.__demoReturns!.map((x) => x.length)));
    await page.click('#stop');
    await page.waitForFunction(() => window.__demoDone === true, { timeout: 60_000, polling: 100 });
    const r = await page.evaluate(() => ({
      summary: window.__demoSummary,
      counts: window.__demoReturns?.map((x) => x.length),
      status: document.getElementById('status')?.textContent,
      error: window.__demoError,
      startDisabled: (document.getElementById('start') as HTMLButtonElement).disabled,
    }));
    expect(r.error, diagnostics()).toBeUndefined();
    expect(r.summary?.stopped).toBe(true);
    expect(r.summary?.episodes).toBe(100_000);
    expect(r.status).toBe('stopped');
    expect(r.startDisabled).toBe(false);
    for (const n of r.counts!) expect(n).toBeGreaterThanOrEqual(5);
    for (const n of r.counts!) expect(n).toBeLessThan(100_000);
    for (const x of r.summary!.last100MeanReturn) expect(Number.isFinite(x)).toBe(true);
  });
});
