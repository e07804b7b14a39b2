import { closeSync, existsSync, fstatSync, statSync, fsyncSync, ftruncateSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './args.ts';
import { FileError, fsDo, writeFileAtomic } from '../io/files.ts';

export { FileError, fsDo, writeFileAtomic };

/** mkdir -p one level at a time: Node's recursive mkdir reports ENOENT for a read-only parent. */
function mkdirEach(path: string): void {
  const parts = path.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const p = parts.slice(0, i).join('/');
    if (p && !existsSync(p)) mkdirSync(p);
  }
}

/**
 * Check before a run that an output file (`--flag PATH`) can be written: not a directory, in an
 * existing, writable directory (a probe file is created and removed). A full disk shows only later.
 */
export function checkOutputPath(flag: string, path: string): void {
  const what = `${flag}: cannot write`;
  fsDo(what, path, () => {
    if (existsSync(path) && statSync(path).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const probe = `${path}.tmp`;
    closeSync(openSync(probe, 'w'));
    rmSync(probe);
  });
}

/** How a run directory is opened: a new run, a resumed one (metrics cut back to a checkpoint), or replacing an old one. */
export interface RunDirMode {
  /** Keep the existing metrics.jsonl and add to it; with `truncateAt`, first cut it back to that byte length. */
  append?: boolean;
  truncateAt?: number;
  /** Refuse to reuse a directory that already holds a run's metrics, unless `overwrite`. */
  refuseExisting?: boolean;
  overwrite?: boolean;
}

/**
 * runs/<name>/: metrics.jsonl (one JSON object per line, written as records arrive, buffered and
 * flushed in large writes) and summary.json. `flush()` returns the file's byte length, which a
 * checkpoint stores so a resumed run cuts off what was written after it and never duplicates a line.
 */
export class RunDir {
  readonly path: string;
  private readonly fd: number;
  private pending: string[] = [];
  private pendingBytes = 0;
  private size: number;
  private closed = false;
  private readonly metrics: string;

  constructor(name: string, root = 'runs', mode: boolean | RunDirMode = false) {
    const m: RunDirMode = typeof mode === 'boolean' ? { append: mode } : mode;
    if (!/^[\w.-]+$/.test(name) || /^\.+$/.test(name)) throw new UsageError(`--name: run name '${name}' may hold only letters, digits, '.', '_' and '-', and not be '.' or '..'`);
    if (name.length > 200) throw new UsageError(`--name: run name is ${name.length} characters long; at most 200`);
    this.path = join(root, name);
    const metrics = join(this.path, 'metrics.jsonl');
    if (m.refuseExisting && !m.append && !m.overwrite && existsSync(metrics)) {
      throw new UsageError(`run '${name}' already exists in ${this.path}: pass --overwrite to replace it, --resume ${this.path} to continue it, or another --name`);
    }
    fsDo('cannot create the run directory', this.path, () => mkdirEach(this.path));
    this.fd = fsDo('cannot open', metrics, () => openSync(metrics, m.append ? 'a+' : 'w'));
    if (m.append && m.truncateAt !== undefined) {
      const have = fstatSync(this.fd).size;
      if (have < m.truncateAt) throw new UsageError(`${metrics} holds ${have} bytes, fewer than the checkpoint's ${m.truncateAt}: it was cut short`);
      fsDo('cannot truncate', metrics, () => ftruncateSync(this.fd, m.truncateAt!));
    }
    this.size = fstatSync(this.fd).size;
    this.metrics = metrics;
  }

  /** Append one metrics record (written to disk in batches; `flush` forces it). */
  log(record: Record<string, unknown>): void {
    const line = JSON.stringify(record) + '\n';
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes > 1 << 16) this.flush();
  }

  /** Write what is buffered; `durable` also fsyncs. Returns metrics.jsonl's byte length. */
  flush(durable = false): number {
    if (this.pending.length && !this.closed) {
      const buf = Buffer.from(this.pending.join(''));
      this.pending = [];
      this.pendingBytes = 0;
      // writeSync may write less than asked (a full disk): write the rest, or fail naming the file.
      let off = 0;
      try {
        while (off < buf.length) off += fsDo('cannot write', this.metrics, () => writeSync(this.fd, buf, off));
      } catch (e) {
        // Leave whole lines only: cut back what this flush got onto the disk.
        try {
          ftruncateSync(this.fd, this.size);
        } catch {}
        throw e;
      }
      this.size += buf.length;
    }
    if (durable && !this.closed) fsDo('cannot sync', this.metrics, () => fsyncSync(this.fd));
    return this.size;
  }

  /** Write FILE in the run directory as JSON (atomically: temporary + rename). */
  writeJson(file: string, data: unknown): string {
    const p = join(this.path, file);
    writeFileAtomic(p, JSON.stringify(data, null, 2) + '\n');
    return p;
  }
  /** Write FILE in the run directory (atomically: temporary + rename). */
  writeText(file: string, text: string): string {
    const p = join(this.path, file);
    writeFileAtomic(p, text);
    return p;
  }
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      closeSync(this.fd);
    }
  }
}

/** `<preset>-<yyyymmdd-hhmmss>` */
export function defaultRunName(preset: string): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${preset}-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}
