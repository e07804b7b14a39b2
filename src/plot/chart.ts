/** The charts the plot module draws: plain data, no library types (shared by the CLI, sweeps and reports). */
export interface Series {
  /** Legend entry. */
  label: string;
  x: number[];
  y: number[];
  /** Optional band (e.g. mean - std, or min over seeds). */
  lo?: number[];
  /** Optional band upper edge. */
  hi?: number[];
}

export interface LineChart {
  kind: 'line';
  title: string;
  /** A second, smaller title line (e.g. how the band is made). */
  subtitle?: string;
  xTitle: string;
  yTitle: string;
  series: Series[];
  /** Horizontal reference lines (e.g. a paper's number). */
  rules?: { y: number; label: string }[];
  /** Join each series' points in the given order (a path, e.g. a trajectory) instead of by x. */
  path?: boolean;
}

export interface BarChart {
  /** One bar (with optional error bar) per category; `group` splits a category into side-by-side bars. */
  kind: 'bar';
  title: string;
  xTitle: string;
  yTitle: string;
  bars: { category: string; group?: string; value: number; lo?: number; hi?: number }[];
}

export interface HeatmapChart {
  /** A matrix of values as coloured cells, each labelled with its value. */
  kind: 'heatmap';
  title: string;
  xTitle: string;
  yTitle: string;
  /** Row and column labels, in order. */
  rows: string[];
  cols: string[];
  /** values[i][j]: row i, column j. */
  values: number[][];
  /** Colour scale domain (default the values' range). */
  domain?: [number, number];
}

export type Chart = LineChart | BarChart | HeatmapChart;

/** A bar chart of `bars`: the constructor every bar chart of the CLI, sweeps and reproductions goes through. */
export function barChart(title: string, xTitle: string, yTitle: string, bars: BarChart['bars']): BarChart {
  return { kind: 'bar', title, xTitle, yTitle, bars };
}

/** A bar's value with a symmetric error bar, value -+ spread (e.g. one std, one standard error). */
export function errorBar(value: number, spread: number): { value: number; lo: number; hi: number } {
  return { value, lo: value - spread, hi: value + spread };
}
