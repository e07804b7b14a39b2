/** Plots in Node: Vega-Lite specs rendered headless to SVG (vega) and PNG (resvg). */
export type { BarChart, Chart, LineChart, Series } from './chart.ts';
export { chartSvg, svgToPng, writeChart } from './render.ts';
export { vegaLiteSpec } from './vega-spec.ts';
