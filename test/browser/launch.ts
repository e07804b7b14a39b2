import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll } from 'vitest';

/**
 * Shared by the headless-Chromium tests: a vite dev server over the repo (vite.config.ts) and
 * puppeteer-core driving the system Chromium with WebGPU on (SwiftShader without a GPU).
 */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
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
    throw new Error(
      `Chromium not found at ${CHROME}: the browser test tier needs it. ` +
        'Install it with `apt-get install -y chromium`, or set CHROME_PATH to a Chromium/Chrome binary.',
    );
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

/**
 * A page a test file runs once: registers the hooks that open `path`, `wait` until the page is
 * done, read `collect()` (evaluated in the page) and save a full-page screenshot to `screenshot`
 * (under runs/screenshots/), and close the session after the tests. A setup failure is kept, so
 * every test fails with it (checkSetup) instead of being skipped.
 */
export class PageRun<O extends { error?: string }> {
  session: BrowserPageSession | undefined;
  outcome: O = {} as O;
  runSeconds = NaN;
  private setupError: unknown;

  constructor(o: { path: string; viewport: { width: number; height: number }; timeoutMs: number; screenshot: string; wait(page: Page): Promise<void>; collect(): O }) {
    beforeAll(() => this.run(o).catch((e: unknown) => void (this.setupError = e)), o.timeoutMs + 60_000);
    afterAll(() => this.session?.close());
  }

  private async run(o: ConstructorParameters<typeof PageRun<O>>[0]): Promise<void> {
    const t0 = performance.now();
    this.session = await openPage(o.path, { viewport: o.viewport });
    const { page } = this.session;
    await o.wait(page);
    this.runSeconds = (performance.now() - t0) / 1000;
    this.outcome = await page.evaluate(o.collect);
    await mkdir(join(repoRoot, 'runs/screenshots'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'runs/screenshots', o.screenshot) as `${string}.png`, fullPage: true });
  }

  /** What a failed check shows: the page's error and its log. */
  diagnostics(): string {
    return pageDiagnostics(this.session, this.outcome.error);
  }

  /** The session, or the setup failure thrown. */
  checkSetup(): BrowserPageSession {
    return requireSession(this.session, this.setupError, this.outcome.error);
  }
}
