/**
 * Chung (2022), Weight Maximization:
 * `train chung-cartpole` / `chung-acrobot` / `chung-lunarlander` / `chung-multiplexer` run the
 * weight-max rule on the core (an experiment through `runExperimentCli`: the CPU twins or WebGPU,
 * checkpoints, --resume; `chung-multiplexer-cpu` is `chung-multiplexer` with `--backend cpu` by
 * default); `reproduce chung-table1` runs Table 1's grid through the core and prints each cell
 * beside the paper's mean (std). (`train million` and `reproduce chung-scaling`: chung-gpu.ts.)
 */
import {
  CHUNG_PRESETS,
  CHUNG_RULES,
  CHUNG_TABLE1,
  CHUNG_TABLE_ROWS,
  CHUNG_TASKS,
  chungPreset,
  chungTable1Markdown,
  reproduceChungTable1,
  validateChungConfig,
  type ChungConfig,
  type ChungRule,
  type ChungSummary,
  type ChungTable1Row,
  type ChungTableRow,
  type ChungTask,
} from '../../chung/index.ts';
import { parseExperiment } from '../../experiment/load.ts';
import { paperBars } from '../../plot/paper-bars.ts';
import type { Experiment } from '../../experiment/schema.ts';
import { CHUNG_TASK_ENVS, chungConfigOf, chungExperiment, type WeightMaxExperiment } from '../../rules/weight-max.ts';
import { refuseUnless, UsageError, type Parsed } from '../args.ts';
import { writeTable1, type CliCommand } from '../command.ts';
import { gpuFor, runExperimentCli, type RunSummary } from '../experiment-run.ts';
import { backendFlag, COMMON_TRAIN_FLAGS, episodesFlag, replicasFlag, RUN_FLAGS, type Backend } from '../flags.ts';
import { chungTable1Sweep } from '../../chung/table1-sweep.ts';
import { reproduceFormat, refuseSweepFlags, reproduceAsSweep, REPRODUCE_SWEEP_FLAGS } from './sweep.ts';

/** The config errors of src/chung/ are RangeErrors naming the field; at the CLI edge they are usage errors (exit 2). */
function checked(c: ChungConfig): ChungConfig {
  try {
    validateChungConfig(c);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  return c;
}

/** The table's markdown and its comparisons live with the reproduction (src/chung/reproduce.ts). */
export { chungTable1Markdown, versus, versusPaper } from '../../chung/reproduce.ts';

const fmt = (x: number | null, d = 2) => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(d));

const TRAIN_TASKS: { task: ChungTask; path: string; backend?: 'cpu' }[] = [
  { task: 'cartpole', path: 'chung-cartpole' },
  { task: 'acrobot', path: 'chung-acrobot' },
  { task: 'lunarlander', path: 'chung-lunarlander' },
  { task: 'multiplexer', path: 'chung-multiplexer' },
  { task: 'multiplexer', path: 'chung-multiplexer-cpu', backend: 'cpu' },
];

/** Table 1's cell for a run (the paper ran every baseline with traces on the multi-step tasks) and whether the run is comparable with it. */
function paperCell(task: ChungTask, c: ChungConfig) {
  const key = c.rule === 'weightmax' && c.traces ? 'weightmax+traces' : c.rule;
  const paper = CHUNG_TABLE1[key]?.[task] ?? null;
  const paperSetup = task === 'multiplexer' || c.rule === 'weightmax' || c.traces;
  return {
    paperMean: paper?.[0] ?? null,
    paperStd: paper?.[1] ?? null,
    comparable: c.episodes === CHUNG_PRESETS[task].episodes && c.maxSteps === 0 && c.traceForm === 'code' && paperSetup,
  };
}

function formatTrain(task: ChungTask, r: Record<string, unknown>): string {
  const s = r as unknown as ChungSummary & { paperMean: number | null; paperStd: number | null; comparable: boolean; runDir: string; backend?: string; adapter?: string };
  const d = task === 'multiplexer' ? 3 : 2;
  return [
    `chung ${s.task} / ${s.rule}${s.traces ? ` + traces (${s.traceForm})` : ''}, seed ${s.seed}, ${s.replicas} replicas x ${s.episodes} episodes, ${s.steps} steps, ${s.wallSeconds.toFixed(1)} s` +
      (s.backend ? ` on ${s.backend} (${s.adapter})` : ''),
    `mean return over all episodes: ${fmt(s.meanReturn, d)} (std ${fmt(s.stdReturn, d)} over replicas)` +
      (s.paperMean === null ? '' : `; paper ${fmt(s.paperMean, d)} (${fmt(s.paperStd, d)})${s.comparable ? '' : " - not comparable: episode count, step cap or traces differ from the paper's run"}`),
    `per replica: ${s.perReplica.map((x) => fmt(x, d)).join(' ')}`,
    `mean return, last 10% of episodes: ${fmt(s.finalMeanReturn, d)}`,
    `metrics: ${s.runDir}/metrics.jsonl`,
  ].join('\n');
}

function trainFlags(task: ChungTask) {
  const P = CHUNG_PRESETS[task];
  return {
    ...COMMON_TRAIN_FLAGS,
    rule: { type: 'choice', choices: CHUNG_RULES, default: 'weightmax', help: 'learning rule of the hidden units' },
    traces: { type: 'bool', help: `eligibility traces in the actor (lambda ${P.actorLambda}; not for the multiplexer)` },
    'trace-form': { type: 'choice', choices: ['code', 'shifted'], default: 'code', help: "with --traces: the paper code's traces, or eqs. 13-17 (weightmax only)" },
    replicas: replicasFlag({ default: 1, max: 4096 }),
    // The default is the paper's count for the task; fewer are marked not comparable.
    episodes: episodesFlag({ default: P.episodes }),
    'max-steps': { type: 'int', min: 0, max: 1e12, default: 0, help: 'cap on environment steps per replica (0 = none)' },
  } as const;
}

function configOf(task: ChungTask, f: Parsed): ChungConfig {
  refuseUnless(f, 'trace-form', Boolean(f.traces), 'applies only with --traces');
  return checked(
    chungPreset(task, {
      rule: f.rule as ChungRule,
      traces: Boolean(f.traces),
      traceForm: f['trace-form'] as 'code' | 'shifted',
      replicas: f.replicas as number,
      episodes: f.episodes as number,
      seed: f.seed as number,
      maxSteps: f['max-steps'] as number,
    }),
  );
}

/**
 * `train chung-cartpole` / `chung-acrobot` / `chung-lunarlander` / `chung-multiplexer`: the flags'
 * config as a weight-max experiment run by the core (runExperimentCli), with Table 1's cell beside
 * the result.
 */
function trainCommand(task: ChungTask, path: string, backend: Backend = 'auto'): CliCommand {
  return {
    path: ['train', path],
    summary: `Chung (2022) ${task} on the core (CPU twins or WebGPU): hidden units learn by Weight Max or a baseline rule${backend === 'cpu' ? ' (--backend cpu by default)' : ''}`,
    flags: {
      ...trainFlags(task),
      backend: backendFlag({ default: backend }),
      ...RUN_FLAGS,
    },
    async run(f, io) {
      const extend = (s: RunSummary) => paperCell(task, chungConfigOf(s.experiment as WeightMaxExperiment));
      if (f.resume) return runExperimentCli(undefined, f, io, { extend });
      const c = configOf(task, f);
      const x: Experiment = parseExperiment(chungExperiment(c, CHUNG_TASK_ENVS[task], f.backend as Experiment['run']['backend']));
      return runExperimentCli(x, f, io, { extend });
    },
    format: (r) => formatTrain(task, r),
  };
}

/** `hedonist reproduce chung-table1`: every requested rule x task cell beside the paper's mean (std). */
export const chungTable1Command: CliCommand = {
  path: ['reproduce', 'chung-table1'],
  summary: "Chung (2022) Table 1: mean return over all training episodes per rule x task, beside the paper's",
  flags: {
    ...COMMON_TRAIN_FLAGS,
    tasks: { type: 'choice-list', choices: CHUNG_TASKS, default: ['multiplexer', 'cartpole', 'acrobot', 'lunarlander'], help: 'tasks (columns)' },
    rules: { type: 'choice-list', choices: CHUNG_TABLE_ROWS, default: [...CHUNG_TABLE_ROWS], help: 'rows (weightmax+traces = Weight Max with traces)' },
    replicas: replicasFlag({ default: 10, max: 4096 }), // per cell; the paper's 10
    episodes: episodesFlag({ defaultText: "the paper's per task; fewer are marked not comparable" }),
    backend: backendFlag({ default: 'auto' }),
    ...REPRODUCE_SWEEP_FLAGS,
  },
  async run(f, io) {
    const tasks = f.tasks as ChungTask[];
    const rules = f.rules as ChungTableRow[];
    const R = f.replicas as number;
    const E = f.episodes as number | undefined;
    const episodes = E === undefined ? undefined : Object.fromEntries(tasks.map((t) => [t, E]));
    // Validate every cell before the first one runs.
    const seed = f.seed as number;
    for (const task of tasks) {
      checked(chungPreset(task, { replicas: R, episodes: E ?? CHUNG_PRESETS[task].episodes, seed }));
    }
    if (f.executor) return reproduceAsSweep<{ rows: ChungTable1Row[] }>(chungTable1Sweep({ tasks, rows: rules, replicas: R, episodes, seed }, f.backend as Experiment['run']['backend']), f, io);
    refuseSweepFlags(f);
    const { ctx, choice } = await gpuFor(f.backend as Experiment['run']['backend'], io);
    if (!f.json) io.log(`cells on ${choice.backend} (${choice.reason})`);
    const dir = io.runDir('chung-table1', f.name as string | undefined);
    const t0 = performance.now();
    const rows: ChungTable1Row[] = [];
    try {
      // One cell at a time (tasks outer, rows inner, as reproduceChungTable1 orders them) so each gets its own bar.
      for (const task of tasks) {
        for (const row of rules) {
          if (row === 'weightmax+traces' && task === 'multiplexer') continue; // the paper's n.a. cell
          const total = R * (E ?? CHUNG_PRESETS[task].episodes);
          const bar = io.progress(`${task}/${row}`, 'episodes');
          let done = 0;
          try {
            const [out] = await reproduceChungTable1({
              tasks: [task],
              rows: [row],
              replicas: R,
              episodes,
              seed,
              train: { ctx, choice },
              hooks: {
                onEpisode(m, replica) {
                  dir.log({ task, row, replica, episode: m.episode, 'charts/episodic_return': m.return, length: m.length });
                  done++;
                  if (done % 16 === 0 || done === total) bar.update(done, total);
                },
              },
            });
            bar.stop();
            rows.push(out!);
            io.log(
              `${task} / ${row}: ${fmt(out!.mean)} (${fmt(out!.std)}) vs paper ${fmt(out!.paperMean)} (${fmt(out!.paperStd)})` +
                (out!.code ? `, public code ${fmt(out!.code.mean, 3)} (${fmt(out!.code.std, 3)})` : '') +
                `${out!.comparable ? '' : " [not the paper's episode count]"}, ${out!.wallSeconds.toFixed(0)} s`,
            );
          } finally {
            bar.stop();
          }
        }
      }
      const wallSeconds = (performance.now() - t0) / 1000;
      const result = { seed, replicas: R, tasks, rules, episodes: E ?? null, coreBackend: choice.backend, coreBackendReason: choice.reason, wallSeconds, rows, runDir: dir.path };
      return writeTable1(dir, result, chungTable1Markdown(rows));
    } finally {
      await dir.close();
    }
  },
  format: reproduceFormat(
    'Chung (2022) Table 1',
    (x: { rows: ChungTable1Row[] }) => chungTable1Markdown(x.rows),
    (r) => {
      const s = r as { rows: ChungTable1Row[]; wallSeconds: number; runDir: string };
      const where = (s as { coreBackend?: string }).coreBackend;
      return [`Chung (2022) Table 1 on the core (${where}), ${s.wallSeconds.toFixed(0)} s`, chungTable1Markdown(s.rows), `table: ${s.runDir}/table1.md, metrics: ${s.runDir}/metrics.jsonl`].join('\n');
    },
  ),
  pictures: {
    panelBy: 'task',
    groupBy: ['row'],
    // one bar chart per task: the tasks' returns are on different scales
    charts: (r) => {
      const rows = (r.rows ?? []) as ChungTable1Row[];
      return [...new Set(rows.map((x) => x.task))].map((task) =>
        paperBars(
          `Chung (2022) Table 1, ${task}: mean return over training`,
          'rule',
          'mean return',
          rows.filter((x) => x.task === task).map((x) => ({ category: x.row, mean: x.mean, std: x.std, paperMean: x.paperMean, paperStd: x.paperStd })),
        ),
      );
    },
  },
};

export const CHUNG_COMMANDS: CliCommand[] = [...TRAIN_TASKS.map((t) => trainCommand(t.task, t.path, t.backend)), chungTable1Command];
