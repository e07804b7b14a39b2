/**
 * A helper thread for the scatter walk (chung-scatter-cpu.ts) of a big sparse layer: while the
 * calling thread adds tile after tile (pass 2, the f64 sums in the reference's order), the helper
 * runs pass 1 (the SGD steps and the terms) of the tiles ahead of it, into a ring of tile slots in
 * shared memory. Each tile's pass 1 is claimed by whichever thread gets to it first (the caller
 * claims the tile it is about to sum), so the caller never waits for a helper that the scheduler
 * has paused (on a busy host it then runs alone, at one thread's speed) and only waits for a tile
 * the helper is in the middle of. Every tile's arithmetic is the one-thread walk's, and pass 2
 * stays in order on one thread, so the result is bit-identical to one thread. Used by the CPU
 * executor's twins when it runs with `run.workers` > 1 over shared memory (src/run/executor-cpu.ts),
 * for walks of at least TEAM_MIN_TILES tiles.
 *
 * Shared words: ctrl[GO] counts walks (the helper starts one when it changes; -1 stops it),
 * ctrl[DONE] counts tiles the caller has summed (a slot is free again once its tile is summed),
 * ctrl[FAILED] is set by a helper that threw; claim[tile] = the number of the walk whose pass 1 of
 * that tile has been claimed; ready[slot] = tile + 1 once pass 1 of that tile is in the slot.
 */
import type { Worker } from 'node:worker_threads';
import { scatterSums, scatterTerms, scatterTiles, tileUnits, type ScatterWalk } from './chung-scatter-cpu.ts';

/** Walks with fewer tiles run on one thread. */
export const TEAM_MIN_TILES = 32;
/** Tile slots in the ring (pass 1 may run this many tiles ahead of pass 2). */
const RING = 64;
const GO = 0,
  DONE = 1,
  FAILED = 2;
/** How long the caller waits for the helper's next tile before it gives up (ms). */
const STALL_MS = 120_000;

const builtin = <T>(name: string): T | undefined => (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process?.getBuiltinModule?.(name) as T | undefined;

/** What the helper thread gets. */
interface HelperInit {
  walk: Omit<ScatterWalk, 'theta' | 'charac' | 'reward' | 'x' | 'pre'>;
  arrays: Record<'theta' | 'charac' | 'reward' | 'x' | 'pre', { buffer: SharedArrayBuffer; byteOffset: number; length: number }>;
  ctrl: SharedArrayBuffer;
  ready: SharedArrayBuffer;
  claim: SharedArrayBuffer;
  terms: SharedArrayBuffer;
  units: SharedArrayBuffer;
}

/** Claim pass 1 of tile g for walk `walk` (true: this thread runs it). */
const claimTile = (claim: Int32Array, g: number, walk: number) => Atomics.compareExchange(claim, g, walk - 1, walk) === walk - 1;

/** Whether a walk over these arrays can have a helper: shared memory, enough tiles, and Node's worker threads. */
export function teamFits(w: ScatterWalk): boolean {
  const shared = [w.theta, w.charac, w.reward, w.x, w.pre].every((a) => a.buffer instanceof SharedArrayBuffer);
  return shared && scatterTiles(w) >= TEAM_MIN_TILES && builtin('node:worker_threads') !== undefined;
}

/** The caller's side: one helper thread for one walk's arrays. */
export class ScatterTeam {
  private readonly worker: Worker;
  private readonly ctrl: Int32Array;
  private readonly ready: Int32Array;
  private readonly claim: Int32Array;
  private readonly terms: Float64Array;
  private readonly units: Uint32Array;
  private readonly slot: number;

  constructor(private readonly w: ScatterWalk) {
    this.slot = tileUnits(w) * w.F;
    const sab = (bytes: number) => new SharedArrayBuffer(bytes);
    const init: HelperInit = {
      walk: { replicas: w.replicas, N: w.N, Na: w.Na, F: w.F, p: w.p, lr: w.lr, C: w.C, chunk: w.chunk },
      arrays: {
        theta: view(w.theta),
        charac: view(w.charac),
        reward: view(w.reward),
        x: view(w.x),
        pre: view(w.pre),
      },
      ctrl: sab(16),
      ready: sab(4 * RING),
      claim: sab(4 * scatterTiles(w)),
      terms: sab(8 * RING * this.slot),
      units: sab(4 * RING * this.slot),
    };
    this.ctrl = new Int32Array(init.ctrl);
    this.ready = new Int32Array(init.ready);
    this.claim = new Int32Array(init.claim);
    this.terms = new Float64Array(init.terms);
    this.units = new Uint32Array(init.units);
    const { Worker } = builtin<typeof import('node:worker_threads')>('node:worker_threads')!;
    this.worker = new Worker(new URL('./chung-scatter-helper-boot.mjs', import.meta.url), { workerData: init });
    this.worker.unref();
  }

  /** One walk: pass 1 of the tiles the helper claims on the helper, the rest and every pass 2 here, in tile order. */
  run(total: Float64Array, partial: Float32Array): void {
    const { ctrl, ready, claim, terms, units, slot, w } = this;
    const G = scatterTiles(w);
    ready.fill(0);
    Atomics.store(ctrl, DONE, 0);
    const walk = Atomics.add(ctrl, GO, 1) + 1;
    Atomics.notify(ctrl, GO);
    for (let g = 0; g < G; g++) {
      const off = (g % RING) * slot;
      if (!claimTile(claim, g, walk)) {
        let since = performance.now();
        for (;;) {
          const v = Atomics.load(ready, g % RING);
          if (v === g + 1) break;
          if (Atomics.load(ctrl, FAILED)) throw new Error('the scatter walk helper thread failed (its error is on stderr)');
          if (Atomics.wait(ready, g % RING, v, 1000) === 'timed-out' && performance.now() - since > STALL_MS)
            throw new Error(`the scatter walk helper thread made no progress for ${STALL_MS / 1000} s`);
          if (Atomics.load(ready, g % RING) !== v) since = performance.now();
        }
      } else scatterTerms(w, g, terms, units, off);
      scatterSums(w, g, terms, units, off, total, partial);
      Atomics.store(ctrl, DONE, g + 1);
      Atomics.notify(ctrl, DONE);
    }
  }

  destroy(): void {
    Atomics.store(this.ctrl, GO, -1);
    Atomics.notify(this.ctrl, GO);
    void this.worker.terminate();
  }
}

const view = (a: Float32Array | Uint32Array) => ({ buffer: a.buffer as SharedArrayBuffer, byteOffset: a.byteOffset, length: a.length });

/** The helper thread's body (chung-scatter-helper-boot.mjs): pass 1 of its tiles of every walk, until stopped. */
export function startScatterHelper(): void {
  const { workerData } = builtin<typeof import('node:worker_threads')>('node:worker_threads')!;
  const init = workerData as HelperInit;
  const a = init.arrays;
  const w: ScatterWalk = {
    ...init.walk,
    theta: new Float32Array(a.theta.buffer, a.theta.byteOffset, a.theta.length),
    charac: new Float32Array(a.charac.buffer, a.charac.byteOffset, a.charac.length),
    reward: new Float32Array(a.reward.buffer, a.reward.byteOffset, a.reward.length),
    x: new Float32Array(a.x.buffer, a.x.byteOffset, a.x.length),
    pre: new Uint32Array(a.pre.buffer, a.pre.byteOffset, a.pre.length),
  };
  const ctrl = new Int32Array(init.ctrl),
    ready = new Int32Array(init.ready),
    claim = new Int32Array(init.claim),
    terms = new Float64Array(init.terms),
    units = new Uint32Array(init.units);
  const slot = tileUnits(w) * w.F,
    G = scatterTiles(w);
  let walks = 0;
  try {
    for (;;) {
      Atomics.wait(ctrl, GO, walks);
      const go = Atomics.load(ctrl, GO);
      if (go < 0) return;
      walks = go;
      for (let g = 0; g < G; g++) {
        // The slot is free once the caller has summed tile g - RING.
        for (let d = Atomics.load(ctrl, DONE); d < g - RING + 1; d = Atomics.load(ctrl, DONE)) {
          if (Atomics.load(ctrl, GO) !== walks) break;
          Atomics.wait(ctrl, DONE, d, 1000);
        }
        if (Atomics.load(ctrl, GO) !== walks) break;
        if (!claimTile(claim, g, walks)) continue;
        scatterTerms(w, g, terms, units, (g % RING) * slot);
        Atomics.store(ready, g % RING, g + 1);
        Atomics.notify(ready, g % RING);
      }
    }
  } catch (e) {
    Atomics.store(ctrl, FAILED, 1);
    Atomics.notify(ready, 0, Infinity);
    for (let s = 0; s < RING; s++) Atomics.notify(ready, s);
    throw e;
  }
}
