import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MetricsRecord } from '../../src/run/model.ts';

/** Metrics a curve prefers, in order (episodic rules, synaptic-q, coding-cost). */
const PREFERRED = ['charts/episodic_return', 'validAccuracy', 'accuracy', 'charts/gain', 'loss'];
/** Keys that count or label records rather than measure learning. */
const COUNTERS = new Set(['replica', 'episode', 'iteration', 'step', 'steps', 'length']);
const X_KEYS = ['episode', 'iteration', 'step'];

/**
 * The live learning curve of any experiment: the first metric of PREFERRED its records carry
 * (else their first numeric field), against episode / iteration / step (else the record's index
 * within its replica), as the mean over the replicas that reported that point, and replica 0.
 * Redrawn at most once per animation frame.
 */
export class LiveCurve {
  metric?: string;
  xKey?: string;
  private readonly points = new Map<number, { sum: number; n: number; first?: number }>();
  private readonly perReplica = new Map<number, number>();
  private chart?: uPlot;
  private queued = false;

  constructor(private readonly el: HTMLElement) {}

  reset(): void {
    this.metric = this.xKey = undefined;
    this.points.clear();
    this.perReplica.clear();
    this.chart?.destroy();
    this.chart = undefined;
    this.el.replaceChildren();
  }

  /** Points on the curve so far. */
  get size(): number {
    return this.points.size;
  }

  add(r: MetricsRecord): void {
    if (this.metric === undefined) {
      const numeric = Object.keys(r).filter((k) => typeof r[k] === 'number' && !COUNTERS.has(k));
      this.metric = PREFERRED.find((k) => typeof r[k] === 'number') ?? numeric[0];
      if (this.metric === undefined) return;
      this.xKey = X_KEYS.find((k) => typeof r[k] === 'number');
      this.make();
    }
    const y = r[this.metric];
    if (typeof y !== 'number' || !Number.isFinite(y)) return;
    const replica = typeof r.replica === 'number' ? r.replica : 0;
    const index = (this.perReplica.get(replica) ?? 0) + 1;
    this.perReplica.set(replica, index);
    const x = this.xKey && typeof r[this.xKey] === 'number' ? (r[this.xKey] as number) : index;
    const p = this.points.get(x) ?? { sum: 0, n: 0 };
    p.sum += y;
    p.n++;
    if (replica === 0) p.first = y;
    this.points.set(x, p);
    this.queue();
  }

  private make(): void {
    const font = '12px system-ui, sans-serif';
    const labelFont = 'bold 13px system-ui, sans-serif';
    this.chart = new uPlot(
      {
        width: Math.max(320, this.el.clientWidth),
        height: 320,
        title: `${this.metric} per ${this.xKey ?? 'record'}`,
        scales: { x: { time: false } },
        axes: [
          { label: this.xKey ?? 'record', font, labelFont, labelSize: 22 },
          { label: this.metric, font, labelFont, labelSize: 22, size: 60 },
        ],
        series: [
          { label: this.xKey ?? 'record' },
          { label: 'mean over replicas', stroke: '#d62728', width: 2, points: { show: false } },
          { label: 'replica 0', stroke: '#1f77b488', width: 1, points: { show: false } },
        ],
        cursor: { drag: { x: false, y: false } },
      },
      [[], [], []],
      this.el,
    );
  }

  private queue(): void {
    if (this.queued) return;
    this.queued = true;
    requestAnimationFrame(() => this.draw());
  }

  /** Redraw now (also after the run ends, so the last points are on the canvas). */
  draw(): void {
    this.queued = false;
    if (!this.chart) return;
    const xs = [...this.points.keys()].sort((a, b) => a - b);
    const mean = xs.map((x) => this.points.get(x)!.sum / this.points.get(x)!.n);
    const first = xs.map((x) => this.points.get(x)!.first ?? null);
    this.chart.setData([xs, mean, first] as uPlot.AlignedData);
  }
}
