import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/** runs/<name>/: metrics.jsonl (one JSON object per line, appended as episodes finish) and summary.json. */
export class RunDir {
  readonly path: string;
  private readonly metrics: WriteStream;
  /** `append`: keep an existing metrics.jsonl and add to it (a resumed run). */
  constructor(name: string, root = 'runs', append = false) {
    if (!/^[\w.-]+$/.test(name)) throw new Error(`run name '${name}' may hold only letters, digits, '.', '_' and '-'`);
    this.path = join(root, name);
    mkdirSync(this.path, { recursive: true });
    this.metrics = createWriteStream(join(this.path, 'metrics.jsonl'), { flags: append ? 'a' : 'w' });
  }
  /** Append one metrics record. */
  log(record: Record<string, unknown>): void {
    this.metrics.write(JSON.stringify(record) + '\n');
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
    await new Promise<void>((res) => this.metrics.end(res));
  }
}

/** `<preset>-<yyyymmdd-hhmmss>` */
export function defaultRunName(preset: string): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${preset}-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}
