/**
 * A firing-rate image: one pixel per unit (row-major in a near-square grid, or `cols` wide), its
 * running firing probability in a "hot" map (black -> red -> yellow -> white), folded in from
 * successive readings of the units' activity.
 */
export class RateImage {
  readonly cols: number;
  readonly rows: number;
  readonly rate: Float32Array;
  readbacks = 0;
  private readonly image: ImageData;
  private readonly g: CanvasRenderingContext2D;

  constructor(
    readonly units: number,
    canvas: HTMLCanvasElement,
    cols = Math.ceil(Math.sqrt(units)),
  ) {
    this.cols = Math.max(1, cols);
    this.rows = Math.max(1, Math.ceil(units / this.cols));
    canvas.width = this.cols;
    canvas.height = this.rows;
    this.g = canvas.getContext('2d')!;
    this.image = this.g.createImageData(this.cols, this.rows);
    this.rate = new Float32Array(units);
    this.g.fillStyle = '#000';
    this.g.fillRect(0, 0, this.cols, this.rows);
  }

  /** The side of a square image (the grid's width). */
  get side(): number {
    return this.cols;
  }

  /** Average of the readings so far, then an exponential average over the last ~20. */
  fold(mean: ArrayLike<number>): void {
    const a = Math.max(1 / (this.readbacks + 1), 0.05);
    const r = this.rate;
    for (let i = 0; i < this.units; i++) r[i] = r[i]! + a * (mean[i]! - r[i]!);
    this.readbacks++;
  }

  /** Set the rates outright (rates known in full, e.g. measured over a whole spike train). */
  set(rates: ArrayLike<number>): void {
    this.rate.set(Array.from({ length: this.units }, (_, i) => rates[i] ?? 0));
    this.readbacks++;
  }

  draw(): { lit: number; meanRate: number } {
    const d = this.image.data;
    let lit = 0;
    let s = 0;
    for (let i = 0; i < this.units; i++) {
      const v = this.rate[i]!;
      s += v;
      const o = 4 * i;
      d[o] = Math.min(255, 765 * v);
      d[o + 1] = Math.min(255, Math.max(0, 765 * v - 255));
      d[o + 2] = Math.min(255, Math.max(0, 765 * v - 510));
      d[o + 3] = 255;
      if (v > 1 / 255) lit++;
    }
    this.g.putImageData(this.image, 0, 0);
    return { lit, meanRate: s / this.units };
  }
}
