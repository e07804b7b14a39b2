import type { Page } from 'puppeteer-core';
import { expect } from 'vitest';
import type { WatchState } from '../../demos/watch-state.ts';
import { expectPauseHolds } from './controls.ts';

/**
 * The pages that train live and draw as they go (demos/watch.html, demos/worm.html) expose their
 * state as a WatchState on `window[hook]`; these are the checks their tests share.
 */
export type LiveHook = '__watch' | '__worm';

/** The page's live state now ({} before the page set it). */
export function liveState<S extends WatchState = WatchState>(page: Page, hook: LiveHook): Promise<S> {
  return page.evaluate((h: string) => (window as unknown as Record<string, WatchState | undefined>)[h] ?? {}, hook) as Promise<S>;
}

/** Episodes finished over all replicas. */
export const totalEpisodes = (w: WatchState): number => (w.episodes ?? []).reduce((a, b) => a + b, 0);

/** Wait until every replica has finished 2 episodes and 5 frames are drawn, or the page reports an error. */
export function waitForLiveRun(page: Page, hook: LiveHook, timeout: number): Promise<unknown> {
  return page.waitForFunction(
    (h: string) => {
      const w = (window as unknown as Record<string, WatchState | undefined>)[h];
      return Boolean(w?.error) || (w?.episodes?.length && w.episodes.every((n) => n >= 2) && (w.frames ?? 0) >= 5);
    },
    { timeout, polling: 200 },
    hook,
  );
}

/** Wait until the page's run has ended (`done`); puppeteer's default timeout and polling unless given. */
export function waitForLiveDone(page: Page, hook: LiveHook, options: { timeout?: number; polling?: number } = {}): Promise<unknown> {
  return page.waitForFunction((h: string) => (window as unknown as Record<string, WatchState | undefined>)[h]?.done === true, options, hook);
}

/** Pause: nothing moves (episodes, frames) and the button offers Resume; Resume: more episodes finish. */
export async function expectPauseResume(page: Page, hook: LiveHook): Promise<void> {
  const still = await expectPauseHolds(page, () => liveState(page, hook).then((x) => ({ paused: x.paused, episodes: totalEpisodes(x), frames: x.frames })));
  expect(still.paused).toBe(true);
  expect(await page.$eval('#pause', (b) => b.textContent)).toBe('Resume');
  await page.click('#pause');
  await page.waitForFunction(
    (h: string, n: number) => ((window as unknown as Record<string, WatchState | undefined>)[h]?.episodes ?? []).reduce((a, b) => a + b, 0) > n,
    { timeout: 120_000, polling: 100 },
    hook,
    still.episodes,
  );
}

/** Stop: the run ends without an error, with a summary marked stopped, the status says where, and Start is live again. */
export async function expectLiveStop(page: Page, hook: LiveHook, log: () => string): Promise<void> {
  await page.click('#stop');
  await waitForLiveDone(page, hook, { timeout: 120_000, polling: 100 });
  const w = await liveState(page, hook);
  expect(w.error, log()).toBeUndefined();
  expect(w.summary?.stopped).toBe(true);
  expect(await page.$eval('#status', (e) => e.textContent)).toMatch(/^stopped at step \d+/);
  expect(await page.$eval('#start', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
}
