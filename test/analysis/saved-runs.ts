import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { hedonist, setFlags } from '../cli/run-cli.ts';

/** A CLI call's --json output. */
export const json = (r: { stdout: string }) => JSON.parse(r.stdout) as Record<string, unknown>;

/** Train `file` with `--set`s into runs/<name> of the test's temp cwd, keeping only its final checkpoint (what the analyses read). */
export async function trainSavedRun(file: string, name: string, sets: string[]): Promise<void> {
  const r = await hedonist(['run', file, ...setFlags(...sets), '--checkpoint-every', '100000000', '--name', name, '--json'], 300_000);
  expect(r.code, r.stderr).toBe(0);
}

/** What `analyze record`, `pca` and `ablate --all` say about one saved run. */
export interface RecordPcaAblate {
  /** analyze record's output. */
  record: Record<string, unknown>;
  /** The recording CSV's header. */
  head: string[];
  /** analyze ablate's output. */
  ablate: { intact: { meanReturn: number }; rows: { label: string; drop: number; meanReturn: number }[] };
  /** Its 'all units' row. */
  all: { label: string; drop: number; meanReturn: number };
}

/**
 * analyze record (3 episodes, into <name>.csv), pca (3 episodes; its explained fractions must sum
 * to 1) and ablate --all (8 episodes, plus `ablateFlags`) on runs/<name>, each expected to succeed.
 */
export async function recordPcaAblate(name: string, ablateFlags: string[] = []): Promise<RecordPcaAblate> {
  const r = await hedonist(['analyze', 'record', `runs/${name}`, '--eval-episodes', '3', '--out', `${name}.csv`, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const head = readFileSync(`${name}.csv`, 'utf8').split('\n')[0]!.split(',');
  const p = await hedonist(['analyze', 'pca', `runs/${name}`, '--eval-episodes', '3', '--name', 'pca', '--json']);
  expect(p.code, p.stderr).toBe(0);
  expect((json(p).explained as number[]).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
  const a = await hedonist(['analyze', 'ablate', `runs/${name}`, '--all', ...ablateFlags, '--eval-episodes', '8', '--name', 'ab', '--json']);
  expect(a.code, a.stderr).toBe(0);
  const ablate = json(a) as unknown as RecordPcaAblate['ablate'];
  return { record: json(r), head, ablate, all: ablate.rows.find((x) => x.label === 'all units')! };
}
