import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { meanStd } from '../ott/summary.ts';
import { writeAtomic, type ManifestCell, type SweepDir } from './dir.ts';

/** One statistic over a cell's seeds. */
export interface Stat {
  mean: number;
  /** Sample standard deviation (n - 1); 0 for one seed. */
  std: number;
  min: number;
  max: number;
}

/** One row of the table: a point of the axes grid, summarised over its seeds. */
export interface TableRow {
  axes: Record<string, string>;
  /** Seeds whose run is done / seeds in the cell. */
  done: number;
  seeds: number;
  stats: Record<string, Stat | null>;
}

/** A learning curve per point: x, and over seeds the mean and mean -+ std of the (smoothed) per-seed curves. */
export interface Curve {
  axes: Record<string, string>;
  x: number[];
  mean: number[];
  lo: number[];
  hi: number[];
}

export interface Collected {
  axisNames: string[];
  metrics: string[];
  rows: TableRow[];
  curves: Curve[];
  /** The curve's y field, when the metrics held one. */
  curveY?: string;
  curveX: string;
}

/** Fields of a summary that measure the machine, not the run: left out of the default metrics. */
const TIMING = /seconds|persecond|checkpointstep|exitcode/i;
/** Default learning-curve fields, first match wins. */
const CURVE_Y = ['charts/episodic_return', 'return'];

const finalKey = (y: string) => `final ${y}`;

export function stat(xs: number[]): Stat | null {
  if (!xs.length) return null;
  const [mean, std] = meanStd(xs);
  return { mean, std, min: Math.min(...xs), max: Math.max(...xs) };
}

/** Per x value, the mean of y over the records (the replicas) that hold both. */
function curveOf(file: string, xKey: string, yKey: string): Map<number, number> {
  const sums = new Map<number, [number, number]>();
  if (!existsSync(file)) return new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line) as Record<string, unknown>;
    const x = r[xKey];
    const y = r[yKey];
    if (typeof x !== 'number' || typeof y !== 'number') continue;
    const s = sums.get(x) ?? [0, 0];
    s[0] += y;
    s[1]++;
    sums.set(x, s);
  }
  return new Map([...sums].sort((a, b) => a[0] - b[0]).map(([x, [s, n]]) => [x, s / n]));
}

/** Trailing moving average over `w` points. */
function smooth(ys: number[], w: number): number[] {
  if (w <= 1) return ys;
  let acc = 0;
  return ys.map((y, i) => {
    acc += y - (i >= w ? ys[i - w]! : 0);
    return acc / Math.min(i + 1, w);
  });
}

/** Which metrics.jsonl field the curve plots: the sweep's choice, else the first default a done cell's metrics hold. */
function pickCurveY(dir: SweepDir, done: ManifestCell[]): string | undefined {
  const chosen = dir.manifest.sweep.collect.curve?.y;
  if (chosen) return chosen;
  const c = done[0];
  if (!c) return undefined;
  const f = join(dir.cellPath(c), 'metrics.jsonl');
  if (!existsSync(f)) return undefined;
  const first = readFileSync(f, 'utf8').split('\n', 1)[0];
  if (!first) return undefined;
  const r = JSON.parse(first) as Record<string, unknown>;
  return CURVE_Y.find((k) => typeof r[k] === 'number');
}

/**
 * Summarise a sweep's done cells: per point of the axes grid, each metric over the seeds (mean,
 * std, min, max) and the learning curve (mean and band over seeds). Metrics: the sweep's
 * `collect.metrics`, else every numeric top-level field of the summaries but the timings, plus
 * `final <y>`: the curve's mean over the last tenth of its x values.
 */
export function collectSweep(dir: SweepDir): Collected {
  const cells = dir.cells;
  const states = new Map(cells.map((c) => [c.index, dir.state(c)]));
  const done = cells.filter((c) => states.get(c.index) === 'done');
  const summaries = new Map(done.map((c) => [c.index, dir.summary(c)!]));
  const o = dir.manifest.sweep.collect;
  const xKey = o.curve?.x ?? 'episode';
  const w = o.curve?.smooth ?? 1;
  const yKey = pickCurveY(dir, done);
  const perCell = new Map<number, Map<number, number>>();
  if (yKey) for (const c of done) perCell.set(c.index, curveOf(join(dir.cellPath(c), 'metrics.jsonl'), xKey, yKey));
  const finals = new Map<number, number>();
  for (const [i, m] of perCell) {
    const ys = [...m.values()];
    if (!ys.length) continue;
    const tail = ys.slice(Math.floor(ys.length * 0.9));
    finals.set(i, tail.reduce((a, b) => a + b, 0) / tail.length);
  }
  let metrics = o.metrics;
  if (!metrics) {
    const first = summaries.values().next().value;
    metrics = first ? Object.keys(first).filter((k) => typeof first[k] === 'number' && !TIMING.test(k)) : [];
    if (yKey && finals.size) metrics.push(finalKey(yKey));
  }
  const value = (c: ManifestCell, k: string): number | undefined => {
    if (yKey && k === finalKey(yKey)) return finals.get(c.index);
    const v = summaries.get(c.index)?.[k];
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  };
  // Points in the grid's order (cells are axes-major, seeds innermost).
  const points = new Map<string, ManifestCell[]>();
  for (const c of cells) {
    const key = JSON.stringify(c.axes);
    points.set(key, [...(points.get(key) ?? []), c]);
  }
  const rows: TableRow[] = [];
  const curves: Curve[] = [];
  for (const group of points.values()) {
    const ok = group.filter((c) => states.get(c.index) === 'done');
    const stats: Record<string, Stat | null> = {};
    for (const k of metrics) stats[k] = stat(ok.map((c) => value(c, k)).filter((v): v is number => v !== undefined));
    rows.push({ axes: group[0]!.axes, done: ok.length, seeds: group.length, stats });
    const seeds = ok.map((c) => perCell.get(c.index)).filter((m): m is Map<number, number> => !!m && m.size > 0);
    if (seeds.length) {
      // x values every seed reached; each seed smoothed before the band is taken.
      const xs = [...seeds[0]!.keys()].filter((x) => seeds.every((m) => m.has(x)));
      const ys = seeds.map((m) =>
        smooth(
          xs.map((x) => m.get(x)!),
          w,
        ),
      );
      const st = xs.map((_, j) => meanStd(ys.map((y) => y[j]!)));
      curves.push({ axes: group[0]!.axes, x: xs, mean: st.map((s) => s[0]), lo: st.map((s) => s[0] - s[1]), hi: st.map((s) => s[0] + s[1]) });
    }
  }
  return { axisNames: dir.manifest.axisNames, metrics, rows, curves, curveX: xKey, ...(yKey ? { curveY: yKey } : {}) };
}

const num = (v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(10))));
const short = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4));
const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** table.csv: one row per point; per metric its mean, std, min and max over seeds. */
export function tableCsv(t: Collected): string {
  const head = [...t.axisNames, 'done', 'seeds', ...t.metrics.flatMap((m) => ['mean', 'std', 'min', 'max'].map((s) => `${m} ${s}`))];
  const lines = [head.map(csvCell).join(',')];
  for (const r of t.rows) {
    const cells = [...t.axisNames.map((a) => r.axes[a]!), String(r.done), String(r.seeds)];
    for (const m of t.metrics) {
      const s = r.stats[m];
      cells.push(...(s ? [s.mean, s.std, s.min, s.max].map(num) : ['', '', '', '']));
    }
    lines.push(cells.map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}

/** The table's header and rows as text cells: the axes, `done/seeds`, per metric `mean +- std [min, max]` (table.md, report.html). */
export function tableCells(t: Collected): { head: string[]; rows: string[][] } {
  const head = [...t.axisNames, 'seeds done', ...t.metrics];
  const rows = t.rows.map((r) => {
    const stats = t.metrics.map((m) => {
      const s = r.stats[m];
      return s ? `${short(s.mean)} +- ${short(s.std)} [${short(s.min)}, ${short(s.max)}]` : '-';
    });
    return [...t.axisNames.map((a) => r.axes[a]!), `${r.done}/${r.seeds}`, ...stats];
  });
  return { head, rows };
}

/** table.md: one row per point; per metric `mean +- std [min, max]`. */
export function tableMarkdown(t: Collected): string {
  const { head, rows } = tableCells(t);
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i < t.axisNames.length ? '---' : '---:')).join(' | ')} |`];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n') + '\n';
}

/** Write table.csv and table.md into the sweep directory; returns their paths. */
export function writeTables(dir: SweepDir, t: Collected): { csv: string; md: string } {
  const csv = join(dir.path, 'table.csv');
  const md = join(dir.path, 'table.md');
  writeAtomic(csv, tableCsv(t));
  writeAtomic(md, tableMarkdown(t));
  return { csv, md };
}
