import { join } from 'node:path';
import type { LineChart } from './chart.ts';
import { chartSvg, writeAtomic, writeChart } from './render.ts';
import { defaultMetric, plottableMetrics, readRunMetrics, readRunSummary, runCurve, type Band, type MetricsLine } from './run-metrics.ts';

/** A run to draw: its legend label and its metrics records. */
export interface RunRecords {
  label: string;
  records: MetricsLine[];
}

export interface RunChartOptions {
  /** The metric to draw (default: the episodic return, else accuracy, loss, ... whichever the runs log). */
  metric?: string;
  band?: Band;
  /** Horizontal reference lines (a paper's number). */
  rules?: { y: number; label: string }[];
  title?: string;
}

/** One metric of several runs overlaid (replicas as a band) and the metric's name; undefined when no run logs it. */
export function runsChart(runs: RunRecords[], o: RunChartOptions = {}): { chart: LineChart; metric: string } | undefined {
  const metric = o.metric ?? defaultMetric(runs.flatMap((r) => r.records.slice(0, 2000)));
  if (!metric) return undefined;
  const band = o.band ?? 'minmax';
  const curves = runs.map((r) => runCurve(r.records, { metric, label: r.label, band })).filter((c) => c !== undefined);
  if (!curves.length) return undefined;
  const reps = Math.max(...curves.map((c) => c.replicas));
  for (const c of curves) if (c.replicas > 1) c.series.label += ` (${c.replicas} replicas)`;
  const perPoint = Math.max(...curves.map((c) => c.perPoint));
  const xKeys = [...new Set(curves.map((c) => c.xKey))];
  const chart: LineChart = {
    kind: 'line',
    title: o.title ?? metric,
    subtitle: [reps > 1 ? `line: mean over replicas; band: ${band === 'std' ? 'mean ± 1 std' : 'min to max'} over replicas` : '', perPoint > 1 ? `each point averages ~${perPoint} consecutive ${xKeys.join('/')}s` : '']
      .filter(Boolean)
      .join('; ') || undefined,
    xTitle: xKeys.join(' / '),
    yTitle: metric,
    series: curves.map((c) => c.series),
    rules: o.rules,
  };
  return { chart, metric };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function scalarRows(summary: Record<string, unknown>): string {
  const rows: string[] = [];
  for (const [k, v] of Object.entries(summary)) {
    let text: string | undefined;
    if (typeof v === 'number') text = Number.isInteger(v) ? String(v) : v.toPrecision(6);
    else if (typeof v === 'string' || typeof v === 'boolean') text = String(v);
    else if (Array.isArray(v) && v.length <= 16 && v.every((e) => typeof e === 'number')) text = v.map((e) => (Number.isInteger(e) ? String(e) : e.toPrecision(4))).join(', ');
    if (text !== undefined) rows.push(`<tr><th>${esc(k)}</th><td>${esc(text)}</td></tr>`);
  }
  return rows.join('\n');
}

/** What `writeRunReport` wrote (absent: nothing to draw yet). */
export interface RunReportFiles {
  png?: string;
  svg?: string;
  html: string;
}

/**
 * The pictures at the end of a run: `curves.svg` / `curves.png` (the main metric over episodes,
 * replicas as a band) and `report.html` (config, summary, and every logged metric's curve inline;
 * no external resources, so it opens offline). Reads metrics.jsonl and summary.json from `runDir`,
 * so it works on a finished, stopped or failed run alike.
 */
export async function writeRunReport(runDir: string, o: { maxCharts?: number } = {}): Promise<RunReportFiles> {
  const records = readRunMetrics(runDir);
  const summary = readRunSummary(runDir) ?? {};
  const experiment = (summary.experiment ?? {}) as { name?: string };
  const name = experiment.name ?? runDir.split('/').filter(Boolean).pop() ?? 'run';
  const metric = defaultMetric(records);
  const main = metric ? runsChart([{ label: name, records }], { metric, title: name })?.chart : undefined;
  const files: RunReportFiles = { html: join(runDir, 'report.html') };
  const svgs: string[] = [];
  if (main) {
    Object.assign(files, await writeChart(main, join(runDir, 'curves')));
    const metrics = plottableMetrics(records).filter((m) => m !== metric).slice(0, (o.maxCharts ?? 6) - 1);
    svgs.push(await chartSvg(main));
    for (const m of metrics) {
      const c = runsChart([{ label: name, records }], { metric: m, title: m })?.chart;
      if (c) svgs.push(await chartSvg(c));
    }
  }
  const status = typeof summary.error === 'string' ? `stopped by an error: ${summary.error}` : summary.stopped ? `stopped by ${String(summary.signal ?? 'a signal')}` : Object.keys(summary).length ? 'finished' : 'running or killed (no summary.json)';
  const { experiment: _x, ...rest } = summary;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(name)} — hedonist run report</title>
<style>
body { font-family: 'DejaVu Sans', system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 2em; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 2px 12px 2px 0; vertical-align: top; font-size: 0.9em; }
th { font-weight: 600; color: #555; } pre { background: #f6f6f6; padding: 1em; overflow: auto; font-size: 0.85em; }
.chart svg { max-width: 100%; height: auto; }
</style></head><body>
<h1>${esc(name)}</h1>
<p>Run directory <code>${esc(runDir)}</code>: ${esc(status)}; ${records.length} metrics records.</p>
<h2>Curves</h2>
${svgs.length ? svgs.map((s) => `<div class="chart">${s}</div>`).join('\n') : '<p>No metrics with an episode, iteration or step were logged.</p>'}
<h2>Summary</h2>
<table>
${scalarRows(rest)}
</table>
<details><summary>summary.json</summary><pre>${esc(JSON.stringify(rest, null, 2))}</pre></details>
<h2>Experiment</h2>
<pre>${esc(JSON.stringify(summary.experiment ?? null, null, 2))}</pre>
</body></html>
`;
  writeAtomic(files.html, html);
  return files;
}
