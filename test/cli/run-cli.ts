import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const BIN = new URL('../../bin/hedonist.mjs', import.meta.url).pathname;

/** `--set` flags for the given assignments (`--set a --set b ...`). */
export const setFlags = (...assignments: string[]): string[] => assignments.flatMap((s) => ['--set', s]);

/** Run `hedonist <args>` in a child process (in `cwd`, default this one); resolves with its exit code and output, never throws. */
export async function hedonist(args: string[], timeoutMs = 180_000, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('node', [BIN, ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, ...(cwd ? { cwd } : {}) });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}
