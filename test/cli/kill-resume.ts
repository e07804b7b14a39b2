import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { expect } from 'vitest';
import { BIN, hedonist } from './run-cli.ts';

/** Lines of a file (0 while it does not exist). */
export const lineCount = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').length - 1 : 0);

/** Resolve once `cond()` holds (polled every 10 ms); throw after `ms`. */
export async function until(cond: () => boolean, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A run killed with SIGKILL midway and resumed must end as a straight run does. `hedonist run
 * <args>` runs to the end as runs/<name>-straight (its metrics.jsonl must have `lines` lines); then
 * again as runs/<name>-killed with `--checkpoint-every every`, killed once it has a checkpoint and
 * more than `killAfter` metrics lines (within `untilMs`), and `run --resume` on it: its metrics.jsonl
 * must then equal the straight run's byte for byte. Returns both runs' --json summaries.
 */
export async function killAndResume(
  args: string[],
  name: string,
  o: { lines: number; every: number; killAfter: number; untilMs?: number },
): Promise<{ straight: Record<string, unknown>; resumed: Record<string, unknown> }> {
  const [straightDir, killedDir] = [`runs/${name}-straight`, `runs/${name}-killed`];
  for (const d of [straightDir, killedDir]) rmSync(d, { recursive: true, force: true });
  const straight = await hedonist(['run', ...args, '--name', `${name}-straight`, '--json']);
  expect(straight.code, straight.stderr).toBe(0);
  expect(lineCount(`${straightDir}/metrics.jsonl`)).toBe(o.lines);

  const child = spawn('node', [BIN, 'run', ...args, '--name', `${name}-killed`, '--checkpoint-every', String(o.every)], { stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, signal) => res(signal)));
  // Kill once a checkpoint exists and more metrics were written after it.
  await until(() => existsSync(`${killedDir}/checkpoint.bin`) && lineCount(`${killedDir}/metrics.jsonl`) > o.killAfter, o.untilMs);
  child.kill('SIGKILL');
  expect(await exited, 'the run ended before it could be killed: make it longer').toBe('SIGKILL');
  expect(lineCount(`${killedDir}/metrics.jsonl`)).toBeLessThan(o.lines);

  const r = await hedonist(['run', '--resume', killedDir, '--json']);
  expect(r.code, r.stderr).toBe(0);
  expect(readFileSync(`${killedDir}/metrics.jsonl`, 'utf8')).toBe(readFileSync(`${straightDir}/metrics.jsonl`, 'utf8'));
  return { straight: JSON.parse(straight.stdout), resumed: JSON.parse(r.stdout) };
}
