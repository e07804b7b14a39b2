import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { afterAll, describe, expect, it } from 'vitest';
import { chartSvg, writeChart, type BarChart, type HeatmapChart, type LineChart } from '../../src/plot/index.ts';
import { expectPicture, pngStats } from './png-check.ts';

const dir = mkdtempSync(join(tmpdir(), 'hedonist-plot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const x = Array.from({ length: 60 }, (_, i) => i * 5);
const line: LineChart = {
  kind: 'line',
  title: 'CartPole return',
  xTitle: 'episode',
  yTitle: 'return',
  series: [
    { label: 'reinforce (4 replicas)', x, y: x.map((v) => v / 2 + 10), lo: x.map((v) => v / 3), hi: x.map((v) => v / 1.5 + 20) },
    { label: 'ott-terms', x, y: x.map((v) => 80 + 40 * Math.sin(v / 30)) },
  ],
  rules: [{ y: 195, label: 'paper: 195' }],
};
const bars: BarChart = {
  kind: 'bar',
  title: 'Final return per task',
  xTitle: 'task',
  yTitle: 'return',
  bars: [
    { category: 'cartpole', value: 150, lo: 120, hi: 180 },
    { category: 'acrobot', value: -90, lo: -110, hi: -70 },
    { category: 'lunarlander', value: 20 },
  ],
};

/** The SVG parses (resvg's XML and SVG parser throws on malformed input) and has the chart's size. */
function checkSvg(svg: string): void {
  expect(svg.startsWith('<svg')).toBe(true);
  const r = new Resvg(svg);
  expect(r.width).toBeGreaterThan(600);
  expect(r.height).toBeGreaterThan(350);
  expect(() => new Resvg(svg.replace('</svg>', ''))).toThrow();
}

describe('plot module', () => {
  it('writes a line chart with a band and a reference line: real PNG and SVG with the labels', async () => {
    const out = await writeChart(line, join(dir, 'line'));
    expect(out).toEqual({ svg: join(dir, 'line.svg'), png: join(dir, 'line.png') });
    const svg = readFileSync(out.svg, 'utf8');
    checkSvg(svg);
    for (const label of ['CartPole return', 'episode', 'return', 'reinforce (4 replicas)', 'ott-terms', 'paper: 195']) expect(svg).toContain(label);
    // the band is an area path, the lines are stroked paths
    expect(svg).toMatch(/class="mark-area/);
    expect(svg).toMatch(/class="mark-line/);
    expect(svg).toMatch(/class="mark-rule/);
    const s = expectPicture(out.png, 1000, 600);
    expect(s.lumaStd).toBeGreaterThan(10);
    // no temp files left beside the outputs
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('draws the axis text (the PNG changes when only a title changes)', async () => {
    const a = await writeChart(line, join(dir, 'a'));
    const b = await writeChart({ ...line, xTitle: 'environment steps (thousands)' }, join(dir, 'b'));
    expect(readFileSync(a.png).equals(readFileSync(b.png))).toBe(false);
    expect(pngStats(a.png).width).toBe(pngStats(b.png).width);
  });

  it('writes a bar chart with error bars', async () => {
    const out = await writeChart(bars, join(dir, 'bars'));
    const svg = readFileSync(out.svg, 'utf8');
    checkSvg(svg);
    for (const label of ['cartpole', 'acrobot', 'lunarlander', 'Final return per task']) expect(svg).toContain(label);
    expect(svg).toMatch(/class="mark-rect/);
    expectPicture(out.png);
  });

  it('is deterministic and drops non-finite points instead of failing', async () => {
    const [one, two] = [await chartSvg(line), await chartSvg(line)];
    expect(one === two, 'the same chart twice gives the same SVG').toBe(true);
    const nan: LineChart = { ...line, series: [{ label: 'with NaN', x: [0, 1, 2, 3], y: [1, NaN, Infinity, 2] }], rules: [] };
    const svg = await chartSvg(nan);
    expect(svg).toContain('with NaN');
    expect(svg).not.toMatch(/NaN,|Infinity/);
  });
});

describe('heatmap and path charts (hedonist analyze cka / pca)', () => {
  it('a heatmap draws every cell with its value; a path keeps the points in their order', async () => {
    const heat: HeatmapChart = {
      kind: 'heatmap',
      title: 'CKA',
      xTitle: 'run',
      yTitle: 'run',
      rows: ['a', 'b'],
      cols: ['a', 'b'],
      values: [
        [1, 0.25],
        [0.25, 1],
      ],
      domain: [0, 1],
    };
    const svg = await chartSvg(heat);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/>1\.00</g)).toHaveLength(2);
    expect(svg.match(/>0\.25</g)).toHaveLength(2);
    const { png } = await writeChart({ ...heat, domain: undefined }, join(dir, 'heat'));
    expectPicture(png, 150, 150);
    // A path that goes right, then back left: ordered by x it would be one stroke left to right.
    const pts = { label: 'path', x: [0, 2, 1], y: [0, 1, 2] };
    const ordered = await chartSvg({ kind: 'line', title: 'p', xTitle: 'x', yTitle: 'y', series: [pts], path: true });
    const byX = await chartSvg({ kind: 'line', title: 'p', xTitle: 'x', yTitle: 'y', series: [pts] });
    const d = (s: string) => s.match(/<path[^>]*aria-roledescription="line mark"[^>]*d="([^"]+)"/)?.[1] ?? s.match(/role="graphics-symbol"[^>]*d="(M[^"]+)"/)?.[1];
    expect(d(ordered)).toBeDefined();
    expect(d(ordered)).not.toEqual(d(byX));
  });
});
