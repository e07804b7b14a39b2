/**
 * A minimal WebAssembly binary writer for the CPU twins' hot loops (src/wasm/kernels.ts): one module
 * of exported functions over one imported memory (`env.mem`, the step program's host arena,
 * src/run/host-arena.ts). Only the instructions those loops use are listed. WebAssembly's f32 and
 * f64 arithmetic is IEEE with round-to-nearest and no fused multiply-add, so a loop written here
 * computes the same bits as the TypeScript twin that rounds with Math.fround after every operation.
 */

export type ValType = 'i32' | 'f32' | 'f64' | 'v128';

const VALTYPE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (i32 range). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const simd = (op: number): number[] => [0xfd, ...uleb(op)];
/** memarg: alignment exponent, offset. */
const mem = (align: number, offset = 0): number[] => [align, ...uleb(offset)];

/** The instructions, each as its bytes (functions take their immediates). */
export const I = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (n: number) => [0x41, ...sleb(n)],
  /** f64.const (little-endian IEEE bits). */
  f64: (x: number) => [0x44, ...new Uint8Array(Float64Array.of(x).buffer)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  i32And: [0x71],
  i32LtU: [0x49],
  i32GeU: [0x4f],
  i32GtU: [0x4b],
  f32Load: (offset = 0) => [0x2a, ...mem(2, offset)],
  f32Store: (offset = 0) => [0x38, ...mem(2, offset)],
  f32Add: [0x92],
  f32Mul: [0x94],
  f64Add: [0xa0],
  f64Mul: [0xa2],
  f64PromoteF32: [0xbb],
  v128Load: (offset = 0) => [...simd(0x00), ...mem(4, offset)],
  v128Store: (offset = 0) => [...simd(0x0b), ...mem(4, offset)],
  /** Two f32 into the low 64 bits (the rest zero). */
  v128Load64Zero: (offset = 0) => [...simd(0x5d), ...mem(3, offset)],
  /** One f32 into all four lanes. */
  v128Load32Splat: (offset = 0) => [...simd(0x09), ...mem(2, offset)],
  /**
   * i8x16.shuffle of two vectors by 32-bit lanes: lane k of the result is lane lanes[k] of a (0-3)
   * or of b (4-7).
   */
  shuffle32: (lanes: readonly [number, number, number, number]) => [...simd(0x0d), ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])],
  /** Replace f32 lane `lane` of a vector with an f32. */
  f32x4ReplaceLane: (lane: number) => [...simd(0x20), lane],
  /** The low 64 bits (lane 0 of i64x2). */
  v128Store64Lane0: (offset = 0) => [...simd(0x5b), ...mem(3, offset), 0],
  f32x4Splat: simd(0x13),
  f64x2Splat: simd(0x14),
  f32x4Sqrt: simd(0xe3),
  f32x4Add: simd(0xe4),
  f32x4Mul: simd(0xe6),
  f32x4Div: simd(0xe7),
  f64x2Sqrt: simd(0xef),
  f64x2Add: simd(0xf0),
  f64x2Mul: simd(0xf2),
  f64x2Div: simd(0xf3),
  /** v128.const from 16 little-endian bytes. */
  v128Const: (bytes: Uint8Array) => [...simd(0x0c), ...bytes],
  /** v128.const f64x2 (both lanes x). */
  f64x2Const: (x: number) => [...simd(0x0c), ...new Uint8Array(Float64Array.of(x, x).buffer)],
  /** v128.const i64x2 (both lanes n, an integer that a double holds exactly). */
  i64x2Const: (n: number) => [...simd(0x0c), ...new Uint8Array(BigInt64Array.of(BigInt(n), BigInt(n)).buffer)],
  /** v128.const i32x4 of four lanes. */
  i32x4Const: (lanes: readonly [number, number, number, number]) => [...simd(0x0c), ...new Uint8Array(Int32Array.from(lanes).buffer)],
  i32x4Splat: simd(0x11),
  i32x4Add: simd(0xae),
  i32x4Mul: simd(0xb5),
  /** i32x4 logical right shift by an i32 count. */
  i32x4ShrU: simd(0xad),
  v128Xor: simd(0x51),
  f32x4Lt: simd(0x43),
  /** i32x4 -> f32x4 (signed, round to nearest). */
  f32x4ConvertI32x4S: simd(0xfa),
  v128And: simd(0x4e),
  v128Or: simd(0x50),
  /** v128.bitselect(a, b, mask): a where mask bits are 1, b elsewhere. */
  v128Bitselect: simd(0x52),
  f64x2Eq: simd(0x47),
  f64x2Lt: simd(0x49),
  f64x2Gt: simd(0x4a),
  f64x2Le: simd(0x4b),
  f64x2Ge: simd(0x4c),
  f64x2Abs: simd(0xec),
  f64x2Neg: simd(0xed),
  f64x2Sub: simd(0xf1),
  f64x2Trunc: simd(0x7a),
  /** The two f64 lanes truncated to i32 lanes 0 and 1 (saturating), lanes 2 and 3 zero. */
  i32x4TruncSatF64x2SZero: simd(0xfc),
  /** i32 lanes 0 and 1 -> f64x2 (exact). */
  f64x2ConvertLowI32x4S: simd(0xfe),
  /** i32 lanes 0 and 1 -> i64x2 (sign-extended). */
  i64x2ExtendLowI32x4S: simd(0xc7),
  /** i64x2 shifts by an i32 count. */
  i64x2Shl: simd(0xcb),
  i64x2ShrS: simd(0xcc),
  i64x2ShrU: simd(0xcd),
  i64x2Add: simd(0xce),
  i64x2Sub: simd(0xd1),
  i64x2Eq: simd(0xd6),
  i64x2LtS: simd(0xd8),
  i64x2GtS: simd(0xd9),
  /** f64x2 -> the two low f32 lanes (round to nearest), the high lanes zero. */
  f32x4DemoteF64x2Zero: simd(0x5e),
  /** The two low f32 lanes -> f64x2 (exact). */
  f64x2PromoteLowF32x4: simd(0x5f),
} as const;

/**
 * `for (; counter < limit; counter += step) body`: counter and limit are i32 locals (limit read
 * every iteration); a `br` inside body must count the two labels this adds.
 */
export function forLoop(counter: number, limit: number, step: number, body: readonly Code[]): Code[] {
  return [[I.block, I.loop], [I.get(counter), I.get(limit), I.i32GeU, I.brIf(1)], ...body, [I.get(counter), I.i32(step), I.i32Add, I.set(counter)], [I.br(0), I.end, I.end]];
}

/** Instructions: bytes, nested to any depth (a function body is written one line per step). */
export type Code = number | readonly Code[];

/** One exported function: its parameters, extra locals (numbered after the parameters) and body (without the final `end`). */
export interface WasmFunction {
  name: string;
  params: ValType[];
  locals: ValType[];
  body: readonly Code[];
}

const flatten = (c: Code): number[] => (typeof c === 'number' ? [c] : c.flatMap(flatten));

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
const name = (s: string): number[] => vec([...new TextEncoder().encode(s)].map((b) => [b]));

/**
 * The module's bytes: functions with no results, exported by name, over the imported memory
 * `env.mem` (shared: declared shared with the largest maximum, as a shared WebAssembly.Memory must be).
 */
export function assembleModule(fns: WasmFunction[], shared: boolean): Uint8Array {
  const types = section(1, vec(fns.map((f) => [0x60, ...vec(f.params.map((t) => [VALTYPE[t]])), 0])));
  const limits = shared ? [0x03, ...uleb(0), ...uleb(65536)] : [0x00, ...uleb(0)];
  const imports = section(2, vec([[...name('env'), ...name('mem'), 0x02, ...limits]]));
  const funcs = section(3, vec(fns.map((_, i) => uleb(i))));
  const exports = section(7, vec(fns.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])));
  const code = section(
    10,
    vec(
      fns.map((f) => {
        const locals = vec(f.locals.map((t) => [1, VALTYPE[t]]));
        const body = [...locals, ...flatten(f.body), 0x0b];
        return [...uleb(body.length), ...body];
      }),
    ),
  );
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...imports, ...funcs, ...exports, ...code]);
}
