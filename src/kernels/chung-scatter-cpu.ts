/**
 * The scatter Weight Max gather's CPU walk in tiles (the twins of chung-unit-reward 'weightmax-scatter'
 * and chung-sgd-scatter, src/kernels/chung-cpu.ts): per tile of above units, pass 1 walks the tile's
 * synapses along each k-major row q (memory order; rows lie N_above words apart, so walking q within
 * one unit would hit the same cache sets F times), takes each weight's SGD step when the walk has one,
 * and keeps every synapse's term and below unit; pass 2 adds the tile's terms in (k, q) order, the
 * order of the reference's outgoing (CSR) lists, and takes the biases' steps. Pass 1 of a tile only
 * touches that tile's words, so tiles' pass 1 may run on any thread (chung-scatter-team.ts); pass 2
 * runs tile after tile on one thread, so the f64 sums are the reference's bit for bit.
 */
import { normGrad } from '../chung/learning.ts';

const f = Math.fround;

/** Above units per tile. */
export const SCATTER_TILE = 128;

/** One scatter walk: the shapes, the update, and the arrays it reads and writes. */
export interface ScatterWalk {
  replicas: number;
  /** Units of the layer below (whose reward is gathered). */
  N: number;
  /** Units and fan-in of the sparse layer above. */
  Na: number;
  F: number;
  /** Weight Max norm p. */
  p: number;
  /** The above layer's SGD step (chung-sgd-scatter), or null (the gather alone). */
  lr: number | null;
  /** Blocks of the partials and above units per block. */
  C: number;
  chunk: number;
  theta: Float32Array;
  charac: Float32Array;
  reward: Float32Array;
  x: Float32Array;
  pre: Uint32Array;
}

/** Above units per tile of a walk. */
export const tileUnits = (w: ScatterWalk): number => Math.min(SCATTER_TILE, w.Na);

/** Tiles of a walk: tile g is replica floor(g / T), above units from (g mod T) * tileUnits, T tiles per replica. */
export const scatterTiles = (w: ScatterWalk): number => w.replicas * Math.ceil(w.Na / tileUnits(w));

/** Where tile g lies: replica r, above units [k0, k0 + n), and the replica's bases in theta, x and the above units' arrays. */
function tileAt(w: ScatterWalk, g: number): { r: number; k0: number; n: number; wb: number; xb: number; ab: number } {
  const KT = tileUnits(w),
    T = Math.ceil(w.Na / KT);
  const r = Math.floor(g / T),
    k0 = (g - r * T) * KT;
  return { r, k0, n: Math.min(KT, w.Na - k0), wb: r * (w.F + 1) * w.Na, xb: r * w.N, ab: r * w.Na };
}

/** Pass 1 of tile g: the weights' SGD steps (if any), each synapse's term and below unit into terms / units from `off` (t * F + q). */
export function scatterTerms(w: ScatterWalk, g: number, terms: Float64Array, units: Uint32Array, off: number): void {
  const { Na, F, p, theta, charac, reward, x, pre } = w;
  const { k0, n, wb, xb, ab: a0 } = tileAt(w, g);
  const ab = a0 + k0;
  const p2 = p === 2,
    step = w.lr !== null,
    lr32 = f(w.lr ?? 0);
  for (let q = 0; q < F; q++) {
    const row = q * Na + k0;
    for (let t = 0; t < n; t++) {
      const s = row + t,
        i = pre[s]!;
      const u = f(f(x[xb + i]! * charac[ab + t]!) * reward[ab + t]!);
      let v = theta[wb + s]!;
      if (step) theta[wb + s] = v = f(v + f(lr32 * u));
      terms[off + t * F + q] = (p2 ? 2 * v : normGrad(v, p)) * u;
      units[off + t * F + q] = i;
    }
  }
}

/** Pass 2 of tile g: its terms (pass 1's, from `off`) added in (k, q) order into the f64 totals and the f32 block partials; the biases' SGD steps. */
export function scatterSums(w: ScatterWalk, g: number, terms: Float64Array, units: Uint32Array, off: number, total: Float64Array, partial: Float32Array): void {
  const { Na, F, N, C, chunk, theta, charac, reward } = w;
  const { r, k0, n, wb, xb, ab } = tileAt(w, g);
  const lr32 = f(w.lr ?? 0);
  for (let t = 0; t < n; t++) {
    const k = k0 + t;
    const block = (r * C + Math.floor(k / chunk)) * N;
    for (let q = off + t * F; q < off + (t + 1) * F; q++) {
      const i = units[q]!,
        term = terms[q]!;
      total[xb + i] += term;
      partial[block + i] = partial[block + i]! + term;
    }
    if (w.lr !== null) theta[wb + F * Na + k] = f(theta[wb + F * Na + k]! + f(lr32 * f(f(charac[ab + k]!) * reward[ab + k]!)));
  }
}
