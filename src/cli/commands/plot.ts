import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { UsageError } from '../args.ts';
import type { CliCommand } from '../command.ts';
import { jsonFlag } from '../flags.ts';

/** `hedonist plot RUN... [--out BASE] [--metric NAME] [--paper-line Y]`: overlay runs' curves. */
export const plotCommand: CliCommand = {
  path: ['plot'],
  summary: "overlay runs' learning curves (replicas as a band, a paper's number as a line) into BASE.svg and BASE.png",
  flags: {
    runs: { type: 'positionals', help: 'run directories (each holds metrics.jsonl), e.g. runs/cartpole-reinforce-20261206-120000' },
    out: { type: 'string', default: 'plot', help: 'writes OUT.svg and OUT.png' },
    metric: { type: 'string', help: 'the metrics field to draw (default: the episodic return, else accuracy, loss, ...: the first the runs log)' },
    'paper-line': { type: 'repeat', help: "a horizontal reference line: Y or Y=label (e.g. --paper-line '195=Ott 2020')" },
    band: { type: 'choice', choices: ['minmax', 'std'], default: 'minmax', help: 'band over replicas: min to max, or mean +- 1 std' },
    label: { type: 'repeat', help: 'legend label of each run, in order (default: the directory name)' },
    title: { type: 'string', help: 'chart title (default: the metric)' },
    overwrite: { type: 'bool', help: 'replace existing OUT.svg / OUT.png' },
    json: jsonFlag(),
  },
  async run(f, io) {
    const runs = (f.runs as string[] | undefined) ?? [];
    if (!runs.length) throw new UsageError('give one or more run directories (each with metrics.jsonl)');
    for (const r of runs) {
      if (!existsSync(resolve(r, 'metrics.jsonl'))) throw new UsageError(`'${r}' is not a run directory (no metrics.jsonl in it)`);
    }
    const labels = (f.label as string[] | undefined) ?? [];
    if (labels.length > runs.length) throw new UsageError(`--label given ${labels.length} times for ${runs.length} runs: give at most one per run`);
    const rules = ((f['paper-line'] as string[] | undefined) ?? []).map((s) => {
      const eq = s.indexOf('=');
      const y = Number(eq < 0 ? s : s.slice(0, eq));
      if (!Number.isFinite(y) || (eq < 0 ? s : s.slice(0, eq)).trim() === '') throw new UsageError(`--paper-line must be a number Y or Y=label, got '${s}'`);
      return { y, label: eq < 0 ? `paper: ${y}` : s.slice(eq + 1) };
    });
    const out = f.out as string;
    for (const ext of ['svg', 'png']) {
      const p = `${out}.${ext}`;
      if (existsSync(p) && !f.overwrite) throw new UsageError(`${p} exists: pass --overwrite to replace it, or another --out`);
      if (existsSync(p) && statSync(p).isDirectory()) throw new UsageError(`${p} is a directory`);
    }
    const { readRunMetrics, runsChart, writeChart } = await import('../../plot/index.ts');
    const sets = runs.map((r, i) => ({ label: labels[i] ?? basename(resolve(r)), records: readRunMetrics(r) }));
    const drawn = runsChart(sets, { metric: f.metric as string | undefined, band: f.band as 'minmax' | 'std', rules, title: f.title as string | undefined });
    if (!drawn) {
      throw new UsageError(
        f.metric ? `--metric '${String(f.metric)}' is not logged with an episode, iteration or step by any of the runs` : 'hedonist plot: the runs log no metrics with an episode, iteration or step',
      );
    }
    const { chart, metric } = drawn;
    const files = await writeChart(chart, out);
    io.log(`plot: ${files.png}, ${files.svg}`);
    return { ...files, runs, metric, series: chart.series.map((s) => s.label) };
  },
  format: (r) => `wrote ${String(r.png)} and ${String(r.svg)} (${(r.series as string[]).join(', ')})`,
};
