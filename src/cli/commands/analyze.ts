/**
 * `hedonist analyze record | ablate | pca | cka | irl`: analyses of a saved run (a run directory
 * with its checkpoint, which holds the experiment), on the CPU twins (docs/analysis.md).
 */
import { existsSync, statSync } from 'node:fs';
import { ablate, ablationCsv, ablationMarkdown, unitClass, type AblationCondition, type AblationResult } from '../../analysis/ablation.ts';
import { linearCka, matrixOf } from '../../analysis/cka.ts';
import { AnalysisInputError, evaluate, unitMapOf, untrainedRun, type Evaluation, type TrainedRun } from '../../analysis/evaluate.ts';
import { irlRecovery, type IrlScore } from '../../analysis/irl-recovery.ts';
import { populationPca, type PcaResult } from '../../analysis/pca.ts';
import { activityMatrix, chalkSpikeText, parseActivityFile, recordingCsv, type ActivityMatrix } from '../../analysis/recording.ts';
import { SpikeFileError } from '../../chalk/spike-file.ts';
import { parseExperiment } from '../../experiment/load.ts';
import { barChart, errorBar, type Chart } from '../../plot/chart.ts';
import { mean } from '../../rules/reinforce.ts';
import { RUN_CHECKPOINT } from '../../run/loop.ts';
import { readNamedFile, UsageError, type Flags, type Parsed } from '../args.ts';
import { readCheckpointFile } from '../checkpoint-files.ts';
import type { CliCommand } from '../command.ts';
import { jsonFlag, seedFlag } from '../flags.ts';
import { checkOutputPath, writeFileAtomic } from '../run-dir.ts';

/** Flags every analysis of a run shares. */
const EVAL_FLAGS: Flags = {
  'eval-episodes': { type: 'int', min: 2, max: 100_000, default: 20, help: 'evaluation episodes of the trained network (run side by side, one per replica)' },
  seed: seedFlag(),
  replica: { type: 'int', min: 0, max: 1 << 20, default: 0, help: "which trained replica's weights to analyse" },
  untrained: { type: 'bool', help: 'analyse the network as the experiment initialises it (before training) instead of the checkpoint' },
  json: jsonFlag(),
};
const NAME_FLAGS: Flags = {
  name: { type: 'string', help: 'output run name: tables and plots go to runs/<name>/ (default analyze-<command>-<timestamp>)' },
  overwrite: { type: 'bool', help: 'replace an existing output run of the same name' },
};

/** A run directory's trained network (`--untrained`: its initial weights). */
function loadRun(path: string | undefined, what: string, f: Parsed): TrainedRun & { dir: string } {
  const replica = (f.replica as number | undefined) ?? 0;
  if (!path) throw new UsageError(`${what}: give a run directory (one written by hedonist run with --checkpoint-every, holding checkpoint.bin)`);
  if (!existsSync(path)) throw new UsageError(`${what}: '${path}' does not exist`);
  const { parts } = readCheckpointFile(path, RUN_CHECKPOINT, what);
  if (!parts.header.experiment) throw new UsageError(`${what}: the checkpoint in '${path}' holds no experiment`);
  const experiment = parseExperiment(parts.header.experiment);
  if (replica >= experiment.run.replicas) throw new UsageError(`--replica: ${path} has ${experiment.run.replicas} replicas (0 to ${experiment.run.replicas - 1}), got ${replica}`);
  return { ...(f.untrained ? untrainedRun(experiment) : { experiment, arrays: parts.arrays }), dir: path };
}

/** Analysis errors as one line, exit 2 (with `what`, also a RangeError: the data cannot be analysed so). */
function guard<T>(f: () => T, what?: string): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof AnalysisInputError || e instanceof SpikeFileError) throw new UsageError(e.message);
    if (what && e instanceof RangeError) throw new UsageError(`${what}: ${e.message}`);
    throw e;
  }
}

function recordRun(run: TrainedRun, f: Parsed): Evaluation {
  return guard(() => evaluate(run, { episodes: f['eval-episodes'] as number, seed: f.seed as number, replica: f.replica as number, record: true }));
}

/** A comma list of names, each one of `known` (one line naming the flag otherwise). */
function nameList(flag: string, value: string, known: readonly string[]): string[] {
  const items = value.split(',');
  const seen = new Set<string>();
  for (const it of items) {
    if (it === '') throw new UsageError(`--${flag}: empty item in '${value}'`);
    if (seen.has(it)) throw new UsageError(`--${flag}: '${it}' is listed twice`);
    if (!known.includes(it)) throw new UsageError(`--${flag}: '${it}' is not one of the network's ${known.length} (e.g. ${known.slice(0, 6).join(', ')})`);
    seen.add(it);
  }
  return items;
}

/**
 * The units of `--units` (default the action units, the first 12 of them; a network whose action is
 * no unit's spike, e.g. weight-max's softmax: its last 12 units), at most 12: Chalk's inverse is tabular.
 */
function chosenUnits(f: Parsed, ev: Evaluation): number[] {
  const fallback = () => ev.units.map((_, i) => i).slice(-12);
  const chosen = f.units ? nameList('units', f.units as string, ev.units).map((n) => ev.units.indexOf(n)) : ev.actions.length ? ev.actions.slice(0, 12) : fallback();
  if (chosen.length > 12) throw new UsageError(`--units: at most 12 units (infer-reward's tabular inverse), got ${chosen.length}`);
  return chosen;
}

const meanReturn = (ev: Evaluation) => mean(ev.episodes.map((e) => e.return));

const recordCommand: CliCommand = {
  path: ['analyze', 'record'],
  summary: "record a trained run's spikes, observations and rewards over evaluation episodes (CSV, and a spike file for infer-reward)",
  flags: {
    run: { type: 'positional', help: 'the run directory (with checkpoint.bin)' },
    out: { type: 'string', help: 'the CSV file to write (episode, t, reward, obs.*, one 0/1 column per unit)' },
    spk: { type: 'string', help: 'the spike file for infer-reward (default: --out with .spk for .csv)' },
    units: {
      type: 'string',
      help: "the units in the spike file, comma separated, at most 12 (default: the units the env reads as actions: a connectome's motor outputs, a dense network's out.*; weight-max: the last 12 hidden units)",
    },
    ...EVAL_FLAGS,
    overwrite: { type: 'bool', help: 'replace existing output files' },
  },
  async run(f) {
    const out = f.out as string | undefined;
    if (!out) throw new UsageError('analyze record needs --out FILE (the CSV)');
    const spk = (f.spk as string | undefined) ?? (out.endsWith('.csv') ? `${out.slice(0, -4)}.spk` : `${out}.spk`);
    if (spk === out) throw new UsageError('--spk: must differ from --out');
    for (const [flag, p] of [
      ['--out', out],
      ['--spk', spk],
    ] as const) {
      if (existsSync(p) && !f.overwrite) throw new UsageError(`${flag}: '${p}' exists: pass --overwrite to replace it`);
      checkOutputPath(flag, p);
    }
    const run = loadRun(f.run as string | undefined, 'analyze record', f);
    const ev = recordRun(run, f);
    const chosen = chosenUnits(f, ev);
    writeFileAtomic(out, recordingCsv(ev));
    writeFileAtomic(spk, chalkSpikeText(ev, chosen, f.seed as number));
    return {
      run: run.dir,
      env: ev.env,
      episodes: ev.episodes.length,
      steps: ev.episodes.reduce((s, e) => s + e.steps, 0),
      units: ev.units.length,
      spikeFileUnits: chosen.map((i) => ev.units[i]),
      meanReturn: meanReturn(ev),
      csv: out,
      spk,
    };
  },
  format: (r) =>
    `recorded ${r.episodes} episodes (${r.steps} steps, ${r.units} units) of ${r.run} on ${r.env}: mean return ${(r.meanReturn as number).toFixed(2)}\ncsv: ${r.csv}\nspike file (infer-reward): ${r.spk} (units ${(r.spikeFileUnits as string[]).join(' ')})`,
};

/** The ablation conditions the flags ask for. */
function conditionsOf(f: Parsed, units: readonly string[]): AblationCondition[] {
  const out: AblationCondition[] = [];
  const classes = [...new Set(units.map(unitClass))];
  const ofClass = (c: string) => units.flatMap((n, i) => (unitClass(n) === c ? [i] : []));
  if (f.neurons) {
    const names = nameList('neurons', f.neurons as string, units);
    out.push({ label: names.join('+'), units: names.map((n) => units.indexOf(n)) });
  }
  if (f.class) for (const c of nameList('class', f.class as string, classes)) out.push({ label: `class ${c}`, units: ofClass(c) });
  if (f['all-classes']) for (const c of classes) out.push({ label: `class ${c}`, units: ofClass(c) });
  if (f['all-single']) units.forEach((n, i) => out.push({ label: n, units: [i] }));
  if (f.all) out.push({ label: 'all units', units: units.map((_, i) => i) });
  if (out.length === 0) throw new UsageError('analyze ablate: give --neurons A,B, --class C, --all-classes, --all-single or --all');
  return out;
}

const ablateCommand: CliCommand = {
  path: ['analyze', 'ablate'],
  summary: 'silence units of a trained run and rank them by how much its behaviour drops (table + bar chart)',
  flags: {
    run: { type: 'positional', help: 'the run directory (with checkpoint.bin)' },
    neurons: { type: 'string', help: 'silence these units together (comma separated names)' },
    class: { type: 'string', help: 'silence each of these classes (comma separated; a class is a name without its L/R, D/V and number suffixes, e.g. SMD, AVA; h0 for a dense layer)' },
    'all-classes': { type: 'bool', help: 'one condition per class' },
    'all-single': { type: 'bool', help: 'one condition per unit' },
    all: { type: 'bool', help: 'one condition silencing every unit' },
    ...EVAL_FLAGS,
    ...NAME_FLAGS,
  },
  async run(f, io) {
    const run = loadRun(f.run as string | undefined, 'analyze ablate', f);
    const conditions = conditionsOf(
      f,
      guard(() => unitMapOf(run.experiment).units).map((u) => u.name),
    );
    const dir = io.runDir('analyze-ablate', f.name as string | undefined);
    const bar = io.progress('ablate', 'conditions');
    let r: AblationResult;
    try {
      r = guard(() => ablate(run, conditions, { episodes: f['eval-episodes'] as number, seed: f.seed as number, replica: f.replica as number }, (done, total) => bar.update(done, total)));
    } finally {
      bar.stop();
    }
    dir.writeText('ablation.csv', ablationCsv(r));
    dir.writeText('ablation.md', ablationMarkdown(r));
    const result = { run: run.dir, runDir: dir.path, ...r };
    dir.writeJson('summary.json', result);
    await dir.close();
    return result;
  },
  format: (r) => {
    const a = r as unknown as AblationResult & { runDir: string };
    const top = a.rows.slice(0, 10).map((row) => `  ${row.rank}. ${row.label}: drop ${row.drop.toFixed(3)} (mean return ${row.meanReturn.toFixed(3)})`);
    return [
      `intact mean return ${a.intact.meanReturn.toFixed(3)} over ${a.episodes} episodes; ${a.rows.length} conditions, largest drops:`,
      ...top,
      `tables: ${a.runDir}/ablation.csv, ${a.runDir}/ablation.md`,
    ].join('\n');
  },
  pictures: {
    charts: (r) => {
      const a = r as unknown as AblationResult;
      const bars = a.rows.slice(0, 30).map((row) => ({ category: row.label, ...errorBar(row.drop, row.dropStd / Math.sqrt(a.episodes)) }));
      return [barChart('ablation: drop in mean return', 'silenced', `intact - ablated mean return (${a.episodes} episodes, +- s.e.)`, bars)];
    },
  },
};

/** Activity of a run (recorded now) or of a recording file. */
function activityOf(source: string | undefined, f: Parsed, what: string): { activity: ActivityMatrix; from: string } {
  if (!source) throw new UsageError(`${what}: give a run directory or a recording (.csv from analyze record, or a .spk spike file)`);
  if (existsSync(source) && statSync(source).isDirectory()) {
    const run = loadRun(source, what, f);
    return { activity: activityMatrix(recordRun(run, f), f.activity as 'spikes' | 'prob'), from: source };
  }
  const text = readNamedFile(source, (why) => new UsageError(`${what}: cannot read '${source}' (${why})`));
  return { activity: guard(() => parseActivityFile(text, source)), from: source };
}

const ACTIVITY_FLAG: Flags = {
  activity: { type: 'choice', choices: ['spikes', 'prob'], default: 'spikes', help: "what a unit's activity is: its 0/1 spikes or its firing probabilities (runs only)" },
};

const pcaCommand: CliCommand = {
  path: ['analyze', 'pca'],
  summary: 'PCA of population activity: variance explained per component (table, scree plot) and the path on PC1-PC2',
  flags: {
    source: { type: 'positional', help: 'a run directory (recorded now) or a recording file (.csv from analyze record, or a .spk spike file)' },
    ...EVAL_FLAGS,
    ...ACTIVITY_FLAG,
    ...NAME_FLAGS,
  },
  async run(f, io) {
    const { activity, from } = activityOf(f.source as string | undefined, f, 'analyze pca');
    const p = guard(() => populationPca(activity), 'analyze pca');
    const dir = io.runDir('analyze-pca', f.name as string | undefined);
    dir.writeText('pca.csv', ['component,explained,cumulative', ...p.explained.map((v, i) => `${i + 1},${v},${p.cumulative[i]}`)].join('\n') + '\n');
    dir.writeText(
      'pca.md',
      [
        `PCA of ${activity.rows} steps x ${p.units.length} varying units of ${from}${p.constant.length ? ` (${p.constant.length} constant units left out)` : ''}; centred, not scaled.`,
        '',
        '| component | variance explained | cumulative |',
        '|---|---|---|',
        ...p.explained.slice(0, 20).map((v, i) => `| PC${i + 1} | ${v.toFixed(4)} | ${p.cumulative[i]!.toFixed(4)} |`),
        '',
      ].join('\n'),
    );
    dir.writeText('pcs.csv', ['episode,t,pc1,pc2', ...p.pc1.map((v, i) => `${activity.episode[i]},${activity.step[i]},${v},${p.pc2[i]}`)].join('\n') + '\n');
    const { pc1, pc2, ...rest } = p;
    const paths = [...new Set(Array.from(activity.episode))].slice(0, 3).map((e) => {
      const idx = [...activity.episode.keys()].filter((i) => activity.episode[i] === e);
      return { label: `episode ${e}`, x: idx.map((i) => pc1[i]!), y: idx.map((i) => pc2[i]!) };
    });
    const result = { source: from, runDir: dir.path, rows: activity.rows, ...rest, explained: rest.explained, paths };
    dir.writeJson('summary.json', { ...result, paths: undefined });
    await dir.close();
    return result;
  },
  format: (r) => {
    const p = r as unknown as PcaResult & { runDir: string; rows: number };
    return [
      `PCA of ${p.rows} steps x ${p.units.length} units: ${p.explained
        .slice(0, 5)
        .map((v, i) => `PC${i + 1} ${(100 * v).toFixed(1)}%`)
        .join(', ')}; 90% of the variance in ${p.cumulative.findIndex((c) => c >= 0.9) + 1} components`,
      `tables: ${p.runDir}/pca.csv, ${p.runDir}/pca.md, ${p.runDir}/pcs.csv`,
    ].join('\n');
  },
  pictures: {
    charts: (r) => {
      const p = r as unknown as PcaResult & { paths: { label: string; x: number[]; y: number[] }[] };
      const k = Math.min(20, p.explained.length);
      return [
        barChart(
          'scree: variance explained per component',
          'component',
          'fraction of variance',
          p.explained.slice(0, k).map((v, i) => ({ category: `PC${i + 1}`, value: v })),
        ),
        { kind: 'line', title: 'activity on PC1 and PC2, step by step', xTitle: 'PC1', yTitle: 'PC2', path: true, series: p.paths },
      ] satisfies Chart[];
    },
  },
};

const ckaCommand: CliCommand = {
  path: ['analyze', 'cka'],
  summary: 'linear CKA between trained runs (e.g. different seeds), each driven by the same recorded inputs (matrix + heatmap)',
  flags: {
    runs: { type: 'positionals', help: 'two or more run directories with the same env' },
    ...EVAL_FLAGS,
    activity: { type: 'choice', choices: ['prob', 'spikes'], default: 'prob', help: "a unit's activity: its firing probabilities or its 0/1 spikes" },
    ...NAME_FLAGS,
  },
  async run(f, io) {
    const paths = (f.runs as string[] | undefined) ?? [];
    if (paths.length < 2) throw new UsageError(`analyze cka: give at least two run directories, got ${paths.length}`);
    const runs = paths.map((p) => loadRun(p, 'analyze cka', f));
    const env = runs[0]!.experiment.env?.name;
    for (const r of runs)
      if (r.experiment.env?.name !== env) throw new UsageError(`analyze cka: every run must have the same env; ${runs[0]!.dir} has '${env}', ${r.dir} has '${r.experiment.env?.name}'`);
    // The inputs: the first run's own episodes; every run is then driven by those observations.
    const inputs = recordRun(runs[0]!, f).episodes.map((e) => e.obs!);
    const acts = runs.map((r) =>
      activityMatrix(
        guard(() => evaluate(r, { episodes: inputs.length, seed: f.seed as number, replica: f.replica as number, inputs, record: true })),
        f.activity as 'prob' | 'spikes',
      ),
    );
    const mats = acts.map((a) => matrixOf(a.data, a.rows, a.units.length));
    const matrix = mats.map((a) => mats.map((b) => linearCka(a, b)));
    const base = paths.map((p) => p.replace(/\/+$/, '').split('/').pop()!);
    const labels = base.map((b, i) => (base.indexOf(b) !== i || base.lastIndexOf(b) !== i ? `${b} #${i + 1}` : b));
    const dir = io.runDir('analyze-cka', f.name as string | undefined);
    dir.writeText('cka.csv', [['run', ...labels].join(','), ...matrix.map((row, i) => [labels[i], ...row].join(','))].join('\n') + '\n');
    dir.writeText(
      'cka.md',
      [
        `Linear CKA of the units' ${f.activity === 'prob' ? 'firing probabilities' : 'spikes'} over ${acts[0]!.rows} steps (${inputs.length} episodes of ${labels[0]}'s observations fed to every run; seed ${f.seed}).`,
        '',
        `| | ${labels.join(' | ')} |`,
        `|---|${labels.map(() => '---|').join('')}`,
        ...matrix.map((row, i) => `| ${labels[i]} | ${row.map((v) => v.toFixed(3)).join(' | ')} |`),
        '',
      ].join('\n'),
    );
    const result = { runs: paths, labels, runDir: dir.path, steps: acts[0]!.rows, units: acts.map((a) => a.units.length), matrix };
    dir.writeJson('summary.json', result);
    await dir.close();
    return result;
  },
  format: (r) => {
    const c = r as unknown as { labels: string[]; matrix: number[][]; runDir: string };
    return [...c.matrix.map((row, i) => `${c.labels[i]}: ${row.map((v) => v.toFixed(3)).join(' ')}`), `tables: ${c.runDir}/cka.csv, ${c.runDir}/cka.md`].join('\n');
  },
  pictures: {
    charts: (r) => {
      const c = r as unknown as { labels: string[]; matrix: number[][] };
      return [{ kind: 'heatmap', title: 'linear CKA between runs', xTitle: 'run', yTitle: 'run', rows: c.labels, cols: c.labels, values: c.matrix, domain: [0, 1] }];
    },
  },
};

const irlCommand: CliCommand = {
  path: ['analyze', 'irl'],
  summary: "Chalk's inverse RL on a trained run's recorded spikes: does the inferred reward follow the task reward better than time-shifted spikes?",
  flags: {
    run: { type: 'positional', help: 'the run directory (with checkpoint.bin)' },
    units: {
      type: 'string',
      help: "the units to infer over, comma separated, at most 12 (default: the units the env reads as actions: a connectome's motor outputs, a dense network's out.*; weight-max: the last 12 hidden units)",
    },
    lambda: { type: 'number', min: 1e-6, max: 1e6, default: 1, help: 'the coding-cost weight the inverse assumes (scales the inferred reward; the score is a correlation)' },
    shifts: { type: 'int', min: 1, max: 10_000, default: 20, help: 'time-shifted controls' },
    ...EVAL_FLAGS,
    ...NAME_FLAGS,
  },
  async run(f, io) {
    const run = loadRun(f.run as string | undefined, 'analyze irl', f);
    const ev = recordRun(run, f);
    const chosen = chosenUnits(f, ev);
    const s = guard(() => irlRecovery(ev, chosen, { lambda: f.lambda as number, shifts: f.shifts as number, seed: f.seed as number }), 'analyze irl');
    const dir = io.runDir('analyze-irl', f.name as string | undefined);
    const result = {
      run: run.dir,
      runDir: dir.path,
      untrained: Boolean(f.untrained),
      episodes: ev.episodes.length,
      meanReturn: meanReturn(ev),
      units: chosen.map((i) => ev.units[i]),
      ...s,
      shiftedMean: mean(s.shifted),
      shiftedMax: Math.max(...s.shifted),
    };
    dir.writeJson('summary.json', result);
    dir.writeText(
      'irl.md',
      `Inverse RL (Bellman inversion, lambda ${f.lambda}) on ${ev.episodes.length} episodes of ${run.dir}${f.untrained ? ' (untrained)' : ''}, units ${result.units.join(' ')}: correlation of the inferred reward with the task reward ${s.observed.toFixed(3)}; ${s.shifted.length} time-shifted controls: mean ${result.shiftedMean.toFixed(3)}, max ${result.shiftedMax.toFixed(3)}; p = ${s.p.toFixed(3)}.\n`,
    );
    await dir.close();
    return result;
  },
  format: (r) => {
    const s = r as unknown as IrlScore & { shiftedMean: number; shiftedMax: number; runDir: string; meanReturn: number };
    return `inferred vs task reward: r = ${s.observed.toFixed(3)} (recorded spikes, mean return ${s.meanReturn.toFixed(2)}); time-shifted controls mean ${s.shiftedMean.toFixed(3)}, max ${s.shiftedMax.toFixed(3)}; p = ${s.p.toFixed(3)}\nresult: ${s.runDir}/irl.md`;
  },
  pictures: {
    charts: (r) => {
      const s = r as unknown as IrlScore;
      return [
        barChart('inferred reward vs task reward (correlation)', 'spikes', 'Pearson r', [
          { category: 'recorded', value: s.observed },
          { category: 'time-shifted (min-max)', value: mean(s.shifted), lo: Math.min(...s.shifted), hi: Math.max(...s.shifted) },
        ]),
      ];
    },
  },
};

export const ANALYZE_COMMANDS: CliCommand[] = [recordCommand, ablateCommand, pcaCommand, ckaCommand, irlCommand];
