import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import { canvasStats } from './canvas-stats.ts';
import { openPage, SCREENSHOT_DIR, type BrowserPageSession } from './launch.ts';

/**
 * demos/playground.html in headless Chromium: the form is generated from the experiment schema,
 * bad values show beside their field, presets load with one click, and each paper's preset and two
 * composed ones train in the page (tiny budgets, on the CPU twins: SwiftShader is slow), with the
 * metrics and the file to download.
 */
let session: BrowserPageSession | undefined;
afterAll(() => session?.close());

interface State {
  ready?: boolean;
  done?: boolean;
  running?: boolean;
  backend?: string;
  error?: string;
  issues?: { path: string; message: string }[];
  paths?: string[];
  records?: number;
  summary?: { stopped?: boolean };
  lastDownload?: { name: string; text: string };
}
const st = (page: Page) => page.evaluate(() => (window as unknown as { __playground?: State }).__playground ?? {});

/** Type into a generated field (input or select) as a user would. */
async function setField(page: Page, path: string, value: string): Promise<void> {
  await page.evaluate(
    (p, v) => {
      const el = document.querySelector(`[name="${p}"]`) as HTMLInputElement | HTMLSelectElement | null;
      if (!el) throw new Error(`no field ${p}`);
      el.value = v;
      el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
    },
    path,
    value,
  );
}
const issueOf = (page: Page, path: string) => page.$eval(`.field[data-path="${path}"] > .issue`, (e) => e.textContent ?? '');

// preset, then the fields that make its run tiny
const TRAIN: [string, [string, string][]][] = [
  ['cartpole-reinforce', [['run.replicas', '2'], ['run.episodes', '5']]],
  // the same on this page's WebGPU (SwiftShader here)
  ['cartpole-reinforce', [['run.backend', 'webgpu'], ['run.replicas', '2'], ['run.episodes', '5']]],
  ['ott-cartpole', [['run.replicas', '2'], ['run.episodes', '3']]],
  ['chung-acrobot', [['run.replicas', '2'], ['run.episodes', '2']]],
  ['synq-boundary', [['rule.iterations', '200'], ['rule.evalEvery', '100']]],
  ['chalk-counts', []],
  // composed: Weight Max with Ott's reward terms on Acrobot; Dale-signed edge-list wiring
  ['wm-ott-terms-acrobot', [['run.replicas', '2'], ['run.episodes', '2']]],
  ['wired-dale-cartpole', [['run.replicas', '2'], ['run.episodes', '5']]],
];

describe('demos/playground.html in headless Chromium', () => {
  it('generates the form from the schema and shows bad values beside their field', async () => {
    session = await openPage('demos/playground.html', { viewport: { width: 1300, height: 1400 } });
    const { page } = session;
    await page.waitForFunction(() => (window as unknown as { __playground?: State }).__playground?.ready === true, { timeout: 60_000 });
    const s = await st(page);
    for (const p of ['env.name', 'population.agents', 'population.hidden', 'rule.name', 'rule.lr', 'run.seed', 'run.replicas', 'run.episodes', 'run.backend']) expect(s.paths).toContain(p);
    expect(await page.$eval('[name="env.name"]', (e) => (e as HTMLSelectElement).value)).toBe('cartpole');

    await setField(page, 'run.replicas', '0');
    expect(await issueOf(page, 'run.replicas')).toMatch(/^run.replicas must be/);
    expect(await page.$eval('#start', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await setField(page, 'rule.lr', 'fast');
    expect(await issueOf(page, 'rule.lr')).toMatch(/rule.lr/);
    await setField(page, 'run.replicas', '2');
    await setField(page, 'rule.lr', '0.03');
    expect(await issueOf(page, 'run.replicas')).toBe('');
    expect((await st(page)).issues).toEqual([]);
    expect(await page.$eval('#start', (b) => (b as HTMLButtonElement).disabled)).toBe(false);

    // another rule: its own fields appear
    await setField(page, 'rule.name', 'weight-max');
    expect((await st(page)).paths).toContain('rule.hiddenRule');
    // the file downloads as edited
    await page.click('#download-experiment');
    const d = (await st(page)).lastDownload!;
    expect(d.name).toBe('cartpole-reinforce.json');
    expect(JSON.parse(d.text).rule.name).toBe('weight-max');
  }, 120_000);

  it.each(TRAIN)('%s %j: one click loads it, it trains in the page, its metrics download', async (preset, sets) => {
    const { page } = session!;
    await page.click(`#presets button[data-preset="${preset}"]`);
    expect((await st(page)).issues, 'the preset is valid as loaded').toEqual([]);
    await setField(page, 'run.backend', 'cpu');
    for (const [p, v] of sets) await setField(page, p, v);
    expect((await st(page)).issues).toEqual([]);
    await page.click('#start');
    await page.waitForFunction(() => {
      const x = (window as unknown as { __playground?: State }).__playground;
      return x?.done === true && x.running === false;
    }, { timeout: 240_000, polling: 200 });
    const s = await st(page);
    expect(s.error, session!.pageLog.join('\n')).toBeUndefined();
    expect(s.summary?.stopped).toBe(false);
    expect(s.records).toBeGreaterThan(0);
    const lines = await page.$eval('#download-metrics', async (a) => (await (await fetch((a as HTMLAnchorElement).href)).text()).trim().split('\n').length);
    expect(lines).toBe(s.records);
    expect((await st(page)).backend).toBe(sets.find(([p]) => p === 'run.backend')?.[1] ?? 'cpu');
    if (preset === 'cartpole-reinforce') {
      expect((await canvasStats(page, '#chart canvas'))!.inked).toBeGreaterThan(0.01);
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'playground.png') as `${string}.png`, fullPage: false });
    }
  }, 300_000);
});
