import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterSummary } from '../../src/gpu/context.ts';
import { PARITY_SUITES } from '../parity/suites.ts';
import { openPage, type BrowserPageSession, pageDiagnostics, requireSession } from './launch.ts';
import type { BrowserParityResult } from './parity-page.ts';

/**
 * The headless-Chromium tier: the same PARITY_SUITES as test/gpu, run by test/browser/parity.html
 * in a real page (Chromium's WebGPU; SwiftShader on machines without a GPU).
 */
// Shader compiles take 80-300 ms each on SwiftShader; leave room for many suites.
const PAGE_TIMEOUT_MS = 300_000;

interface PageOutcome {
  results?: BrowserParityResult[];
  adapter?: AdapterSummary;
  error?: string;
}

let session: BrowserPageSession | undefined;
let outcome: PageOutcome = {};
/** Why setup failed (no Chromium, no server, page timeout): every test then fails with it, none skip. */
let setupError: unknown;

async function runParityPage(): Promise<void> {
  session = await openPage('test/browser/parity.html');
  const { page } = session;
  await page.waitForFunction(() => window.__parityDone === true, { timeout: PAGE_TIMEOUT_MS, polling: 200 });
  outcome = await page.evaluate(() => ({ results: window.__parityResults, adapter: window.__adapter, error: window.__parityError }));
}

beforeAll(() => runParityPage().catch((e: unknown) => void (setupError = e)), PAGE_TIMEOUT_MS + 60_000);

afterAll(() => session?.close());

const diagnostics = (): string => pageDiagnostics(session, outcome.error);

const checkSetup = (): void => void requireSession(session, setupError, outcome.error);

describe('kernel parity in headless Chromium (WebGPU in a page): GPU vs CPU twin', () => {
  it('has a WebGPU adapter and names it', () => {
    checkSetup();
    expect(outcome.error, diagnostics()).toBeUndefined();
    expect(outcome.adapter, diagnostics()).toBeDefined();
    const a = outcome.adapter!;
    const name = [a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' / ');
    expect(name, `adapter info is empty: ${JSON.stringify(a)}`).not.toBe('');
    console.log(`chromium adapter: ${name}${a.isFallbackAdapter ? ' (fallback)' : ''}`);
  });

  for (const suite of PARITY_SUITES) {
    it(suite.name, () => {
      checkSetup();
      const r = outcome.results?.find((x) => x.name === suite.name);
      expect(r, `suite '${suite.name}' has no result from the page\n${diagnostics()}`).toBeDefined();
      expect(r!.violations, JSON.stringify(r!.report)).toEqual([]);
    });
  }
});
