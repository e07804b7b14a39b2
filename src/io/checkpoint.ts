/**
 * A binary container for training checkpoints: a JSON header plus named typed arrays, so long runs
 * can stop and go on (another process, another machine, another backend) bit for bit.
 *
 * Layout (little-endian):
 *   0   'HDCK'                      magic
 *   4   u32 container version (1)
 *   8   u32 header byte length H
 *   12  H bytes of UTF-8 JSON: { kind, ...fields, arrays: [{ name, type, length }] }
 *   then each array in header order, starting at an 8-byte aligned offset.
 * No file access here (browser-safe); src/cli/checkpoint-files.ts reads and writes them.
 */

const MAGIC = 0x4b434448; // 'HDCK' read as a little-endian u32
const CONTAINER_VERSION = 1;

export type CheckpointArray = Float32Array | Uint32Array | Int32Array | Uint8Array;
type ArrayType = 'f32' | 'u32' | 'i32' | 'u8';

const CTORS = { f32: Float32Array, u32: Uint32Array, i32: Int32Array, u8: Uint8Array } as const;

function typeOf(a: CheckpointArray): ArrayType {
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Uint32Array) return 'u32';
  if (a instanceof Int32Array) return 'i32';
  return 'u8';
}

const align8 = (n: number) => (n + 7) & ~7;

export interface CheckpointParts {
  /** What the checkpoint holds (e.g. 'synq-mnist'); checked on load. */
  kind: string;
  /** JSON-serialisable fields. */
  header: Record<string, unknown>;
  arrays: Record<string, CheckpointArray>;
}

export function encodeCheckpoint(p: CheckpointParts): Uint8Array {
  const entries = Object.entries(p.arrays);
  const meta = entries.map(([name, a]) => ({ name, type: typeOf(a), length: a.length }));
  const json = new TextEncoder().encode(JSON.stringify({ ...p.header, kind: p.kind, arrays: meta }));
  let size = align8(12 + json.length);
  const offsets = entries.map(([, a]) => {
    const o = size;
    size = align8(size + a.byteLength);
    return o;
  });
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, CONTAINER_VERSION, true);
  dv.setUint32(8, json.length, true);
  out.set(json, 12);
  entries.forEach(([, a], i) => out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offsets[i]));
  return out;
}

/** Parses a checkpoint; `source` names it in errors. Throws when it is not one, or is cut short, or holds another kind. */
export function decodeCheckpoint(bytes: Uint8Array, expectedKind: string, source = 'checkpoint'): CheckpointParts {
  const bad = (why: string) => new Error(`${source}: ${why}`);
  if (bytes.length < 12) throw bad(`not a hedonist checkpoint (${bytes.length} bytes)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw bad("not a hedonist checkpoint (no 'HDCK' magic)");
  const version = dv.getUint32(4, true);
  if (version !== CONTAINER_VERSION) throw bad(`checkpoint container version ${version}; this build reads version ${CONTAINER_VERSION}`);
  const hlen = dv.getUint32(8, true);
  if (12 + hlen > bytes.length) throw bad('header cut short (truncated file)');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + hlen)));
  } catch (e) {
    throw bad(`header is not JSON (${(e as Error).message})`);
  }
  if (header.kind !== expectedKind) throw bad(`holds a '${String(header.kind)}' checkpoint, expected '${expectedKind}'`);
  const meta = header.arrays as { name: string; type: ArrayType; length: number }[];
  delete header.arrays;
  delete header.kind;
  const arrays: Record<string, CheckpointArray> = {};
  let off = align8(12 + hlen);
  for (const m of meta) {
    const Ctor = CTORS[m.type];
    if (!Ctor) throw bad(`array '${m.name}' has unknown type '${m.type}'`);
    const n = m.length * Ctor.BYTES_PER_ELEMENT;
    if (off + n > bytes.length) throw bad(`array '${m.name}' cut short (truncated file)`);
    // Copy out (a Node Buffer's slice() shares its pool, so .buffer would be the whole pool).
    arrays[m.name] = new Ctor(new Uint8Array(bytes.subarray(off, off + n)).buffer);
    off = align8(off + n);
  }
  return { kind: expectedKind, header, arrays };
}
