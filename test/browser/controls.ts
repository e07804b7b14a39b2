import type { Page } from 'puppeteer-core';
import { expect } from 'vitest';

/** Set the demo form's inputs by name (input[name=...]), as a user would type them. */
export function setInputs(page: Page, values: Record<string, string>): Promise<void> {
  return page.evaluate((v: Record<string, string>) => {
    for (const [name, x] of Object.entries(v)) (document.querySelector(`input[name=${name}]`) as HTMLInputElement).value = x;
  }, values);
}

/**
 * Click Pause (the demos' RunControls) and check that the run holds still: once #status says
 * paused, `progress` read after 1.5 s and again 1.5 s later is the same. Returns the second reading.
 */
export async function expectPauseHolds<T>(page: Page, progress: () => Promise<T>): Promise<T> {
  await page.click('#pause');
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'paused');
  await new Promise((r) => setTimeout(r, 1500));
  const held = await progress();
  await new Promise((r) => setTimeout(r, 1500));
  const still = await progress();
  expect(still).toEqual(held);
  return still;
}
