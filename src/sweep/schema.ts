import { z } from 'zod';

/**
 * The sweep file: a base experiment plus axes of overrides (JSON paths, the `--set` machinery of
 * `hedonist run`) and seeds. Every cell of the grid resolves to an experiment file that must parse
 * with the experiment schema (src/experiment/schema.ts); see docs/sweeps.md.
 */

/** The paper tables `collect` can write beside the generic one (src/sweep/reports.ts; one per reproduce command that runs as a sweep). */
export const REPORT_NAMES = ['ott-table1', 'chung-table1', 'chung-scaling', 'bhargava-table1', 'chalk', 'worm-chemotaxis'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

const name = z.string().regex(/^[\w.-]+$/, { error: "must hold only letters, digits, '.', '_' and '-'" });
/** `{ "rule.lr": 0.01, "population.hidden": [16, 16] }`: JSON path -> value (null removes the field). */
const Overrides = z.record(z.string().min(1), z.unknown()).describe('JSON path -> value, as `hedonist run --set path=value` (null removes the field)');

const PathAxis = z.strictObject({
  name: name.optional().describe('the column name in the table (default: the path)'),
  path: z.string().min(1).describe('the JSON path each value is set at, e.g. rule.lr'),
  values: z.array(z.unknown()).min(1, { error: 'must list at least one value' }).describe('the values, one cell each'),
});

const SetsAxis = z.strictObject({
  name: name.describe('the column name in the table'),
  values: z
    .array(z.strictObject({ label: z.string().min(1).describe('the value as the table shows it'), set: Overrides }))
    .min(1, { error: 'must list at least one value' })
    .describe('each value sets several paths at once'),
});

export const AxisSchema = z.union([PathAxis, SetsAxis], { error: 'an axis is { path, values } or { name, values: [{ label, set }] }' });

export const SlurmOptionsSchema = z
  .strictObject({
    partition: z.string().min(1).optional().describe('sbatch --partition'),
    time: z.string().min(1).optional().describe("a task's time limit, sbatch --time (e.g. 02:00:00)"),
    cpusPerTask: z.number().int().min(1).optional().describe('sbatch --cpus-per-task'),
    mem: z.string().min(1).optional().describe('sbatch --mem (e.g. 4G)'),
    gpusPerTask: z.number().int().min(0).optional().describe('GPUs per array task: sbatch --gres=gpu:N (one task runs one cell)'),
    maxRunning: z.number().int().min(1).optional().describe('at most this many array tasks at once (--array=...%N)'),
    setup: z.array(z.string()).optional().describe('shell lines run before each cell, e.g. "module load nodejs/20"'),
    node: z.string().min(1).optional().describe('the node binary on the compute nodes (default: this one, by absolute path)'),
    args: z.array(z.string()).optional().describe('more sbatch flags, e.g. ["--account=lab", "--qos=short"]'),
  })
  .describe('defaults for --executor slurm (the command-line flags override them)');

export const CollectSchema = z
  .strictObject({
    metrics: z.array(z.string().min(1)).min(1).optional().describe('summary.json fields summarised per cell over seeds (default: every numeric top-level field but the timings)'),
    curve: z
      .strictObject({
        y: z.string().min(1).describe('the metrics.jsonl field plotted (e.g. charts/episodic_return)'),
        x: z.string().min(1).default('episode').describe('the metrics.jsonl field on the x axis'),
        smooth: z.number().int().min(1).default(1).describe('moving average over this many x values'),
      })
      .optional()
      .describe('the learning curve (default: episode against charts/episodic_return or return, whichever the metrics hold)'),
    report: z.enum(REPORT_NAMES).optional().describe("a paper's table written beside the generic one"),
    evalEpisodes: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe("report worm-chemotaxis: the episodes scored at each cell's start (untrained) and end (trained), as --eval-episodes (default 50)"),
  })
  .describe('what `hedonist sweep collect` summarises');

export const SweepSchema = z.strictObject({
  $schema: z.string().optional().describe('a JSON-schema reference for editors (ignored), e.g. "./sweep.schema.json"'),
  name: name.describe("the sweep's name; the default directory is sweeps/<name>"),
  description: z.string().optional().describe('free text'),
  base: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).describe('the base experiment: a file (relative to the sweep file) or the experiment inline'),
  set: Overrides.default({}).describe('overrides applied to every cell'),
  axes: z.array(AxisSchema).default([]).describe('the grid, first axis outermost: each axis sets one path per value, or several paths per value'),
  seeds: z
    .array(
      z
        .number()
        .int()
        .min(0)
        .max(2 ** 32 - 1),
    )
    .min(1)
    .optional()
    .describe("run.seed of each repeat (the innermost axis); absent: the experiment's own seed"),
  checkpointEvery: z.number().int().min(1).optional().describe('every cell checkpoints every N env steps (a stop by signal always writes one)'),
  collect: CollectSchema.prefault({}),
  slurm: SlurmOptionsSchema.prefault({}),
});

export type Sweep = z.output<typeof SweepSchema>;
export type SweepInput = z.input<typeof SweepSchema>;
export type SlurmOptions = z.output<typeof SlurmOptionsSchema>;
