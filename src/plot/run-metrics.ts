import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Series } from './chart.ts';

/** One metrics.jsonl line (numbers, strings, booleans; see src/run/model.ts MetricsRecord). */
export type MetricsLine = Record<string, unknown>;

/** The x axis a record is placed on, in order of preference. */
const X_KEYS = ['episode', 'iteration', 'step'] as const;
/** The metric plotted when none is named, in order of preference. */
const DEFAULT_METRICS = ['charts/episodic_return', 'return', 'accuracy', 'validAccuracy', 'loss', 'charts/gain'];
/** Fields that index a record rather than measure something. */
const INDEX_KEYS = new Set<string>([...X_KEYS, 'replica', 'event', 'steps', 'length']);

/** metrics.jsonl of a run directory as records (a line cut short by a kill is dropped). */
export function readRunMetrics(runDir: string): MetricsLine[] {
  const file = join(runDir, 'metrics.jsonl');
  if (!existsSync(file)) return [];
  const out: MetricsLine[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as MetricsLine);
    } catch {
      // the last line of a run killed mid-write
    }
  }
  return out;
}

/** The run's summary.json (or undefined). */
export function readRunSummary(runDir: string): Record<string, unknown> | undefined {
  const file = join(runDir, 'summary.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const xKeyOf = (r: MetricsLine) => X_KEYS.find((k) => typeof r[k] === 'number');

/** Numeric metrics that appear on records with an x axis, most frequent first. */
export function plottableMetrics(records: MetricsLine[]): string[] {
  const count = new Map<string, number>();
  for (const r of records) {
    if (!xKeyOf(r)) continue;
    for (const [k, v] of Object.entries(r)) if (!INDEX_KEYS.has(k) && typeof v === 'number') count.set(k, (count.get(k) ?? 0) + 1);
  }
  return [...count.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
}

/** The metric a run's curves show by default. */
export function defaultMetric(records: MetricsLine[]): string | undefined {
  const have = plottableMetrics(records);
  return DEFAULT_METRICS.find((m) => have.includes(m)) ?? have[0];
}

export type Band = 'minmax' | 'std';

export interface CurveOptions {
  metric: string;
  label: string;
  /** The band over replicas: min to max, or mean +- one standard deviation. */
  band?: Band;
  /** Above this many x values the curve is averaged into this many equal-width bins. */
  maxPoints?: number;
}

/** A curve and what its axes are. */
export interface Curve {
  series: Series;
  xKey: string;
  replicas: number;
  /** Points averaged into each plotted point (1: none). */
  perPoint: number;
}

/**
 * One metric of one run as a series: per replica, the value at each x (records at the same x
 * averaged); over replicas, the mean as the line and the band (min..max or mean +- std) when
 * there are several; binned to at most `maxPoints` x values by averaging.
 */
export function runCurve(records: MetricsLine[], o: CurveOptions): Curve | undefined {
  const rows = records.filter((r) => typeof r[o.metric] === 'number' && Number.isFinite(r[o.metric]) && xKeyOf(r));
  if (!rows.length) return undefined;
  const xKey = xKeyOf(rows[0]!)!;
  // per x, per replica: sum and count
  const byX = new Map<number, Map<number, [number, number]>>();
  const replicaIds = new Set<number>();
  for (const r of rows) {
    const x = r[xKey] as number;
    if (typeof x !== 'number') continue;
    const rep = typeof r.replica === 'number' ? r.replica : 0;
    replicaIds.add(rep);
    let m = byX.get(x);
    if (!m) byX.set(x, (m = new Map()));
    const acc = m.get(rep) ?? [0, 0];
    acc[0] += r[o.metric] as number;
    acc[1] += 1;
    m.set(rep, acc);
  }
  const xs = [...byX.keys()].sort((a, b) => a - b);
  const mean: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  for (const x of xs) {
    const vals = [...byX.get(x)!.values()].map(([s, n]) => s / n);
    const m = vals.reduce((a, b) => a + b, 0) / vals.length;
    mean.push(m);
    if (o.band === 'std') {
      const sd = Math.sqrt(vals.reduce((a, v) => a + (v - m) ** 2, 0) / vals.length);
      lo.push(m - sd);
      hi.push(m + sd);
    } else {
      lo.push(Math.min(...vals));
      hi.push(Math.max(...vals));
    }
  }
  const replicas = replicaIds.size;
  const bins = binned(xs, [mean, lo, hi], o.maxPoints ?? 150);
  const series: Series = { label: o.label, x: bins.x, y: bins.ys[0]! };
  if (replicas > 1) {
    series.lo = bins.ys[1];
    series.hi = bins.ys[2];
  }
  return { series, xKey, replicas, perPoint: bins.perPoint };
}

/** Average columns over equal-width bins of x when there are more than `max` points. */
function binned(x: number[], ys: number[][], max: number): { x: number[]; ys: number[][]; perPoint: number } {
  if (x.length <= max) return { x, ys, perPoint: 1 };
  const x0 = x[0]!;
  const width = (x[x.length - 1]! - x0) / max;
  const sums = new Map<number, { n: number; x: number; y: number[] }>();
  x.forEach((xv, i) => {
    const b = Math.min(max - 1, Math.floor((xv - x0) / width));
    const s = sums.get(b) ?? { n: 0, x: 0, y: ys.map(() => 0) };
    s.n++;
    s.x += xv;
    ys.forEach((col, j) => (s.y[j]! += col[i]!));
    sums.set(b, s);
  });
  const keys = [...sums.keys()].sort((a, b) => a - b);
  return {
    x: keys.map((k) => sums.get(k)!.x / sums.get(k)!.n),
    ys: ys.map((_, j) => keys.map((k) => sums.get(k)!.y[j]! / sums.get(k)!.n)),
    perPoint: Math.round(x.length / keys.length),
  };
}
