import { existsSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { Chart } from './chart.ts';
import { CHART_FONT, vegaLiteSpec } from './vega-spec.ts';

/** Font files resvg draws the text with (the family the specs name, then whatever the system has). */
const FONT_FILES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/Library/Fonts/DejaVuSans.ttf',
].filter((f) => existsSync(f));

/** SVG text of the chart (deterministic for the same input). */
export async function chartSvg(chart: Chart): Promise<string> {
  const spec = compile(vegaLiteSpec(chart)).spec;
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return numberClipsFromOne(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** Vega numbers clip paths with a process-wide counter; renumber them per document so the same chart gives the same text. */
function numberClipsFromOne(svg: string): string {
  const ids = new Map<string, string>();
  return svg.replace(/\bclip(\d+)\b/g, (_m, n: string) => {
    if (!ids.has(n)) ids.set(n, String(ids.size + 1));
    return `clip${ids.get(n)!}`;
  });
}

/** PNG bytes of an SVG (2x scale, white background; the text drawn with the chart font). */
export function svgToPng(svg: string, scale = 2): Buffer {
  const r = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { fontFiles: FONT_FILES, loadSystemFonts: FONT_FILES.length === 0, defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT },
  });
  return r.render().asPng();
}

/** Write a file through a temp name and a rename (a reader never sees half a file). */
export function writeAtomic(path: string, data: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Writes `${base}.svg` and `${base}.png` (each to a temp name, then renamed); returns both paths. */
export async function writeChart(chart: Chart, base: string): Promise<{ svg: string; png: string }> {
  const svgText = await chartSvg(chart);
  const svg = `${base}.svg`;
  const png = `${base}.png`;
  writeAtomic(svg, svgText);
  writeAtomic(png, svgToPng(svgText));
  return { svg, png };
}
