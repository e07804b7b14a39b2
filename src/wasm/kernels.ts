/**
 * WebAssembly SIMD forms of the Weight Max CPU twins' hottest loops (src/kernels/chung-critic-cpu.ts,
 * src/kernels/chung-ac-cpu.ts), over arrays that live in the step program's host arena
 * (src/run/host-arena.ts). Each loop does, lane by lane, the operations of its TypeScript form in
 * the same order: f32 lanes where the twin rounds every operation to f32 (the critic), f64 lanes
 * over f32 storage where the twin computes in f64 (the actor), so both give the same bits
 * (test/wasm/kernels.test.ts; the pinned metrics hashes). Where an array is not in an arena, or a
 * length does not fit the lanes, the twins run their TypeScript loops.
 */
import { memoryOf } from '../run/host-arena.ts';
import { assembleModule, type Code, forLoop, I, type ValType, type WasmFunction } from './assemble.ts';
import { EXP_TEMPS, expLanes, LOG1P_TEMPS, log1pLanes } from './libm.ts';

const { get, set } = I;

/**
 * criticAdam(p, e, m, v, n, d, lr, c1, c2, b1, b2, ob1, ob2, eps): n f32 parameters (n % 4 == 0)
 * from byte addresses p, e, m, v, all f32 operations:
 *   g = e d;  m = b1 m + ob1 g;  v = b2 v + (ob2 g) g;  p += (lr (m c1)) / (sqrt(v c2) + eps).
 */
function criticAdam(): WasmFunction {
  const [p, e, m, v, n] = [0, 1, 2, 3, 4];
  const scal = [5, 6, 7, 8, 9, 10, 11, 12, 13]; // d lr c1 c2 b1 b2 ob1 ob2 eps
  const [i, end] = [14, 15];
  const [D, LR, C1, C2, B1, B2, OB1, OB2, EPS] = [16, 17, 18, 19, 20, 21, 22, 23, 24];
  const [g, mi, vi] = [25, 26, 27];
  const at = (base: number) => [get(base), get(i), I.i32Add];
  return {
    name: 'criticAdam',
    params: ['i32', 'i32', 'i32', 'i32', 'i32', ...scal.map((): ValType => 'f32')],
    locals: ['i32', 'i32', ...new Array<ValType>(12).fill('v128')],
    body: [
      scal.map((s, k) => [get(s), I.f32x4Splat, set(D + k)]),
      [get(n), I.i32(2), I.i32Shl, set(end)],
      ...forLoop(i, end, 16, [
        [at(e), I.v128Load(), get(D), I.f32x4Mul, set(g)],
        [at(m), I.v128Load(), get(B1), I.f32x4Mul, get(OB1), get(g), I.f32x4Mul, I.f32x4Add, set(mi)],
        [at(v), I.v128Load(), get(B2), I.f32x4Mul, get(OB2), get(g), I.f32x4Mul, get(g), I.f32x4Mul, I.f32x4Add, set(vi)],
        [at(m), get(mi), I.v128Store()],
        [at(v), get(vi), I.v128Store()],
        [at(p), at(p), I.v128Load()],
        [get(LR), get(mi), get(C1), I.f32x4Mul, I.f32x4Mul],
        [get(vi), get(C2), I.f32x4Mul, I.f32x4Sqrt, get(EPS), I.f32x4Add],
        [I.f32x4Div, I.f32x4Add, I.v128Store()],
      ]),
    ],
  };
}

/**
 * actorAdam(w, eW, uW, mW, vW, reward, rows, F, lr, c1, c2, b1, b2, ob1, ob2, eps): rows x F f32
 * weights (F even), row r's unit reward reward[r]; per weight, f64 arithmetic over f32 storage:
 *   g = f32(e rho) (stored in uW);  m = f32(b1 m + ob1 g);  v = f32(b2 v + (ob2 g) g);
 *   w = f32(w + (lr (m c1)) / (sqrt(v c2) + eps)).
 * actorAdamBias(...): the same for the biases, rows = 1 and parameter k's reward reward[k].
 */
function actorAdam(perParameter = false): WasmFunction {
  const [w, eW, uW, mW, vW, reward, rows, F] = [0, 1, 2, 3, 4, 5, 6, 7];
  const scal = [8, 9, 10, 11, 12, 13, 14, 15]; // lr c1 c2 b1 b2 ob1 ob2 eps
  const [r, k, rowEnd] = [16, 17, 18];
  const RHO = 19;
  const [LR, C1, C2, B1, B2, OB1, OB2, EPS] = [20, 21, 22, 23, 24, 25, 26, 27];
  const [g, gd, mi, vi] = [28, 29, 30, 31];
  const at = (base: number) => [get(base), get(k), I.i32Add];
  const load = (base: number) => [at(base), I.v128Load64Zero(), I.f64x2PromoteLowF32x4];
  const rho = perParameter ? [at(reward), I.v128Load64Zero()] : get(RHO);
  return {
    name: perParameter ? 'actorAdamBias' : 'actorAdam',
    params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', ...scal.map((): ValType => 'f64')],
    locals: ['i32', 'i32', 'i32', ...new Array<ValType>(13).fill('v128')],
    body: [
      scal.map((s, q) => [get(s), I.f64x2Splat, set(LR + q)]),
      ...forLoop(r, rows, 1, [
        perParameter ? [] : [get(reward), get(r), I.i32(2), I.i32Shl, I.i32Add, I.f32Load(), I.f32x4Splat, set(RHO)],
        [get(k), get(F), I.i32(2), I.i32Shl, I.i32Add, set(rowEnd)],
        ...forLoop(k, rowEnd, 8, [
          [at(eW), I.v128Load64Zero(), rho, I.f32x4Mul, set(g)],
          [at(uW), get(g), I.v128Store64Lane0()],
          [get(g), I.f64x2PromoteLowF32x4, set(gd)],
          [load(mW), get(B1), I.f64x2Mul, get(OB1), get(gd), I.f64x2Mul, I.f64x2Add, I.f32x4DemoteF64x2Zero, set(mi)],
          [at(mW), get(mi), I.v128Store64Lane0()],
          [load(vW), get(B2), I.f64x2Mul, get(OB2), get(gd), I.f64x2Mul, get(gd), I.f64x2Mul, I.f64x2Add, I.f32x4DemoteF64x2Zero, set(vi)],
          [at(vW), get(vi), I.v128Store64Lane0()],
          [at(w), load(w)],
          [get(LR), get(mi), I.f64x2PromoteLowF32x4, get(C1), I.f64x2Mul, I.f64x2Mul],
          [get(vi), I.f64x2PromoteLowF32x4, get(C2), I.f64x2Mul, I.f64x2Sqrt, get(EPS), I.f64x2Add],
          [I.f64x2Div, I.f64x2Add, I.f32x4DemoteF64x2Zero, I.v128Store64Lane0()],
        ]),
      ]),
    ],
  };
}

/**
 * criticTrace(eW, x, c, rows, nIn, keep): rows x nIn f32 traces (nIn % 4 == 0), row j's
 * characteristic c[j], f32 operations: eW = keep eW + x c. criticTrace2: the same two lanes at a
 * time (nIn even).
 */
function criticTrace(lanes: 2 | 4 = 4): WasmFunction {
  const [eW, x, c, rows, nIn, keep] = [0, 1, 2, 3, 4, 5];
  const [j, q, rowBytes] = [6, 7, 8];
  const [KEEP, C] = [9, 10];
  const [load, store] = lanes === 4 ? [I.v128Load(), I.v128Store()] : [I.v128Load64Zero(), I.v128Store64Lane0()];
  return {
    name: lanes === 4 ? 'criticTrace' : 'criticTrace2',
    params: ['i32', 'i32', 'i32', 'i32', 'i32', 'f32'],
    locals: ['i32', 'i32', 'i32', 'v128', 'v128'],
    body: [
      [get(keep), I.f32x4Splat, set(KEEP)],
      [get(nIn), I.i32(2), I.i32Shl, set(rowBytes)],
      ...forLoop(j, rows, 1, [
        [get(c), get(j), I.i32(2), I.i32Shl, I.i32Add, I.f32Load(), I.f32x4Splat, set(C)],
        [I.i32(0), set(q)],
        ...forLoop(q, rowBytes, 4 * lanes, [
          [get(eW), get(q), I.i32Add],
          [get(KEEP), get(eW), get(q), I.i32Add, load, I.f32x4Mul],
          [get(x), get(q), I.i32Add, load, get(C), I.f32x4Mul],
          [I.f32x4Add, store],
        ]),
        [get(eW), get(rowBytes), I.i32Add, set(eW)],
      ]),
    ],
  };
}

/**
 * actorTrace(e, x, c, rows, F, decay, scale): rows x F f32 traces (F even) of a dense layer, row j's
 * characteristic c[j], f64 arithmetic over f32 storage: cj = scale c_j; e = f32(decay e + x cj).
 */
function actorTrace(): WasmFunction {
  const [e, x, c, rows, F, decay, scale] = [0, 1, 2, 3, 4, 5, 6];
  const [j, q, rowBytes] = [7, 8, 9];
  const [DECAY, CJ] = [10, 11];
  return {
    name: 'actorTrace',
    params: ['i32', 'i32', 'i32', 'i32', 'i32', 'f64', 'f64'],
    locals: ['i32', 'i32', 'i32', 'v128', 'v128'],
    body: [
      [get(decay), I.f64x2Splat, set(DECAY)],
      [get(F), I.i32(2), I.i32Shl, set(rowBytes)],
      ...forLoop(j, rows, 1, [
        [get(scale), get(c), get(j), I.i32(2), I.i32Shl, I.i32Add, I.f32Load(), I.f64PromoteF32, I.f64Mul, I.f64x2Splat, set(CJ)],
        [I.i32(0), set(q)],
        ...forLoop(q, rowBytes, 8, [
          [get(e), get(q), I.i32Add],
          [get(DECAY), get(e), get(q), I.i32Add, I.v128Load64Zero(), I.f64x2PromoteLowF32x4, I.f64x2Mul],
          [get(x), get(q), I.i32Add, I.v128Load64Zero(), I.f64x2PromoteLowF32x4, get(CJ), I.f64x2Mul],
          [I.f64x2Add, I.f32x4DemoteF64x2Zero, I.v128Store64Lane0()],
        ]),
        [get(e), get(rowBytes), I.i32Add, set(e)],
      ]),
    ],
  };
}

/**
 * weightMaxGather(w, u, out, K, F, n): the Weight Max reward (p = 2) of n units below (n even) from
 * the K x F dense layer above, f64 sums over k ascending of (2 w_ki) u_ki, stored f32 in out.
 */
function weightMaxGather(): WasmFunction {
  const [w, u, out, K, F, n] = [0, 1, 2, 3, 4, 5];
  const [i, k, off, rowBytes] = [6, 7, 8, 9];
  const [acc, TWO] = [10, 11];
  const at = (base: number) => [get(base), get(off), I.i32Add, I.v128Load64Zero(), I.f64x2PromoteLowF32x4];
  return {
    name: 'weightMaxGather',
    params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
    locals: ['i32', 'i32', 'i32', 'i32', 'v128', 'v128'],
    body: [
      [I.f64(2), I.f64x2Splat, set(TWO)],
      [get(F), I.i32(2), I.i32Shl, set(rowBytes)],
      ...forLoop(i, n, 2, [
        [I.f64(0), I.f64x2Splat, set(acc)],
        [get(i), I.i32(2), I.i32Shl, set(off)],
        [I.i32(0), set(k)],
        ...forLoop(k, K, 1, [
          [get(acc), get(TWO), at(w), I.f64x2Mul, at(u), I.f64x2Mul, I.f64x2Add, set(acc)],
          [get(off), get(rowBytes), I.i32Add, set(off)],
        ]),
        [get(out), get(i), I.i32(2), I.i32Shl, I.i32Add, get(acc), I.f32x4DemoteF64x2Zero, I.v128Store64Lane0()],
      ]),
    ],
  };
}

/**
 * The 4 x 4 block of f32 rows a0..a3 (locals) transposed in place: afterwards local a0 + k holds
 * column k, (row0[k], row1[k], row2[k], row3[k]); t0..t3 are scratch.
 */
function transpose4(a: number, t: number): Code[] {
  const A = (k: number) => get(a + k);
  return [
    [A(0), A(1), I.shuffle32([0, 4, 1, 5]), set(t)],
    [A(2), A(3), I.shuffle32([0, 4, 1, 5]), set(t + 1)],
    [A(0), A(1), I.shuffle32([2, 6, 3, 7]), set(t + 2)],
    [A(2), A(3), I.shuffle32([2, 6, 3, 7]), set(t + 3)],
    [get(t), get(t + 1), I.shuffle32([0, 1, 4, 5]), set(a)],
    [get(t), get(t + 1), I.shuffle32([2, 3, 6, 7]), set(a + 1)],
    [get(t + 2), get(t + 3), I.shuffle32([0, 1, 4, 5]), set(a + 2)],
    [get(t + 2), get(t + 3), I.shuffle32([2, 3, 6, 7]), set(a + 3)],
  ];
}

/**
 * The loops of a dense layer's drives, four units j..j+3 at a time (rows of nIn f32 weights from
 * address w; byte counters jb over the units, qb over the inputs): `start` sets the accumulators
 * from the biases at jb, `column(c, xAt)` adds column vector c (w[j..j+3][q]) times input q (xAt:
 * the code of its address), `finish` stores them. Columns come four inputs at a time from a
 * transposed 4 x 4 block, then one at a time for nIn % 4 trailing inputs.
 */
function denseLoops(
  o: { w: number; x: number; nOut: number; nIn: number; jb: number; jEnd: number; qb: number; q4: number; rb: number; wj: number; a: number; t: number },
  start: Code[],
  column: (c: number, xAt: Code[]) => Code[],
  finish: Code[],
): Code[] {
  const { jb, qb, rb, wj, a } = o;
  const row = (k: number): Code[] => [get(wj), get(qb), I.i32Add, ...(k === 0 ? [] : [get(rb), I.i32(k), I.i32Mul, I.i32Add])];
  return [
    [get(o.nIn), I.i32(2), I.i32Shl, set(rb)],
    [get(o.nIn), I.i32(-4), I.i32And, I.i32(2), I.i32Shl, set(o.q4)],
    [get(o.nOut), I.i32(2), I.i32Shl, set(o.jEnd)],
    [get(o.w), set(wj)],
    ...forLoop(jb, o.jEnd, 16, [
      start,
      [I.i32(0), set(qb)],
      ...forLoop(qb, o.q4, 16, [
        [0, 1, 2, 3].map((k) => [row(k), I.v128Load(), set(a + k)]),
        transpose4(a, o.t),
        [0, 1, 2, 3].map((k) => column(a + k, [get(o.x), get(qb), I.i32Add, I.i32(4 * k), I.i32Add])),
      ]),
      ...forLoop(qb, rb, 4, [[row(0), I.v128Load32Splat()], [1, 2, 3].map((k) => [row(k), I.f32Load(), I.f32x4ReplaceLane(k)]), set(a), column(a, [get(o.x), get(qb), I.i32Add])]),
      finish,
      [get(wj), get(rb), I.i32(4), I.i32Mul, I.i32Add, set(wj)],
    ]),
  ];
}

/**
 * criticDense(w, b, x, out, nOut, nIn): the drives of a dense f32 layer (nOut % 4 == 0), all f32
 * operations: out_j = b_j + sum_q w_jq x_q, q ascending (w row-major by unit).
 */
function criticDense(): WasmFunction {
  const [w, b, x, out, nOut, nIn] = [0, 1, 2, 3, 4, 5];
  const [jb, jEnd, qb, q4, rb, wj] = [6, 7, 8, 9, 10, 11];
  const [S, a, t] = [12, 13, 17];
  return {
    name: 'criticDense',
    params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
    locals: [...new Array<ValType>(6).fill('i32'), ...new Array<ValType>(9).fill('v128')],
    body: denseLoops(
      { w, x, nOut, nIn, jb, jEnd, qb, q4, rb, wj, a, t },
      [get(b), get(jb), I.i32Add, I.v128Load(), set(S)],
      (c, xAt) => [get(S), get(c), xAt, I.v128Load32Splat(), I.f32x4Mul, I.f32x4Add, set(S)],
      [get(out), get(jb), I.i32Add, get(S), I.v128Store()],
    ),
  };
}

/**
 * actorDrive(w, b, x, pot, nOut, nIn, temp): a dense Bernoulli layer's potentials (nOut % 4 == 0),
 * f64 sums over f32 storage: s_j = b_j + sum_q w_jq x_q (q ascending), pot_j = f32(s_j / temp).
 */
function actorDrive(): WasmFunction {
  const [w, b, x, pot, nOut, nIn, temp] = [0, 1, 2, 3, 4, 5, 6];
  const [jb, jEnd, qb, q4, rb, wj] = [7, 8, 9, 10, 11, 12];
  const [S01, S23, a, t, XD, T] = [13, 14, 15, 19, 23, 24];
  const high = [I.shuffle32([2, 3, 2, 3])];
  const add = (acc: number, c: number, hi: boolean): Code[] => [get(acc), get(c), ...(hi ? [get(c), high] : []), I.f64x2PromoteLowF32x4, get(XD), I.f64x2Mul, I.f64x2Add, set(acc)];
  return {
    name: 'actorDrive',
    params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'f64'],
    locals: [...new Array<ValType>(6).fill('i32'), ...new Array<ValType>(12).fill('v128')],
    body: [
      [get(temp), I.f64x2Splat, set(T)],
      denseLoops(
        { w, x, nOut, nIn, jb, jEnd, qb, q4, rb, wj, a, t },
        [
          [get(b), get(jb), I.i32Add, I.v128Load(), set(a)],
          [get(a), I.f64x2PromoteLowF32x4, set(S01)],
          [get(a), get(a), high, I.f64x2PromoteLowF32x4, set(S23)],
        ],
        (c, xAt) => [[xAt, I.f32Load(), I.f64PromoteF32, I.f64x2Splat, set(XD)], add(S01, c, false), add(S23, c, true)],
        [
          [get(pot), get(jb), I.i32Add],
          [get(S01), get(T), I.f64x2Div, I.f32x4DemoteF64x2Zero],
          [get(S23), get(T), I.f64x2Div, I.f32x4DemoteF64x2Zero],
          [I.shuffle32([0, 1, 4, 5]), I.v128Store()],
        ],
      ),
    ],
  };
}

/**
 * criticGather(c, w, out, K, F, n): for n units j below (n % 4 == 0) the sums over the K units k
 * of the dense layer above (K x F f32 weights) of f32(c_k w_kj), k ascending, all f32 operations.
 */
function criticGather(): WasmFunction {
  const [c, w, out, K, F, n] = [0, 1, 2, 3, 4, 5];
  const [jb, jEnd, kb, kEnd, rb, wk] = [6, 7, 8, 9, 10, 11];
  const ACC = 12;
  return {
    name: 'criticGather',
    params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
    locals: [...new Array<ValType>(6).fill('i32'), 'v128'],
    body: [
      [get(F), I.i32(2), I.i32Shl, set(rb)],
      [get(n), I.i32(2), I.i32Shl, set(jEnd)],
      [get(K), I.i32(2), I.i32Shl, set(kEnd)],
      ...forLoop(jb, jEnd, 16, [
        [I.f64(0), I.f64x2Splat, set(ACC)],
        [I.i32(0), set(kb)],
        [get(w), get(jb), I.i32Add, set(wk)],
        ...forLoop(kb, kEnd, 4, [
          [get(ACC), get(c), get(kb), I.i32Add, I.v128Load32Splat(), get(wk), I.v128Load(), I.f32x4Mul, I.f32x4Add, set(ACC)],
          [get(wk), get(rb), I.i32Add, set(wk)],
        ]),
        [get(out), get(jb), I.i32Add, get(ACC), I.v128Store()],
      ]),
    ],
  };
}

/**
 * One f32 array in, f32 results out, two at a time in f64 lanes (n even), with locals src, out,
 * (unused), n: `lanes(X, tmp)` maps local X (the two inputs as f64) to the two results as f32 in
 * the low lanes, left on the stack, using v128 locals from tmp on; `store(at, y)` writes them
 * (`at(param)`: that address plus the byte counter; `y`: the results).
 */
function f32Map(name: string, lanes: (X: number, tmp: number) => Code[], store: (at: (base: number) => Code[], y: Code) => Code[]): WasmFunction {
  const [src, , , n, i, end, X, Y, tmp] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const at = (base: number) => [get(base), get(i), I.i32Add];
  return {
    name,
    params: ['i32', 'i32', 'i32', 'i32'],
    locals: ['i32', 'i32', 'v128', 'v128', ...new Array<ValType>(2 + Math.max(EXP_TEMPS, LOG1P_TEMPS)).fill('v128')],
    body: [[get(n), I.i32(2), I.i32Shl, set(end)], ...forLoop(i, end, 8, [[at(src), I.v128Load64Zero(), I.f64x2PromoteLowF32x4, set(X)], lanes(X, tmp), set(Y), store(at, get(Y))])],
  };
}

/** f32(sigmoid(x)) of the f64 lanes of X, the code's sigmoid: 1 / (1 + exp(-x)), exactly 1 from 20 up, 0 from -20 down. */
function sigmoidLanes(X: number, tmp: number): Code[] {
  const [NX, E] = [tmp, tmp + 1];
  return [
    [get(X), I.f64x2Neg, set(NX)],
    [expLanes(NX, tmp + 2), set(E)],
    [I.f64x2Const(1), I.f64x2Const(0), I.f64x2Const(1), I.f64x2Const(1), get(E), I.f64x2Add, I.f64x2Div, get(X), I.f64x2Const(-20), I.f64x2Le, I.v128Bitselect],
    [get(X), I.f64x2Const(20), I.f64x2Ge, I.v128Bitselect, I.f32x4DemoteF64x2Zero],
  ];
}

/** f32(softplus(x)) of the f64 lanes of X, the code's softplus: x above 30, 0 below -30, log1p(exp(x)) between (softplusF32). */
function softplusLanes(X: number, tmp: number): Code[] {
  const [E, T] = [tmp, tmp + 1];
  return [
    [expLanes(X, T), set(E)],
    [log1pLanes(E, T), set(E)],
    [get(X), I.f64x2Const(0), get(E), get(X), I.f64x2Const(-30), I.f64x2Lt, I.v128Bitselect, get(X), I.f64x2Const(30), I.f64x2Gt, I.v128Bitselect],
    I.f32x4DemoteF64x2Zero,
  ];
}

const OUT = 1;
/** softplus(x, out, -, n): out = f32(softplus(x)) for n f32 values (n even), in f64 as softplusF32. */
const softplus = () => f32Map('softplus', softplusLanes, (at, y) => [at(OUT), y, I.v128Store64Lane0()]);
/** sigmoid(x, out, -, n): out = f32(sigmoid(x)) for n f32 values (n even), the code's sigmoid in f64. */
const sigmoid = () => f32Map('sigmoid', sigmoidLanes, (at, y) => [at(OUT), y, I.v128Store64Lane0()]);
/** mulSigmoid(pot, c, -, n): c = f32(c f32(sigmoid(pot))) for n f32 values (n even), the critic's slopes. */
const mulSigmoid = () => f32Map('mulSigmoid', sigmoidLanes, (at, y) => [at(OUT), at(OUT), I.v128Load64Zero(), y, I.f32x4Mul, I.v128Store64Lane0()]);

/** rngMix32 (src/rng/counter-rng.ts) on four u32 lanes: the value on the stack in, the mix left there (`h` a scratch local). */
function mix32Lanes(h: number): Code[] {
  const xorShift = (k: number) => [get(h), get(h), I.i32(k), I.i32x4ShrU, I.v128Xor, set(h)];
  return [
    set(h),
    xorShift(16),
    [get(h), I.i32x4Const([0x7feb352d, 0x7feb352d, 0x7feb352d, 0x7feb352d]), I.i32x4Mul, set(h)],
    xorShift(15),
    [get(h), I.i32x4Const([0x846ca68b | 0, 0x846ca68b | 0, 0x846ca68b | 0, 0x846ca68b | 0]), I.i32x4Mul, set(h)],
    xorShift(16),
    get(h),
  ];
}

/**
 * bernoulliDraw(mean, values, n, prefix, agent0, step): for n units j (n % 4 == 0) with f32 means,
 * values_j = 1 if u_j < mean_j else 0, u_j = rngUniformFrom(prefix, agent0 + j, step) (the
 * counter RNG's 24-bit uniform, exact in f32): every unit explores (Thomas's probability 1).
 */
function bernoulliDraw(): WasmFunction {
  const [mean, values, n, prefix, agent0, step] = [0, 1, 2, 3, 4, 5];
  const [i, end] = [6, 7];
  const [A, P, S, h] = [8, 9, 10, 11];
  return {
    name: 'bernoulliDraw',
    params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
    locals: ['i32', 'i32', 'v128', 'v128', 'v128', 'v128'],
    body: [
      [get(agent0), I.i32x4Splat, I.i32x4Const([0, 1, 2, 3]), I.i32x4Add, set(A)],
      [get(prefix), I.i32x4Splat, set(P)],
      [get(step), I.i32x4Splat, set(S)],
      [get(n), I.i32(2), I.i32Shl, set(end)],
      ...forLoop(i, end, 16, [
        [get(P), get(A), I.v128Xor, mix32Lanes(h), get(S), I.v128Xor, mix32Lanes(h)],
        [I.i32(8), I.i32x4ShrU, I.f32x4ConvertI32x4S, I.v128Const(new Uint8Array(Float32Array.of(2 ** -24, 2 ** -24, 2 ** -24, 2 ** -24).buffer)), I.f32x4Mul],
        [get(mean), get(i), I.i32Add, I.v128Load(), I.f32x4Lt],
        [I.v128Const(new Uint8Array(Float32Array.of(1, 1, 1, 1).buffer)), I.v128And, set(h)],
        [get(values), get(i), I.i32Add, get(h), I.v128Store()],
        [get(A), I.i32x4Const([4, 4, 4, 4]), I.i32x4Add, set(A)],
      ]),
    ],
  };
}

/** actorAdam's arguments: eight addresses and sizes, then eight f64 scalars. */
type ActorAdam = (...args: [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number]) => void;

/** The exported loops (byte addresses into the arena; scalars as described above). */
export interface WasmTwins {
  criticAdam(p: number, e: number, m: number, v: number, n: number, d: number, lr: number, c1: number, c2: number, b1: number, b2: number, ob1: number, ob2: number, eps: number): void;
  /** (w, eW, uW, mW, vW, reward, rows, F, lr, c1, c2, b1, b2, ob1, ob2, eps) */
  actorAdam: ActorAdam;
  /** (b, eB, uB, mB, vB, reward, 1, n, lr, c1, c2, b1, b2, ob1, ob2, eps) */
  actorAdamBias: ActorAdam;
  criticTrace(eW: number, x: number, c: number, rows: number, nIn: number, keep: number): void;
  criticTrace2(eW: number, x: number, c: number, rows: number, nIn: number, keep: number): void;
  actorTrace(e: number, x: number, c: number, rows: number, F: number, decay: number, scale: number): void;
  weightMaxGather(w: number, u: number, out: number, K: number, F: number, n: number): void;
  criticDense(w: number, b: number, x: number, out: number, nOut: number, nIn: number): void;
  actorDrive(w: number, b: number, x: number, pot: number, nOut: number, nIn: number, temp: number): void;
  criticGather(c: number, w: number, out: number, K: number, F: number, n: number): void;
  softplus(x: number, out: number, unused: number, n: number): void;
  sigmoid(x: number, mean: number, unused: number, n: number): void;
  mulSigmoid(pot: number, c: number, unused: number, n: number): void;
  bernoulliDraw(mean: number, values: number, n: number, prefix: number, agent0: number, step: number): void;
}

const FUNCTIONS = [
  criticAdam,
  () => actorAdam(),
  () => actorAdam(true),
  () => criticTrace(),
  () => criticTrace(2),
  actorTrace,
  weightMaxGather,
  criticDense,
  actorDrive,
  criticGather,
  softplus,
  sigmoid,
  mulSigmoid,
  bernoulliDraw,
];
const modules = new Map<boolean, WebAssembly.Module | null>();
const instances = new WeakMap<WebAssembly.Memory, WasmTwins | null>();

function moduleFor(shared: boolean): WebAssembly.Module | null {
  if (!modules.has(shared)) {
    let m: WebAssembly.Module | null = null;
    try {
      m = new WebAssembly.Module(
        assembleModule(
          FUNCTIONS.map((f) => f()),
          shared,
        ) as BufferSource,
      );
    } catch {
      m = null; // no WebAssembly SIMD here: the TypeScript loops run
    }
    modules.set(shared, m);
  }
  return modules.get(shared)!;
}

/**
 * The loops over the arena holding every given array (null when WebAssembly is unavailable or an
 * array is not in one arena: the caller runs its TypeScript loop).
 */
export function wasmTwins(...arrays: ArrayBufferView[]): WasmTwins | null {
  if (typeof WebAssembly === 'undefined' || arrays.length === 0) return null;
  const memory = memoryOf(arrays[0]!.buffer);
  if (!memory || arrays.some((a) => a.buffer !== arrays[0]!.buffer)) return null;
  let t = instances.get(memory);
  if (t === undefined) {
    const mod = moduleFor(typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer);
    t = mod ? (new WebAssembly.Instance(mod, { env: { mem: memory } }).exports as unknown as WasmTwins) : null;
    instances.set(memory, t);
  }
  return t;
}
