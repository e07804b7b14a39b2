import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterSummary } from '../../src/gpu/context.ts';
import { PARITY_SUITES } from '../parity/suites.ts';
import type { BrowserParityResult } from './parity-page.ts';

/**
 * The headless-Chromium tier: the same PARITY_SUITES as test/gpu, run by test/browser/parity.html
 * in a real page (Chromium's WebGPU; SwiftShader on machines without a GPU).
 */
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
// --enable-unsafe-webgpu is the one that matters; the rest keep a CI browser quiet and offline.
const CHROME_ARGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];
// Shader compiles take 80-300 ms each on SwiftShader; leave room for many suites.
const PAGE_TIMEOUT_MS = 300_000;

interface PageOutcome {
  results?: BrowserParityResult[];
  adapter?: AdapterSummary;
  error?: string;
}

let server: ViteDevServer | undefined;
let browser: Browser | undefined;
let profileDir: string | undefined;
let outcome: PageOutcome = {};
/** Why setup failed (no Chromium, no server, page timeout): every test then fails with it, none skip. */
let setupError: unknown;
/** Console errors and page errors, shown when something fails. */
const pageLog: string[] = [];

async function runParityPage(): Promise<void> {
  if (!existsSync(CHROME)) {
    throw new Error(
      `Chromium not found at ${CHROME}: the browser test tier needs it. ` +
        'Install it with `apt-get install -y chromium`, or set CHROME_PATH to a Chromium/Chrome binary.',
    );
  }
  server = await createServer({
    configFile: join(repoRoot, 'vite.config.ts'),
    logLevel: 'warn',
    clearScreen: false,
    server: { port: 0, strictPort: true, hmr: false, watch: null },
  });
  await server.listen();
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('vite dev server did not report a local URL');

  profileDir = await mkdtemp(join(tmpdir(), 'hedonist-chromium-'));
  browser = await puppeteer.launch({ executablePath: CHROME, headless: true, args: CHROME_ARGS, userDataDir: profileDir });
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') pageLog.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => pageLog.push(`pageerror: ${e instanceof Error ? e.message : String(e)}`));

  await page.goto(new URL('test/browser/parity.html', base).href, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__parityDone === true, { timeout: PAGE_TIMEOUT_MS, polling: 200 });
  outcome = await page.evaluate(() => ({ results: window.__parityResults, adapter: window.__adapter, error: window.__parityError }));
}

beforeAll(() => runParityPage().catch((e: unknown) => void (setupError = e)), PAGE_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await server?.close().catch(() => {});
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
});

const diagnostics = (): string => [outcome.error && `page error: ${outcome.error}`, ...pageLog].filter(Boolean).join('\n');

function checkSetup(): void {
  if (!setupError) return;
  const why = setupError instanceof Error ? setupError.message : String(setupError);
  throw new Error([why, diagnostics()].filter(Boolean).join('\n'), { cause: setupError });
}

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
