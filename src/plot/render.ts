import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import opentype from 'opentype.js';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { writeFileAtomic } from '../io/files.ts';
import type { Chart } from './chart.ts';
import { CHART_FONT, vegaLiteSpec } from './vega-spec.ts';

const FONT_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/TTF', '/usr/share/fonts/dejavu', '/Library/Fonts'];
const fontFile = (name: string) => FONT_DIRS.map((d) => `${d}/${name}`).find((f) => existsSync(f));
const REGULAR = fontFile('DejaVuSans.ttf');
const BOLD = fontFile('DejaVuSans-Bold.ttf');
/** Font files resvg draws the text with (the family the specs name; the system's fonts when it is missing). */
const FONT_FILES = [REGULAR, BOLD].filter((f) => f !== undefined);

// Without a canvas, vega guesses text widths (0.8 em a character), which leaves wide margins and
// mislaid labels; measure them with the same font files resvg draws with.
if (REGULAR) {
  const regular = opentype.loadSync(REGULAR);
  const bold = BOLD ? opentype.loadSync(BOLD) : regular;
  // vega exports textMetrics for this (vl-convert does the same); vega's typings leave it out
  (vega as unknown as { textMetrics: { width: unknown } }).textMetrics.width = (item: { text?: unknown; fontSize?: number; fontWeight?: string | number }, text?: unknown) => {
    const t = text ?? item.text;
    if (t === null || t === undefined) return 0;
    const heavy = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
    return (heavy ? bold : regular).getAdvanceWidth(String(t), item.fontSize ?? 11);
  };
}

/** SVG text of the chart (deterministic for the same input). */
export async function chartSvg(chart: Chart): Promise<string> {
  const spec = compile(vegaLiteSpec(chart)).spec;
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    vega.resetSVGDefIds();
    return await view.toSVG();
  } finally {
    view.finalize();
  }
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
  writeFileAtomic(path, data);
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
