import { execFile } from 'node:child_process';
import { BIN } from '../cli/run-cli.ts';

/**
 * `hedonist ARGS` in a child process with its own working directory (runs/ and sweeps/ land there)
 * and environment; asynchronous, so the test worker keeps answering vitest while it runs. Never throws.
 */
export function hedonistIn(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 240_000): Promise<{ code: number; stdout: string; stderr: string; seconds: number }> {
  const t0 = performance.now();
  return new Promise((done) => {
    execFile('node', [BIN, ...args], { cwd, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (e, stdout, stderr) => {
      const code = e ? (typeof (e as { code?: unknown }).code === 'number' ? (e as { code: number }).code : -1) : 0;
      done({ code, stdout, stderr, seconds: (performance.now() - t0) / 1000 });
    });
  });
}
