import type { CpuExecutor } from '../../src/run/executor-cpu.ts';

/** Every non-scratch buffer's own bytes (copied; a view may lie in an arena with every other buffer). */
export function stateBytes(e: CpuExecutor): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const d of e.program.buffers) {
    if (d.scratch) continue;
    const v = e.view(d.name);
    out[d.name] = Buffer.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
  return out;
}
