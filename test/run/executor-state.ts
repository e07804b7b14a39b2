import type { CpuExecutor } from '../../src/run/executor-cpu.ts';

/** Every non-scratch buffer's own bytes (copied; a view may lie in an arena with every other buffer). */
export function stateBytes(e: CpuExecutor): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const d of e.program.buffers) {
    if (d.scratch) continue;
    out[d.name] = bufferBytes(e, d.name);
  }
  return out;
}

/** One buffer's own bytes, copied (not the whole arena its view may lie in). */
export function bufferBytes(e: CpuExecutor, name: string): Buffer {
  const v = e.view(name);
  return Buffer.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
}
