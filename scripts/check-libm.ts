/**
 * One-off exhaustive check of src/wasm/libm.ts through the twins' softplus and sigmoid loops: every
 * f32 value with |x| <= 31 (both signs, subnormals and zeros included), against softplusF32 /
 * sigmoidF32 (Math.exp, Math.log1p). test/wasm/libm.test.ts runs every 64th of these; this runs
 * all (~2.2e9 values, minutes). Prints the count checked and any mismatch; exit 1 on a mismatch.
 *   npx tsx scripts/check-libm.ts
 */
import { sigmoidF32, softplusF32 } from '../src/kernels/chung-critic-cpu.ts';
import { newArena } from '../src/run/host-arena.ts';
import { wasmTwins } from '../src/wasm/kernels.ts';

const CHUNK = 1 << 22;
const arena = newArena({ buffers: ['x', 'a', 'b'].map((name) => ({ name, type: 'f32' as const, length: CHUNK })), reset: [], step: [], metrics: 'x' }, false)!;
const view = (name: string) => new Float32Array(arena.memory.buffer, arena.offsets[name]!, CHUNK);
const [X, A, B] = [view('x'), view('a'), view('b')];
const bits = new Uint32Array(X.buffer, X.byteOffset, CHUNK);
const w = wasmTwins(X)!;
const top = new Uint32Array(Float32Array.of(31).buffer)[0]!;
let checked = 0,
  bad = 0;
const t0 = Date.now();
for (const sign of [0, 0x80000000])
  for (let b0 = 0; b0 <= top; b0 += CHUNK) {
    const n = Math.min(CHUNK, top + 1 - b0);
    for (let i = 0; i < n; i++) bits[i] = (sign | (b0 + i)) >>> 0;
    const m = n - (n % 2);
    w.softplus(X.byteOffset, A.byteOffset, 0, m);
    w.sigmoid(X.byteOffset, B.byteOffset, 0, m);
    for (let i = 0; i < m; i++) {
      const x = X[i]!;
      if (!Object.is(A[i], softplusF32(x)) || !Object.is(B[i], sigmoidF32(x))) {
        if (bad++ < 10) console.log(`mismatch at ${x}: softplus ${A[i]} vs ${softplusF32(x)}, sigmoid ${B[i]} vs ${sigmoidF32(x)}`);
      }
    }
    checked += m;
  }
console.log(`${checked} f32 values checked, ${bad} mismatches, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
process.exit(bad ? 1 : 0);
