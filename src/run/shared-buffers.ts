import type { HostArray } from './kernel-def.ts';
import { hostBuffers, type BufferDecl, type StepProgram } from './program.ts';

/** The host array of a buffer declaration over shared memory (f64 for a `host: 'f64'` scratch buffer). */
export function sharedView(d: BufferDecl, sab: SharedArrayBuffer): HostArray {
  return d.host === 'f64' ? new Float64Array(sab) : d.type === 'f32' ? new Float32Array(sab) : new Uint32Array(sab);
}

/** A step program's host arrays (hostBuffers: initial contents included) moved onto SharedArrayBuffers. */
export function sharedHostBuffers(p: StepProgram): { arrays: Record<string, HostArray>; shared: Record<string, SharedArrayBuffer> } {
  const plain = hostBuffers(p);
  const arrays: Record<string, HostArray> = {};
  const shared: Record<string, SharedArrayBuffer> = {};
  for (const d of p.buffers) {
    const a = plain[d.name]!;
    const sab = new SharedArrayBuffer(a.byteLength);
    const v = sharedView(d, sab);
    v.set(a);
    arrays[d.name] = v;
    shared[d.name] = sab;
  }
  return { arrays, shared };
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
