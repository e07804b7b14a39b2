import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { createServer, type ViteDevServer } from 'vite';

/**
 * Shared by the headless-Chromium tests: a vite dev server over the repo (vite.config.ts) and
 * puppeteer-core driving the system Chromium with WebGPU on (SwiftShader without a GPU).
 */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** Where the browser tests write their screenshots: a temp folder, never the repo (HEDONIST_SCREENSHOTS picks one, e.g. to refresh docs/img). */
export const SCREENSHOT_DIR = process.env.HEDONIST_SCREENSHOTS || join(tmpdir(), 'hedonist-screenshots');
export const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
// --enable-unsafe-webgpu is the one that matters; the rest keep a CI browser quiet and offline.
export const CHROME_ARGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

export interface BrowserPageSession {
  /** The page, already navigated to the path asked for (waited until `load`). */
  page: Page;
  browser: Browser;
  server: ViteDevServer;
  /** The dev server's base URL. */
  base: string;
  /** Console errors and warnings and page errors, for failure messages. */
  pageLog: string[];
  /** Close the browser and the server and delete the profile; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Start vite and Chromium and open `path` (relative to the repo root, query allowed). On failure
 * everything started so far is closed before the error propagates.
 */
export async function openPage(path: string, opts: { viewport?: { width: number; height: number } } = {}): Promise<BrowserPageSession> {
  if (!existsSync(CHROME)) {
    throw new Error(`Chromium not found at ${CHROME}: the browser test tier needs it. ` + 'Install it with `apt-get install -y chromium`, or set CHROME_PATH to a Chromium/Chrome binary.');
  }
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  let profileDir: string | undefined;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await browser?.close().catch(() => {});
    await server?.close().catch(() => {});
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  };
  try {
    server = await createServer({
      configFile: join(repoRoot, 'vite.config.ts'),
      logLevel: 'warn',
      clearScreen: false,
      // Vite reads port 0 as "its default, 5173", which another run may hold: start from a random high
      // port and let vite move up past any that are taken.
      server: { port: 20000 + Math.floor(Math.random() * 40000), strictPort: false, hmr: false, watch: null },
    });
    await server.listen();
    const base = server.resolvedUrls?.local[0];
    if (!base) throw new Error('vite dev server did not report a local URL');

    profileDir = await mkdtemp(join(tmpdir(), 'hedonist-chromium-'));
    browser = await puppeteer.launch({ executablePath: CHROME, headless: true, args: CHROME_ARGS, userDataDir: profileDir });
    const page = await browser.newPage();
    if (opts.viewport) await page.setViewport(opts.viewport);
    const pageLog: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') pageLog.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => pageLog.push(`pageerror: ${e instanceof Error ? e.message : String(e)}`));
    await page.goto(new URL(path, base).href, { waitUntil: 'load' });
    return { page, browser, server, base, pageLog, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** What a failed page test shows: the page's own error, then everything the page logged. */
export function pageDiagnostics(session: BrowserPageSession | undefined, pageError: unknown): string {
  return [pageError && `page error: ${String(pageError)}`, ...(session?.pageLog ?? [])].filter(Boolean).join('\n');
}

/**
 * For tests whose page ran once in beforeAll: throw the setup failure (with the page diagnostics)
 * so every test fails with the reason instead of being skipped; otherwise return the session.
 */
export function requireSession(session: BrowserPageSession | undefined, setupError: unknown, pageError: unknown): BrowserPageSession {
  if (setupError || !session) {
    const why = setupError instanceof Error ? setupError.message : String(setupError);
    throw new Error([why, pageDiagnostics(session, pageError)].filter(Boolean).join('\n'), { cause: setupError });
  }
  return session;
}
