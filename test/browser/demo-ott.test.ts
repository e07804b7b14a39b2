import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OttTrainSummary } from '../../src/ott/trainer.ts';
import { openPage, repoRoot, type BrowserPageSession } from './launch.ts';

/** demos/ott.html in headless Chromium: a few episodes train on WebGPU; curve and raster are drawn. */
const EPISODES = 12;
const REPLICAS = 2;
const SCREENSHOT = join(repoRoot, 'runs/screenshots/ott-demo.png');
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
        const c = document.getElementById('curve') as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i]! < 200 || d[i + 1]! < 200) n++;
        return n;
      })(),
    }));
    await mkdir(join(repoRoot, 'runs/screenshots'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT as `${string}.png`, fullPage: true });
    expect(r.error, session.pageLog.join('\n')).toBeUndefined();
    const s = r.summary as OttTrainSummary;
    expect(s.backend).toBe('webgpu');
    expect(s.replicas.map((x) => x.trials)).toEqual([EPISODES, EPISODES]);
    expect(r.returns!.map((x) => x.length)).toEqual([EPISODES, EPISODES]);
    for (const x of r.returns!.flat()) expect(x >= 1 && x <= 500).toBe(true);
    expect(r.spikes).toBeGreaterThan(0);
    expect(r.inked).toBeGreaterThan(500);
  }, 300_000);
});
