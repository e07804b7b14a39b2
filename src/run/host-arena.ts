/**
 * The CPU executor's host arrays in one WebAssembly memory (an arena): every buffer a view at its
 * own 16-byte-aligned offset, so the WebAssembly forms of the twins' loops (src/wasm/kernels.ts)
 * address them directly. A shared arena (worker threads) is a shared WebAssembly.Memory, whose
 * buffer is a SharedArrayBuffer the workers map the same way. Programs past ARENA_MAX_BYTES, or
 * hosts without WebAssembly, keep one array per buffer (the twins then run their TypeScript loops).
 */
import type { HostArray } from './kernel-def.ts';
import type { BufferDecl, StepProgram } from './program.ts';

/** The largest arena (bytes); larger programs allocate per buffer. */
export const ARENA_MAX_BYTES = 1 << 30;

const PAGE = 65536;
const memories = new WeakMap<ArrayBufferLike, WebAssembly.Memory>();

/** The arena memory whose buffer this is (undefined: not an arena). */
export function memoryOf(buffer: ArrayBufferLike): WebAssembly.Memory | undefined {
  return memories.get(buffer);
}

/** Byte offset of each buffer in an arena, and the arena's size. */
export function arenaLayout(buffers: readonly BufferDecl[]): { offsets: Record<string, number>; bytes: number } {
  const offsets: Record<string, number> = {};
  let at = 0;
  for (const d of buffers) {
    offsets[d.name] = at;
    at += Math.ceil((d.length * (d.host === 'f64' ? 8 : 4)) / 16) * 16;
  }
  return { offsets, bytes: at };
}

/** A new arena for a program (undefined when it is past ARENA_MAX_BYTES or WebAssembly is missing). */
export function newArena(p: StepProgram, shared: boolean): { memory: WebAssembly.Memory; offsets: Record<string, number> } | undefined {
  if (typeof WebAssembly === 'undefined') return undefined;
  const { offsets, bytes } = arenaLayout(p.buffers);
  if (bytes > ARENA_MAX_BYTES) return undefined;
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory(shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
  } catch {
    return undefined;
  }
  adoptArena(memory);
  return { memory, offsets };
}

/** Registers an arena memory (a worker's copy of the main thread's) so its views are recognised. */
export function adoptArena(memory: WebAssembly.Memory): void {
  memories.set(memory.buffer, memory);
}

/** The host array of buffer `d` at byte `offset` of an arena. */
export function arenaView(d: BufferDecl, memory: WebAssembly.Memory, offset: number): HostArray {
  const b = memory.buffer;
  return d.host === 'f64' ? new Float64Array(b, offset, d.length) : d.type === 'f32' ? new Float32Array(b, offset, d.length) : new Uint32Array(b, offset, d.length);
}
