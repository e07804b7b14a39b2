/**
 * A scrolling spike raster: one row per unit, one column per frame (the newest at the right);
 * a unit's value in [0, 1] (a spike is 1) sets the darkness of its cell.
 */
export class SpikeRaster {
  private readonly g: CanvasRenderingContext2D;
  private columns = 0;
  /** Cells with a value above 0.5 drawn so far (tests read it). */
  spikes = 0;
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly colWidth = 3,
  ) {
    this.g = canvas.getContext('2d')!;
    this.clear();
  }

  /** Columns the canvas shows at once. */
  get capacity(): number {
    return Math.floor(this.canvas.width / this.colWidth);
  }

  clear(): void {
    this.g.fillStyle = 'white';
    this.g.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.columns = 0;
    this.spikes = 0;
  }

  push(values: ArrayLike<number>): void {
    const { g, canvas } = this;
    const W = canvas.width,
      H = canvas.height,
      n = values.length;
    if (!n) return;
    const w = this.colWidth;
    // scroll left by one column once the canvas is full
    const x = Math.min(this.columns * w, W - w);
    if (this.columns * w >= W - w) g.drawImage(canvas, w, 0, W - w, H, 0, 0, W - w, H);
    this.columns++;
    const h = H / n;
    g.fillStyle = 'white';
    g.fillRect(x, 0, w, H);
    for (let i = 0; i < n; i++) {
      const v = Math.min(1, Math.max(0, values[i]!));
      if (v <= 0.02) continue;
      if (v > 0.5) this.spikes++;
      g.fillStyle = `rgba(20, 30, 60, ${v.toFixed(2)})`;
      g.fillRect(x, i * h, w, Math.max(1, h - (h > 3 ? 1 : 0)));
    }
  }
}
