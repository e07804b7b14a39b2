import type { GpuContext } from '../gpu/context.ts';
import type { RunPictures } from '../plot/run-report.ts';
import type { Flags, Parsed } from './args.ts';
import type { Progress } from './progress.ts';
import type { RunDir } from './run-dir.ts';

/** What a command gets from the CLI shell: output mode, progress bars, run directories and the GPU. */
export interface CliIO {
  /** --json: the result goes to stdout as one JSON object; everything else to stderr. */
  json: boolean;
  /** A progress bar; `unit` names what it counts (a model's decoder may name it on each update). */
  progress(label: string, unit?: string): Progress;
  /** `append`: add to an existing run's metrics.jsonl (a resumed run) instead of starting it anew. */
  runDir(preset: string, name?: string, append?: boolean): RunDir;
  /** The shared GPU context (created on first use). */
  gpu(): Promise<GpuContext>;
  /** A human-readable line on stderr. */
  log(line: string): void;
}

export interface CliCommand {
  /** Words after `hedonist`, e.g. ['train', 'cartpole-reinforce']. */
  path: string[];
  summary: string;
  flags: Flags;
  /** Runs the command; the returned object is printed with --json. */
  run(flags: Parsed, io: CliIO): Promise<object>;
  /** Human-readable result (stdout) when --json is not given. */
  format(result: Record<string, unknown>): string;
  /** How the run directories it opens with `io.runDir` are drawn when it ends (default: the main metric's curves). */
  pictures?: RunPictures;
}

/** A reproduced paper table's files in its run directory: the result as table1.json and summary.json, the table as table1.md. */
export function writeTable1<T extends object>(dir: RunDir, result: T, markdown: string): T {
  dir.writeJson('table1.json', result);
  dir.writeText('table1.md', markdown);
  dir.writeJson('summary.json', result);
  return result;
}

/**
 * Run a training command's body with its run directory and progress bar: writes
 * runs/<name>/summary.json ({ ...result, runDir }) and always stops the bar and closes the directory.
 */
export async function withRun<T extends object>(
  io: CliIO,
  preset: string,
  name: string | undefined,
  body: (dir: RunDir, bar: Progress) => Promise<T>,
  append = false,
): Promise<T & { runDir: string }> {
  const dir = io.runDir(preset, name, append);
  const bar = io.progress(preset);
  try {
    const r = await body(dir, bar);
    bar.stop();
    const result = { ...r, runDir: dir.path };
    dir.writeJson('summary.json', result);
    return result;
  } finally {
    bar.stop();
    await dir.close();
  }
}
