import type { HostArray } from './kernel-def.ts';

/** A named buffer held a NaN or an infinity: the run stops, and the last good checkpoint stays. */
export class NonFiniteError extends Error {
  constructor(
    readonly buffer: string,
    readonly index: number,
    readonly step: number,
  ) {
    super(`non-finite value in buffer '${buffer}' at element ${index}, found after env step ${step}; the last good checkpoint is kept`);
    this.name = 'NonFiniteError';
  }
}

/** Throws NonFiniteError for the first float buffer holding a NaN or an infinity. */
export function checkFinite(arrays: Record<string, HostArray>, step: number): void {
  for (const [name, a] of Object.entries(arrays)) {
    if (a instanceof Uint32Array) continue;
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) throw new NonFiniteError(name, i, step);
  }
}
