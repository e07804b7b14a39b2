import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunPictures } from '../plot/run-report.ts';
import type { CliIO } from './command.ts';

/**
 * The picture every run ends with: curves.png / curves.svg and report.html in its directory, from
 * whatever metrics.jsonl holds (a finished, stopped or failed run). A plotting failure is reported
 * on stderr and never replaces the run's own result or error; after a failed run (`failed`) it is not
 * reported at all, so the run's error stays the one line (a full disk fails both the same way).
 */
export async function reportRunDir(runDir: string, io: Pick<CliIO, 'log'>, pictures?: RunPictures, result?: object, failed = false): Promise<string[]> {
  try {
    // vega loads in a few hundred ms: only commands that draw pay for it
    const { writeRunReport } = await import('../plot/run-report.ts');
    const f = await writeRunReport(runDir, { ...pictures, result: result as Record<string, unknown> | undefined });
    return [...f.pngs, f.html];
  } catch (e) {
    if (!failed) io.log(`could not draw the run's curves in ${runDir}: ${(e as Error).message}`);
    return [];
  }
}

/** The line a run's summary ends with, naming the pictures that exist in its directory. */
export function picturesLine(runDir: string): string {
  const have = ['curves.png', 'curves.svg', 'report.html'].filter((f) => existsSync(join(runDir, f)));
  return have.length ? `pictures: ${have.map((f) => join(runDir, f)).join(', ')}` : '';
}
