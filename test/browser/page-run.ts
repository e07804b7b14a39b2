import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { openPage, pageDiagnostics, requireSession, SCREENSHOT_DIR, type BrowserPageSession } from './launch.ts';

/** A demo page's run, made once in beforeAll and checked by every test of the file. */
export interface PageRun<O extends { summary?: unknown }> {
  /** What `read` returned once the run was over ({} if it never got there). */
  readonly outcome: O;
  /** Seconds from opening the page to the end of its run. */
  readonly seconds: number;
  /** The open session; throws the setup failure, with the page's diagnostics, when the run failed (every test fails with the reason instead of being skipped). */
  checkSetup(): BrowserPageSession;
  /** What a failed check shows: the page's own error, then everything it logged. */
  diagnostics(): string;
  /** checkSetup, then the run ended without a page error and with a summary: that summary. */
  summary(): NonNullable<O['summary']>;
}

/**
 * Registers the beforeAll / afterAll of a test file whose demo page runs once: open `path` (at
 * `viewport`), wait for `waitDone`, `read` the outcome, write a full-page screenshot named
 * `screenshot` into SCREENSHOT_DIR; the browser and server close after the file.
 */
export function runPageOnce<O extends { error?: string; summary?: unknown }>(spec: {
  path: string;
  viewport: { width: number; height: number };
  /** How long the page's run may take; the beforeAll gets a minute more for the start. */
  timeoutMs: number;
  screenshot: string;
  waitDone: (page: Page) => Promise<unknown>;
  read: (page: Page) => Promise<O>;
}): PageRun<O> {
  let session: BrowserPageSession | undefined;
  let setupError: unknown;
  let outcome = {} as O;
  let seconds = NaN;
  const run = async (): Promise<void> => {
    const t0 = performance.now();
    session = await openPage(spec.path, { viewport: spec.viewport });
    const { page } = session;
    await spec.waitDone(page);
    seconds = (performance.now() - t0) / 1000;
    outcome = await spec.read(page);
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, spec.screenshot) as `${string}.png`, fullPage: true });
  };
  beforeAll(() => run().catch((e: unknown) => void (setupError = e)), spec.timeoutMs + 60_000);
  afterAll(() => session?.close());
  const checkSetup = (): BrowserPageSession => requireSession(session, setupError, outcome.error);
  const diagnostics = (): string => pageDiagnostics(session, outcome.error);
  return {
    get outcome() {
      return outcome;
    },
    get seconds() {
      return seconds;
    },
    checkSetup,
    diagnostics,
    summary: () => {
      checkSetup();
      expect(outcome.error, diagnostics()).toBeUndefined();
      expect(outcome.summary, diagnostics()).toBeDefined();
      return outcome.summary as NonNullable<O['summary']>;
    },
  };
}

/**
 * Wait until `done` holds in the page, asking every 500 ms: short polls rather than one
 * waitForFunction, whose wait puppeteer's protocol timeout (180 s) would end early in a long run.
 */
export async function pollPage(page: Page, done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await page.evaluate(done))) {
    if (performance.now() > deadline) throw new Error(`${what} not done after ${timeoutMs / 1000} s`);
    await new Promise((res) => setTimeout(res, 500));
  }
}
