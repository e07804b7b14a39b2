import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Chart, LineChart } from './chart.ts';
import { chartSvg, writeAtomic, writeChart } from './render.ts';
import { defaultMetric, plottableMetrics, readRunMetrics, readRunSummary, runCurve, type Band, type MetricsLine } from './run-metrics.ts';
import { esc, htmlPage } from './html-page.ts';

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
    subtitle:
      [
        reps > 1 ? `line: mean over replicas; band: ${band === 'std' ? 'mean ± 1 std' : 'min to max'} over replicas` : '',
        perPoint > 1 ? `each point averages ~${perPoint} consecutive ${xKeys.join('/')}s` : '',
      ]
        .filter(Boolean)
        .join('; ') || undefined,
    xTitle: xKeys.join(' / '),
    yTitle: metric,
    series: curves.map((c) => c.series),
    rules: o.rules,
  };
  return { chart, metric };
}

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

/** How a command's metrics become pictures (commands that log many cells into one run directory). */
export interface RunPictures {
  /** One chart per value of this field (e.g. 'task': tasks on different scales). */
  panelBy?: string;
  /** One series per value of these fields (e.g. ['row'], ['reward']). */
  groupBy?: string[];
  /** Charts made from the command's result (e.g. its table beside the paper's, as bars). */
  charts?(result: Record<string, unknown>): Chart[];
}

/** What `writeRunReport` wrote (no png/svg: nothing to draw). */
export interface RunReportFiles {
  png?: string;
  svg?: string;
  html: string;
  /** Every picture written, PNG paths (curves first). */
  pngs: string[];
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'chart';

function splitBy(records: MetricsLine[], keys: string[]): Map<string, MetricsLine[]> {
  const out = new Map<string, MetricsLine[]>();
  for (const r of records) {
    if (keys.some((k) => r[k] === undefined)) continue;
    const key = keys.map((k) => String(r[k])).join(', ');
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push(r);
  }
  return out;
}

/**
 * The pictures at the end of a run: `curves.svg` / `curves.png` (the main metric over episodes,
 * replicas as a band; with `panelBy`, one `curves-<value>` pair per panel and `curves` the first),
 * the command's own charts (`<title>.svg/png`), and `report.html` (config, summary, every chart
 * inline; no external resources, so it opens offline). Reads metrics.jsonl and summary.json from
 * `runDir`, so it works on a finished, stopped or failed run alike.
 */
export async function writeRunReport(runDir: string, o: RunPictures & { maxCharts?: number; result?: Record<string, unknown> } = {}): Promise<RunReportFiles> {
  const records = readRunMetrics(runDir);
  const summary = readRunSummary(runDir) ?? o.result ?? {};
  const experiment = (summary.experiment ?? {}) as { name?: string };
  const name = experiment.name ?? runDir.split('/').filter(Boolean).pop() ?? 'run';
  const metric = defaultMetric(records);
  const files: RunReportFiles = { html: join(runDir, 'report.html'), pngs: [] };
  const svgs: string[] = [];
  const add = async (chart: Chart, base: string) => {
    const w = await writeChart(chart, join(runDir, base));
    files.pngs.push(w.png);
    svgs.push(readFileSync(w.svg, 'utf8'));
    return w;
  };
  if (metric) {
    const panels = o.panelBy ? [...splitBy(records, [o.panelBy]).entries()] : [['', records] as [string, MetricsLine[]]];
    for (const [i, [panel, rows]] of panels.entries()) {
      const sets = o.groupBy?.length ? [...splitBy(rows, o.groupBy).entries()].map(([label, recs]) => ({ label, records: recs })) : [{ label: name, records: rows }];
      const title = panel ? `${name}: ${o.panelBy} ${panel}` : name;
      const chart = runsChart(sets, { metric, title })?.chart;
      if (!chart) continue;
      if (i === 0) Object.assign(files, await writeChart(chart, join(runDir, 'curves')));
      if (panels.length > 1) await add(chart, `curves-${slug(panel)}`);
      else svgs.push(readFileSync(files.svg!, 'utf8'));
    }
    if (files.png) files.pngs.unshift(files.png);
    if (!o.panelBy && !o.groupBy?.length) {
      for (const m of plottableMetrics(records)
        .filter((m) => m !== metric)
        .slice(0, (o.maxCharts ?? 6) - 1)) {
        const c = runsChart([{ label: name, records }], { metric: m, title: m })?.chart;
        if (c) svgs.push(await chartSvg(c));
      }
    }
  }
  const result = o.result ?? summary;
  for (const c of o.charts?.(result) ?? []) await add(c, slug(c.title));
  const status =
    typeof summary.error === 'string'
      ? `stopped by an error: ${summary.error}`
      : summary.stopped
        ? `stopped by ${String(summary.signal ?? 'a signal')}`
        : Object.keys(summary).length
          ? 'finished'
          : 'running or killed (no summary.json)';
  const { experiment: _x, ...rest } = summary;
  const html = htmlPage(
    `${name} — hedonist run report`,
    `<h1>${esc(name)}</h1>
<p>Run directory <code>${esc(runDir)}</code>: ${esc(status)}; ${records.length} metrics records.</p>
<h2>Curves</h2>
${svgs.length ? svgs.map((s) => `<div class="chart">${s}</div>`).join('\n') : '<p>No metrics with an episode, iteration or step were logged.</p>'}
<h2>Summary</h2>
<table>
${scalarRows(rest)}
</table>
<details><summary>summary.json</summary><pre>${esc(JSON.stringify(rest, null, 2))}</pre></details>
<h2>Experiment</h2>
<pre>${esc(JSON.stringify(summary.experiment ?? null, null, 2))}</pre>`,
  );
  writeAtomic(files.html, html);
  return files;
}
