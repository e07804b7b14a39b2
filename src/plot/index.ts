/** Plots in Node: Vega-Lite specs rendered headless to SVG (vega) and PNG (resvg). */
export type { BarChart, Chart, HeatmapChart, LineChart, Series } from './chart.ts';
export { barChart, errorBar } from './chart.ts';
export { chartSvg, svgToPng, writeAtomic, writeChart } from './render.ts';
export { vegaLiteSpec } from './vega-spec.ts';
export { defaultMetric, plottableMetrics, readRunMetrics, runCurve, type Band, type MetricsLine } from './run-metrics.ts';
export { runsChart, writeRunReport, type RunPictures, type RunRecords, type RunReportFiles } from './run-report.ts';
export { paperBars, type PaperCell } from './paper-bars.ts';
