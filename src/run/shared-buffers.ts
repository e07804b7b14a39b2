import { arenaView, newArena } from './host-arena.ts';
import type { HostArray } from './kernel-def.ts';
import { hostBuffers, type BufferDecl, type StepProgram } from './program.ts';

/** The host array of a buffer declaration over shared memory (f64 for a `host: 'f64'` scratch buffer). */
export function sharedView(d: BufferDecl, sab: SharedArrayBuffer): HostArray {
  return d.host === 'f64' ? new Float64Array(sab) : d.type === 'f32' ? new Float32Array(sab) : new Uint32Array(sab);
}

/**
 * Where a program's shared host arrays live, as a worker maps them: one shared WebAssembly memory
 * (an arena: each buffer at its byte offset), or one SharedArrayBuffer per buffer.
 */
export type SharedHost = { arena: { memory: WebAssembly.Memory; offsets: Record<string, number> } } | { buffers: Record<string, SharedArrayBuffer> };

/**
 * A step program's host arrays (hostBuffers: initial contents included) in shared memory: a shared
 * arena (src/run/host-arena.ts) where the program fits one (and `useArena`), else a SharedArrayBuffer per buffer.
 */
export function sharedHostBuffers(p: StepProgram, useArena = true): { arrays: Record<string, HostArray>; shared: SharedHost } {
  const arena = useArena ? newArena(p, true) : undefined;
  if (arena) return { arrays: hostBuffers(p, (d) => arenaView(d, arena.memory, arena.offsets[d.name]!)), shared: { arena } };
  const plain = hostBuffers(p);
  const arrays: Record<string, HostArray> = {};
  const buffers: Record<string, SharedArrayBuffer> = {};
  for (const d of p.buffers) {
    const a = plain[d.name]!;
    const sab = new SharedArrayBuffer(a.byteLength);
    const v = sharedView(d, sab);
    v.set(a);
    arrays[d.name] = v;
    buffers[d.name] = sab;
  }
  return { arrays, shared: { buffers } };
}

/** A program's host arrays on this thread: in an arena where it fits one, else one array per buffer. */
export function localHostBuffers(p: StepProgram): Record<string, HostArray> {
  const arena = newArena(p, false);
  return arena ? hostBuffers(p, (d) => arenaView(d, arena.memory, arena.offsets[d.name]!)) : hostBuffers(p);
}

/** The host arrays an op binds, by binding name. */
export function pickArrays(arrays: Record<string, HostArray>, names: Record<string, string>): Record<string, HostArray> {
  const out: Record<string, HostArray> = {};
  for (const [binding, name] of Object.entries(names)) {
    const a = arrays[name];
    if (!a) throw new Error(`binding '${binding}' names buffer '${name}', which the step program does not declare`);
    out[binding] = a;
  }
  return out;
}
