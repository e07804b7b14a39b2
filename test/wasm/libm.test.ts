import { describe, expect, it } from 'vitest';
import { sigmoidF32, softplusF32 } from '../../src/kernels/chung-critic-cpu.ts';
import { newArena } from '../../src/run/host-arena.ts';
import { wasmTwins } from '../../src/wasm/kernels.ts';

/**
 * The WebAssembly lane forms of V8's fdlibm exp and log1p (src/wasm/libm.ts) inside the twins'
 * softplus and sigmoid loops give Math's bits: every 64th f32 value with |x| <= 40 (every value
 * near 0 down to 2^-60 and the subnormals included, the clamps at 20 and 30 and both sides of
 * fdlibm's branch points; infinities as Math gives them, NaN to NaN), through softplus, sigmoid and
 * mulSigmoid.
 */
const f = Math.fround;

function inputs(): Float32Array {
  const bits: number[] = [];
  const top = new Uint32Array(Float32Array.of(40).buffer)[0]!;
  for (let b = 0; b <= top; b += 64) bits.push(b, (b | 0x80000000) >>> 0);
  const edges = [Infinity, -Infinity, Number.NaN, 0, -0, 1, -1, 20, -20, 30, -30, Math.LN2 / 2, 1.5 * Math.LN2, 2 ** -28, 2 ** -29, 2 ** -54, 1e-45, Math.SQRT2 - 1, Math.SQRT2, 0.4142135];
  const out = new Float32Array(bits.length + 2 * 2 * edges.length * 9);
  out.set(new Float32Array(Uint32Array.from(bits).buffer));
  let k = bits.length;
  const u = new Uint32Array(1),
    g = new Float32Array(u.buffer);
  for (const e of edges)
    for (const s of [1, -1]) {
      g[0] = s * e;
      const b0 = u[0]!;
      for (let d = -4; d <= 4; d++) {
        u[0] = b0 + d;
        out[k++] = g[0]!;
        u[0] = b0;
        out[k++] = Math.log(1 + Math.abs(g[0]!) + d * 1e-7); // log of (near) 1 + x: exp of it lands near fdlibm's log1p branch points
      }
    }
  return out;
}

describe('fdlibm exp and log1p on WebAssembly lanes', () => {
  it('softplus, sigmoid and mulSigmoid equal Math-based softplusF32 / sigmoidF32 bit for bit', () => {
    const x = inputs();
    const n = x.length - (x.length % 2);
    const arena = newArena({ buffers: ['x', 'a', 'b', 'c'].map((name) => ({ name, type: 'f32', length: n })), reset: [], step: [], metrics: 'x' }, false)!;
    const view = (name: string) => new Float32Array(arena.memory.buffer, arena.offsets[name]!, n);
    const [X, A, B, Cc] = ['x', 'a', 'b', 'c'].map(view) as [Float32Array, Float32Array, Float32Array, Float32Array];
    X.set(x.subarray(0, n));
    for (let i = 0; i < n; i++) Cc[i] = ((i * 7919) % 2001) / 1000 - 1;
    const c0 = Cc.slice();
    const w = wasmTwins(X)!;
    expect(w).not.toBeNull();
    const bad = (what: string, got: Float32Array, want: (i: number) => number) => {
      const out: string[] = [];
      for (let i = 0; i < n && out.length < 5; i++)
        if (!Object.is(got[i], want(i)) && !(Number.isNaN(got[i]) && Number.isNaN(want(i)))) out.push(`${what}(${X[i]}) = ${got[i]}, Math gives ${want(i)}`);
      return out;
    };
    B.fill(7);
    w.softplus(X.byteOffset, A.byteOffset, 0, n);
    expect(bad('softplus', A, (i) => softplusF32(X[i]!))).toEqual([]);
    expect(B.every((v) => v === 7)).toBe(true); // nothing written beside the output
    w.sigmoid(X.byteOffset, A.byteOffset, 0, n);
    expect(bad('sigmoid', A, (i) => sigmoidF32(X[i]!))).toEqual([]);
    w.mulSigmoid(X.byteOffset, Cc.byteOffset, 0, n);
    expect(bad('c sigmoid', Cc, (i) => f(c0[i]! * sigmoidF32(X[i]!)))).toEqual([]);
    expect(n).toBeGreaterThan(34_000_000);
  }, 120_000);
});
