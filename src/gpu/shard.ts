import { GpuLimitError } from './errors.ts';

/** A contiguous range of a sharded axis (usually neurons). */
export interface Shard {
  start: number;
  count: number;
}

/**
 * Split `total` items into contiguous shards whose buffers each fit in `capBytes`, given how many
 * bytes one item needs in the largest per-shard buffer. `align` keeps shard starts on multiples
 * (e.g. a workgroup). Throws naming the limit when even one aligned group of items does not fit.
 */
export function planShards(total: number, bytesPerItem: number, capBytes: number, align = 1, limitName = 'maxBufferBytes'): Shard[] {
  const perShard = Math.floor(capBytes / bytesPerItem / align) * align;
  if (perShard < 1) throw new GpuLimitError(limitName, capBytes, bytesPerItem * align, `one shard of ${align} item(s)`);
  const out: Shard[] = [];
  for (let start = 0; start < total; start += perShard) out.push({ start, count: Math.min(perShard, total - start) });
  return out;
}

/** Cut a [R, K, N] (k-major) array into the [R, K, count] blocks of each shard of N. */
export function sliceKMajor<T extends Float32Array | Uint32Array>(data: T, R: number, K: number, N: number, s: Shard): T {
  const out = new (data.constructor as { new (n: number): T })(R * K * s.count);
  for (let r = 0; r < R; r++) for (let k = 0; k < K; k++) out.set(data.subarray((r * K + k) * N + s.start, (r * K + k) * N + s.start + s.count), (r * K + k) * s.count);
  return out;
}

/** Inverse of sliceKMajor: write a shard's block back into the full array. */
export function joinKMajor<T extends Float32Array | Uint32Array>(full: T, part: T, R: number, K: number, N: number, s: Shard): void {
  for (let r = 0; r < R; r++) for (let k = 0; k < K; k++) full.set(part.subarray((r * K + k) * s.count, (r * K + k + 1) * s.count), (r * K + k) * N + s.start);
}
