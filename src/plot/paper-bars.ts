import { barChart, errorBar, type BarChart } from './chart.ts';

/** One cell of a reproduced table: ours (mean, spread) beside the paper's where it has one. */
export interface PaperCell {
  category: string;
  mean: number;
  std?: number;
  paperMean?: number | null;
  paperStd?: number | null;
}

/** A reproduced table as bars: per category, ours and the paper's side by side, ±1 std as error bars. */
export function paperBars(title: string, xTitle: string, yTitle: string, cells: PaperCell[], ours = 'ours'): BarChart {
  const bar = (category: string, group: string, mean: number, std?: number | null) => ({
    category,
    group,
    ...(std !== undefined && std !== null && Number.isFinite(std) ? errorBar(mean, std) : { value: mean }),
  });
  return barChart(
    title,
    xTitle,
    yTitle,
    cells.flatMap((c) => [bar(c.category, ours, c.mean, c.std), ...(c.paperMean !== undefined && c.paperMean !== null ? [bar(c.category, 'paper', c.paperMean, c.paperStd)] : [])]),
  );
}
