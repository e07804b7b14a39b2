/**
 * The shared synaptic Q-table (3 actions x 81 states = 243 values) and its JSON form.
 *
 * In memory: Float32Array of 243, entry (action a, state s) at a*81 + stateIndex(s), i.e. the
 * row-major flattening of Q[a][a_{t-2}][a_{t-1}][R_{t-2}][R_{t-1}]. With R replicas each has its own
 * table at offset r*243 (a frozen policy is simply copied R times).
 *
 * JSON form (the golden table's): { "layout": string, "Q": 3x3x3x3x3 nested arrays }.
 */
import goldenJson from './golden-table.json' with { type: 'json' };
import { NUM_ACTIONS, NUM_STATES } from './packed-state.ts';

/** Entries in one table. */
export const TABLE_SIZE = NUM_ACTIONS * NUM_STATES;

/** Layout string written into saved tables (same words as the golden file). */
export const TABLE_LAYOUT = 'Q[action][a_t-2][a_t-1][R_t-2][R_t-1]; index 0=decrease/-1, 1=hold/0(initial), 2=increase/+1';

/** JSON shape of a saved table. */
export interface QTableJson {
  layout?: string;
  Q: number[][][][][];
}

/** Flat index of (action, a_{t-2}, a_{t-1}, R_{t-2}, R_{t-1}), all codes 0..2. */
export function tableIndex(a: number, a2: number, a1: number, r2: number, r1: number): number {
  return a * 81 + a2 * 27 + a1 * 9 + r2 * 3 + r1;
}

/**
 * Checks a parsed JSON value is a table (object with Q of shape 3x3x3x3x3 of finite numbers) and
 * returns it flattened. Throws Error naming the path of the first problem, e.g. `Q[2][0][1]: ...`.
 */
export function qTableFromJson(value: unknown, source = 'table'): Float32Array {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${source}: expected an object with a "Q" field`);
  }
  const q = (value as { Q?: unknown }).Q;
  if (q === undefined) throw new Error(`${source}: missing "Q" field`);
  const out = new Float32Array(TABLE_SIZE);
  let n = 0;
  const walk = (node: unknown, path: string, depth: number): void => {
    if (depth === 5) {
      if (typeof node !== 'number' || !Number.isFinite(node)) {
        throw new Error(`${source}: ${path} must be a finite number, got ${JSON.stringify(node)}`);
      }
      // The table is f32 on both backends: a value finite in f64 may overflow to Infinity there.
      if (!Number.isFinite(Math.fround(node))) throw new Error(`${source}: ${path} must be finite as a 32-bit float (|x| <= 3.4028235e38), got ${node}`);
      out[n++] = node;
      return;
    }
    if (!Array.isArray(node)) throw new Error(`${source}: ${path} must be an array of length 3`);
    if (node.length !== 3) {
      throw new Error(`${source}: ${path} has length ${node.length}, expected 3`);
    }
    for (let i = 0; i < 3; i++) walk(node[i], `${path}[${i}]`, depth + 1);
  };
  walk(q, 'Q', 0);
  return out;
}

/** The inverse of qTableFromJson (values widened from f32 to JSON numbers). */
export function qTableToJson(table: Float32Array, offset = 0): QTableJson {
  if (table.length < offset + TABLE_SIZE) {
    throw new RangeError(`table: need ${TABLE_SIZE} entries from offset ${offset}, have ${table.length}`);
  }
  let n = offset;
  const level = (depth: number): any => {
    const arr: any[] = [];
    for (let i = 0; i < 3; i++) arr.push(depth === 4 ? table[n++] : level(depth + 1));
    return arr;
  };
  return { layout: TABLE_LAYOUT, Q: level(0) };
}

/** Parses table JSON text (from a file); errors name `source`. */
export function parseQTable(text: string, source = 'table'): Float32Array {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
  }
  return qTableFromJson(value, source);
}

/** Serialises a table (JSON text in the golden layout). */
export function serializeQTable(table: Float32Array, offset = 0): string {
  return JSON.stringify(qTableToJson(table, offset));
}

/** The golden (frozen) table shipped with the package: trained on the boundary task by the authors. */
export function goldenQTable(): Float32Array {
  return qTableFromJson(goldenJson, 'golden-table.json');
}

/** An all-zero table, the start of a table trained from scratch (as in the reference code). */
export function zeroQTable(): Float32Array {
  return new Float32Array(TABLE_SIZE);
}

/** R copies of one table, replica r at offset r*243. */
export function replicateTable(table: Float32Array, replicas: number): Float32Array {
  const out = new Float32Array(replicas * TABLE_SIZE);
  for (let r = 0; r < replicas; r++) out.set(table.subarray(0, TABLE_SIZE), r * TABLE_SIZE);
  return out;
}
