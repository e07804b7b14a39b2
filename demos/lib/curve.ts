import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
/** Replicas drawn as their own line; the mean always covers all of them. */
const MAX_DRAWN = 10;

/**
 * A live learning curve (uPlot): each replica's return per episode, and the mean over replicas of
 * each one's trailing-`window` average; a legend, axis titles and ticks.
 */
export class LearningCurve {
  readonly returns: number[][];
  private chart: uPlot;
  private readonly meanMa: number[] = [];

  constructor(
    private readonly el: HTMLElement,
    readonly replicas: number,
    o: { title: string; yTitle: string; window?: number },
  ) {
    this.window = o.window ?? 20;
    this.returns = Array.from({ length: replicas }, () => []);
    const drawn = Math.min(replicas, MAX_DRAWN);
    const series: uPlot.Series[] = [{ label: 'episode' }];
    for (let r = 0; r < drawn; r++) series.push({ label: `replica ${r}`, stroke: PALETTE[r % PALETTE.length] + '99', width: 1, points: { show: false } });
    series.push({ label: `mean over ${replicas} replicas of the trailing-${this.window} average`, stroke: '#111', width: 2.5, points: { show: false } });
    const axisFont = '12px system-ui, sans-serif';
    const labelFont = 'bold 13px system-ui, sans-serif';
    el.replaceChildren();
    this.chart = new uPlot(
      {
        width: Math.max(320, el.clientWidth),
        height: 320,
        title: o.title + (replicas > drawn ? ` (first ${drawn} of ${replicas} replicas drawn)` : ''),
        scales: { x: { time: false } },
        axes: [
          { label: 'episode (per replica)', font: axisFont, labelFont, labelSize: 22 },
          { label: o.yTitle, font: axisFont, labelFont, labelSize: 22, size: 56 },
        ],
        series,
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
      },
      [[]],
      el,
    );
  }
  private readonly window: number;

  add(replica: number, ret: number): void {
    this.returns[replica]?.push(ret);
  }

  /** Mean of the last `n` returns of a replica (NaN before its first episode). */
  recentMean(replica: number, n = 100): number {
    const r = this.returns[replica] ?? [];
    const tail = r.slice(-n);
    return tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : NaN;
  }

  redraw(): number {
    const common = this.returns.reduce((m, r) => Math.min(m, r.length), Infinity);
    for (let e = this.meanMa.length; e < common; e++) {
      let s = 0;
      for (const r of this.returns) {
        const lo = Math.max(0, e + 1 - this.window);
        let t = 0;
        for (let i = lo; i <= e; i++) t += r[i]!;
        s += t / (e + 1 - lo);
      }
      this.meanMa.push(s / this.replicas);
    }
    const len = this.returns.reduce((m, r) => Math.max(m, r.length), 0);
    const pad = (v: readonly number[]) => Array.from({ length: len }, (_, i) => (i < v.length ? v[i]! : null));
    const drawn = Math.min(this.replicas, MAX_DRAWN);
    const data = [Array.from({ length: len }, (_, i) => i + 1), ...this.returns.slice(0, drawn).map(pad), pad(this.meanMa)];
    this.chart.setData(data as uPlot.AlignedData);
    return len;
  }

  resize(): void {
    this.chart.setSize({ width: Math.max(320, this.el.clientWidth), height: 320 });
  }
}
