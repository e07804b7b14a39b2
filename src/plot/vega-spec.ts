import type { TopLevelSpec } from 'vega-lite';
import type { BarChart, Chart, HeatmapChart, LineChart } from './chart.ts';

/** The font every chart is drawn with (render.ts gives resvg the same family's files). */
export const CHART_FONT = 'DejaVu Sans';

const WIDTH = 640;
const HEIGHT = 360;

/** A finite number or null (vega-lite drops nulls; NaN / Inf must not reach the scales). */
const num = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

const CONFIG = {
  font: CHART_FONT,
  background: 'white',
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eee', tickCount: 8 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
  title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: '#555', anchor: 'start' as const },
};

function lineSpec(c: LineChart): TopLevelSpec {
  const values = c.series.flatMap((s) => s.x.map((x, i) => ({ series: s.label, i, x: num(x), y: num(s.y[i]), lo: num(s.lo?.[i]), hi: num(s.hi?.[i]) })));
  // Legend order = the caller's order, not alphabetical. A fresh object per layer: vega-lite
  // annotates encodings in place, and a shared one makes the layers' legends conflict.
  const color = () => ({
    field: 'series',
    type: 'nominal' as const,
    title: null,
    sort: c.series.map((s) => s.label),
    legend: { orient: 'bottom' as const, direction: 'vertical' as const, symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 2.5 },
  });
  const x = { field: 'x', type: 'quantitative' as const, title: c.xTitle, scale: { zero: false, nice: false } };
  const layers: object[] = [];
  if (c.series.some((s) => s.lo && s.hi)) {
    layers.push({
      transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
      mark: { type: 'area', opacity: 0.2 },
      encoding: { x, y: { field: 'lo', type: 'quantitative', title: c.yTitle }, y2: { field: 'hi' }, color: color() },
    });
  }
  layers.push({
    mark: { type: 'line', strokeWidth: 1.5, clip: true },
    encoding: { x, y: { field: 'y', type: 'quantitative', title: c.yTitle, scale: { zero: false } }, color: color(), ...(c.path ? { order: { field: 'i', type: 'quantitative' } } : {}) },
  });
  for (const r of c.rules ?? []) {
    layers.push({
      data: { values: [{ y: r.y, label: r.label }] },
      layer: [
        { mark: { type: 'rule', strokeDash: [6, 4], color: '#444' }, encoding: { y: { field: 'y', type: 'quantitative' } } },
        {
          mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -2, color: '#444', fontSize: 11 },
          encoding: { y: { field: 'y', type: 'quantitative' }, x: { value: WIDTH - 4 }, text: { field: 'label' } },
        },
      ],
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: c.subtitle ? { text: c.title, subtitle: c.subtitle } : c.title,
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values },
    layer: layers,
    resolve: { scale: { y: 'shared' } },
  } as TopLevelSpec;
}

function barSpec(c: BarChart): TopLevelSpec {
  const grouped = c.bars.some((b) => b.group !== undefined);
  const values = c.bars.map((b) => ({ category: b.category, group: b.group ?? '', value: num(b.value), lo: num(b.lo), hi: num(b.hi) }));
  const order = [...new Set(c.bars.map((b) => b.category))];
  const x = { field: 'category', type: 'nominal' as const, title: c.xTitle, sort: order, axis: { labelAngle: order.length > 6 ? -40 : 0 } };
  const groupEnc = grouped ? { xOffset: { field: 'group', type: 'nominal' }, color: { field: 'group', type: 'nominal', title: null, legend: { orient: 'bottom' } } } : {};
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: c.title,
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values },
    layer: [
      { mark: { type: 'bar', color: grouped ? undefined : '#4c78a8' }, encoding: { x, y: { field: 'value', type: 'quantitative', title: c.yTitle }, ...groupEnc } },
      {
        transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
        mark: { type: 'rule', color: '#222', strokeWidth: 1.5 },
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, ...(grouped ? { xOffset: { field: 'group', type: 'nominal' } } : {}) },
      },
    ],
  } as TopLevelSpec;
}

function heatmapSpec(c: HeatmapChart): TopLevelSpec {
  const values = c.rows.flatMap((row, i) => c.cols.map((col, j) => ({ row, col, value: num(c.values[i]?.[j]) })));
  const side = Math.min(HEIGHT + 120, Math.max(120, 48 * Math.max(c.rows.length, c.cols.length)));
  const x = { field: 'col', type: 'nominal' as const, title: c.xTitle, sort: c.cols, axis: { labelAngle: c.cols.length > 6 ? -40 : 0, grid: false } };
  const y = { field: 'row', type: 'nominal' as const, title: c.yTitle, sort: c.rows, axis: { grid: false } };
  const values0 = values.map((v) => v.value).filter((v): v is number => v !== null);
  const [lo, hi] = c.domain ?? [Math.min(...values0), Math.max(...values0)];
  const light = lo + 0.6 * (hi - lo);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: c.title,
    width: side,
    height: side,
    config: CONFIG,
    data: { values },
    layer: [
      { mark: 'rect', encoding: { x, y, color: { field: 'value', type: 'quantitative', title: null, scale: { scheme: 'viridis', ...(c.domain ? { domain: c.domain } : {}) } } } },
      ...(c.rows.length * c.cols.length <= 400
        ? [
            {
              mark: { type: 'text', fontSize: 11 },
              encoding: { x, y, text: { field: 'value', type: 'quantitative', format: '.2f' }, color: { condition: { test: `datum.value > ${light}`, value: 'black' }, value: 'white' } },
            },
          ]
        : []),
    ],
  } as TopLevelSpec;
}

/** The Vega-Lite spec of a chart. */
export function vegaLiteSpec(c: Chart): TopLevelSpec {
  // A JSON copy: vega-lite annotates encodings in place, so no object may be shared between layers.
  return JSON.parse(JSON.stringify(c.kind === 'line' ? lineSpec(c) : c.kind === 'bar' ? barSpec(c) : heatmapSpec(c))) as TopLevelSpec;
}
