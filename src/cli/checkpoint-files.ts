import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCheckpoint, encodeCheckpoint, type CheckpointParts } from '../io/checkpoint.ts';
import { UsageError } from './args.ts';
import { writeFileAtomic } from './run-dir.ts';

/** The checkpoint file of a run directory. */
export const CHECKPOINT_FILE = 'checkpoint.bin';

/**
 * Writes FILE.tmp and renames it over FILE, so a run killed mid-write keeps its last good
 * checkpoint.
 */
export function writeCheckpointFile(path: string, p: CheckpointParts): void {
  writeFileAtomic(path, encodeCheckpoint(p));
}

/** Reads a checkpoint FILE, or DIR/checkpoint.bin when given a run directory. */
export function readCheckpointFile(path: string, expectedKind: string, flag = '--resume'): { parts: CheckpointParts; file: string } {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, CHECKPOINT_FILE) : path;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UsageError(`${flag}: cannot read checkpoint '${file}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return { parts: decodeCheckpoint(bytes, expectedKind, file), file };
  } catch (e) {
    throw new UsageError(`${flag}: ${(e as Error).message}`);
  }
}
