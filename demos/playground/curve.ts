import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MetricsRecord } from '../../src/run/model.ts';

/** Metrics a curve prefers, in order (episodic rules, synaptic-q, coding-cost). */
const PREFERRED = ['charts/episodic_return', 'validAccuracy', 'accuracy', 'charts/gain', 'loss'];
/** Keys that count or label records rather than measure learning. */
const COUNTERS = new Set(['replica', 'episode', 'iteration', 'step', 'steps', 'length']);
const X_KEYS = ['episode', 'iteration', 'step'];
/** What each x key counts, as a decoder's progress names it. */
const UNIT_OF_KEY: Record<string, string> = { episode: 'episodes', iteration: 'iterations', step: 'steps' };
const UNITS = new Set(Object.values(UNIT_OF_KEY));

/**
 * The live learning curve of any experiment: the first metric of PREFERRED its records carry
 * (else their first numeric field), against episode / iteration / step (else the record's index
 * within its replica), as the mean over the replicas that reported that point, and replica 0. The x
 * axis is labelled in the run's unit (the model decoder's, as the CLI's progress bar names it:
 * episodes, iterations, steps; else what the x key counts). Redrawn at most once per animation frame.
 */
export class LiveCurve {
  metric?: string;
  xKey?: string;
  /** The run's unit, from the model's decoder (`progress().unit`). */
  private unit?: string;
  private readonly points = new Map<number, { sum: number; n: number; first?: number }>();
  private readonly perReplica = new Map<number, number>();
  private chart?: uPlot;
  private queued = false;

  constructor(private readonly el: HTMLElement) {}

  /** Forget the last run; `unit`: what the new run counts (its decoder's progress unit). */
  reset(unit?: string): void {
    this.unit = unit;
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

  /** The x axis title: the run's unit when it counts the records' x, else what the x key counts. */
  get xLabel(): string {
    if (this.unit && UNITS.has(this.unit) && (!this.xKey || UNIT_OF_KEY[this.xKey] === this.unit)) return this.unit;
    return (this.xKey && UNIT_OF_KEY[this.xKey]) ?? this.unit ?? 'records';
  }

  private make(): void {
    const font = '12px system-ui, sans-serif';
    const labelFont = 'bold 13px system-ui, sans-serif';
    this.chart = new uPlot(
      {
        width: Math.max(320, this.el.clientWidth),
        height: 320,
        title: `${this.metric} over ${this.xLabel}`,
        scales: { x: { time: false } },
        axes: [
          { label: this.xLabel, font, labelFont, labelSize: 22 },
          { label: this.metric, font, labelFont, labelSize: 22, size: 60 },
        ],
        series: [
          { label: this.xLabel },
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
