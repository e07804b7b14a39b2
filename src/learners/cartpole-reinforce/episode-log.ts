/**
 * Turns the device's episode log ([count x R | return x R x cap], returns as f32 bits) into
 * per-replica return lists, episode by episode, as readbacks arrive. Keeps only the first
 * `episodes` per replica; throws if the ring overflowed between two readbacks.
 */
export class EpisodeLog {
  readonly returns: number[][];
  private readonly seen: number[];
  constructor(
    readonly replicas: number,
    readonly cap: number,
    readonly episodes: number,
    private readonly onEpisode?: (replica: number, episode: number, ret: number) => void,
  ) {
    this.returns = Array.from({ length: replicas }, () => []);
    this.seen = new Array(replicas).fill(0);
  }

  ingest(metrics: Uint32Array): void {
    const R = this.replicas;
    const asF32 = new Float32Array(metrics.buffer, metrics.byteOffset, metrics.length);
    for (let r = 0; r < R; r++) {
      const count = metrics[r]!;
      if (count - this.seen[r]! > this.cap) {
        throw new Error(`episode log overflow: replica ${r} finished ${count - this.seen[r]!} episodes between readbacks (cap ${this.cap}); lower stepsPerSubmit`);
      }
      for (let e = this.seen[r]!; e < count; e++) {
        if (this.returns[r]!.length >= this.episodes) break;
        const ret = asF32[R + r * this.cap + (e % this.cap)]!;
        this.returns[r]!.push(ret);
        this.onEpisode?.(r, e, ret);
      }
      this.seen[r] = count;
    }
  }

  get done(): boolean {
    return this.returns.every((x) => x.length >= this.episodes);
  }

  /** Episodes logged so far over all replicas. */
  get total(): number {
    return this.returns.reduce((s, x) => s + x.length, 0);
  }
}

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

export function std(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
}
