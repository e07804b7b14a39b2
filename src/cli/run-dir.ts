import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './args.ts';

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

  constructor(name: string, root = 'runs', mode: boolean | RunDirMode = false) {
    const m: RunDirMode = typeof mode === 'boolean' ? { append: mode } : mode;
    if (!/^[\w.-]+$/.test(name)) throw new UsageError(`run name '${name}' may hold only letters, digits, '.', '_' and '-'`);
    this.path = join(root, name);
    const metrics = join(this.path, 'metrics.jsonl');
    if (m.refuseExisting && !m.append && !m.overwrite && existsSync(metrics)) {
      throw new UsageError(`run '${name}' already exists in ${this.path}: pass --overwrite to replace it, --resume ${this.path} to continue it, or another --name`);
    }
    mkdirSync(this.path, { recursive: true });
    this.fd = openSync(metrics, m.append ? 'a+' : 'w');
    if (m.append && m.truncateAt !== undefined) {
      const have = fstatSync(this.fd).size;
      if (have < m.truncateAt) throw new UsageError(`${metrics} holds ${have} bytes, fewer than the checkpoint's ${m.truncateAt}: it was cut short`);
      ftruncateSync(this.fd, m.truncateAt);
    }
    this.size = fstatSync(this.fd).size;
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
      writeSync(this.fd, buf);
      this.size += buf.length;
      this.pending = [];
      this.pendingBytes = 0;
    }
    if (durable && !this.closed) fsyncSync(this.fd);
    return this.size;
  }

  writeJson(file: string, data: unknown): string {
    const p = join(this.path, file);
    writeFileSync(p, JSON.stringify(data, null, 2) + '\n');
    return p;
  }
  writeText(file: string, text: string): string {
    const p = join(this.path, file);
    writeFileSync(p, text);
    return p;
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    closeSync(this.fd);
  }
}

/** `<preset>-<yyyymmdd-hhmmss>` */
export function defaultRunName(preset: string): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${preset}-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}
