import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from './dir.ts';
import { esc, htmlPage } from '../plot/html-page.ts';
import { barChart, errorBar, writeChart, type BarChart, type LineChart } from '../plot/index.ts';
import { tableCells, type Collected } from './collect.ts';

/** At most this many points per learning curve in a plot (every k-th x). */
const MAX_POINTS = 400;

const pointLabel = (axes: Record<string, string>, names: string[]) => names.map((n) => `${n}=${axes[n]}`).join(' ') || 'base';
const fileSafe = (s: string) => s.replace(/[^\w.-]+/g, '_');

/** The metric the per-axis bar charts show: the sweep's first listed one, else the curve's final value, else the first. */
export function primaryMetric(t: Collected, listed?: string[]): string | undefined {
  if (listed?.length) return listed[0];
  return t.metrics.find((m) => m.startsWith('final ')) ?? t.metrics[0];
}

/** The learning curves: one series per point of the grid, the band mean -+ std over seeds. */
export function curveChart(name: string, t: Collected, smooth: number): LineChart | undefined {
  if (!t.curveY || !t.curves.length) return undefined;
  return {
    kind: 'line',
    title: `${name}: ${t.curveY}, mean and band of +- 1 std over seeds${smooth > 1 ? ` (moving average of ${smooth})` : ''}`,
    xTitle: t.curveX,
    yTitle: t.curveY,
    series: t.curves.map((c) => {
      const step = Math.max(1, Math.ceil(c.x.length / MAX_POINTS));
      const pick = <T>(a: T[]) => a.filter((_, i) => i % step === 0 || i === a.length - 1);
      return { label: pointLabel(c.axes, t.axisNames), x: pick(c.x), y: pick(c.mean), lo: pick(c.lo), hi: pick(c.hi) };
    }),
  };
}

/** One metric per value of one axis: a bar per point (grouped by the other axes), error bars -+ 1 std over seeds. */
export function axisChart(name: string, t: Collected, axis: string, metric: string): BarChart {
  const others = t.axisNames.filter((a) => a !== axis);
  const bars = t.rows
    .filter((r) => r.stats[metric])
    .map((r) => {
      const s = r.stats[metric]!;
      return { category: r.axes[axis]!, ...(others.length ? { group: pointLabel(r.axes, others) } : {}), ...errorBar(s.mean, s.std) };
    });
  return barChart(`${name}: ${metric} per ${axis} (mean, +- 1 std over seeds)`, axis, metric, bars);
}

/** plots/curves.{svg,png} and plots/final-<axis>.{svg,png} for each axis; returns the files written. */
export async function writeSweepPlots(plotsDir: string, name: string, t: Collected, o: { metrics?: string[]; smooth: number }): Promise<string[]> {
  const out: string[] = [];
  const curves = curveChart(name, t, o.smooth);
  if (curves) {
    const w = await writeChart(curves, join(plotsDir, 'curves'));
    out.push(w.svg, w.png);
  }
  const metric = primaryMetric(t, o.metrics);
  if (metric) {
    for (const axis of t.axisNames) {
      const chart = axisChart(name, t, axis, metric);
      if (!chart.bars.length) continue;
      const w = await writeChart(chart, join(plotsDir, `final-${fileSafe(axis)}`));
      out.push(w.svg, w.png);
    }
  }
  return out;
}

/**
 * report.html in the sweep directory: the table (as table.md has it) and every plot inline (the SVGs
 * `writeSweepPlots` wrote), one self-contained page that opens offline; returns its path.
 */
export function writeSweepReport(dirPath: string, name: string, t: Collected, plots: string[]): string {
  const { head, rows } = tableCells(t);
  const table = `<table>\n<tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>\n${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n')}\n</table>`;
  const charts = plots.filter((p) => p.endsWith('.svg')).map((p) => `<div class="chart">${readFileSync(p, 'utf8')}</div>`);
  const file = join(dirPath, 'report.html');
  const body = `<h1>${esc(name)}</h1>
<p>Sweep directory <code>${esc(dirPath)}</code>: ${t.rows.length} points of the grid; per metric mean +- std [min, max] over seeds.</p>
<h2>Table</h2>
${table}
<h2>Plots</h2>
${charts.join('\n') || '<p>No plots (no cell has finished with metrics yet).</p>'}`;
  writeAtomic(file, htmlPage(`${name} — hedonist sweep report`, body));
  return file;
}
