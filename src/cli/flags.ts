/**
 * The flags that mean the same thing in many commands, in one place: every command takes its seed,
 * run length, backend, chunk size and output flags from here, so one concept has one spelling, one
 * default (where the concept has one) and one help text everywhere. `CONCEPTS` names each concept's
 * flag and the spellings it must not take; `RENAMED` maps the old spellings to the new ones (the
 * parser refuses an old spelling with one line naming the new flag). test/cli/flag-concepts.test.ts
 * walks every registered command against these tables.
 */
import { availableParallelism } from 'node:os';
import type { FlagSpec, Flags, Parsed } from './args.ts';
import { givenFlags, UsageError } from './args.ts';

/** The default seed of every command (the experiment schema's run.seed default). */
export const DEFAULT_SEED = 0;

const SEED_HELP = 'seed of every random draw (run.seed)';
const EPISODES_HELP = 'episodes per replica: the run length of an episodic task (run.episodes)';
const STEPS_HELP = 'learning steps per replica: the run length of a task without episodes (synaptic-q and gd: rule.iterations; coding-cost: its sampled steps)';
const BACKEND_HELP = "where the kernels run: WebGPU, their CPU twins, or 'auto' (the CPU twins on a software adapter, WebGPU on a hardware one) (run.backend)";
const STEPS_PER_SUBMIT_HELP = 'env steps per chunk on WebGPU: one GPU submit, one metrics readback (run.stepsPerChunk; refused on the CPU twins)';
const JSON_HELP = 'print the result as one JSON object on stdout';
const REPLICAS_HELP = 'independent networks trained side by side (run.replicas; in a reproduce command: per cell)';
const JOBS_HELP = 'local executor: cells run at once, each in a process of its own';

/** The backends every training command offers, in this order. */
export const BACKENDS = ['auto', 'webgpu', 'cpu'] as const;
export type Backend = (typeof BACKENDS)[number];

/** What a concept flag's factory takes: its default, or a sentence saying what the default is when no one value is. */
interface Default<T> {
  default?: T;
  /** Shown in --help as "(default: ...)" when the default depends on other flags (e.g. "the paper's per task"). */
  defaultText?: string;
}

/** `--seed`: a u32, default DEFAULT_SEED in every command (`hedonist run`: the file's run.seed). */
export const seedFlag = (o: Default<number> = { default: DEFAULT_SEED }): FlagSpec => ({ type: 'int', min: 0, max: 2 ** 32 - 1, ...defaults(o), help: SEED_HELP });

/** `--replicas N`: independent networks trained side by side (run.replicas). */
export const replicasFlag = (o: Default<number> & { max?: number } = {}): FlagSpec => ({ type: 'int', min: 1, max: o.max ?? 1 << 20, ...defaults(o), help: REPLICAS_HELP });

/** `--jobs N`: cells of a sweep run at once by the local executor (not `--workers`: the worker threads of one run). */
export const jobsFlag = (): FlagSpec => ({ type: 'int', min: 1, max: 1024, defaultText: `the cores, ${availableParallelism()}`, help: JOBS_HELP });

/** `--episodes N`: the run length of an episodic task (run.episodes). */
export const episodesFlag = (o: Default<number> & { max?: number } = {}): FlagSpec => ({ type: 'int', min: 1, max: o.max ?? 1_000_000, ...defaults(o), help: EPISODES_HELP });

/** `--steps N`: the run length of a task without episodes (learning steps / iterations). */
export const stepsFlag = (o: Default<number> & { max?: number } = {}): FlagSpec => ({ type: 'int', min: 1, max: o.max ?? 1e9, ...defaults(o), help: STEPS_HELP });

/** `--backend auto|webgpu|cpu` (run.backend). */
export const backendFlag = (o: Default<Backend> = {}): FlagSpec => ({ type: 'choice', choices: BACKENDS, ...defaults(o), help: BACKEND_HELP });

/** `--steps-per-submit N` (run.stepsPerChunk on WebGPU). */
export const stepsPerSubmitFlag = (o: { default: number; max: number }): FlagSpec => ({ type: 'int', min: 1, max: o.max, default: o.default, help: STEPS_PER_SUBMIT_HELP });

function defaults<T>(o: Default<T>): { default?: T; defaultText?: string } {
  return { ...(o.default !== undefined ? { default: o.default } : {}), ...(o.defaultText ? { defaultText: o.defaultText } : {}) };
}

export const jsonFlag = (): FlagSpec => ({ type: 'bool', help: JSON_HELP });
export const nameFlag = (what: string): FlagSpec => ({ type: 'string', help: `run name: results go to runs/<name>/ (default ${what}-<timestamp>)` });
export const OVERWRITE_FLAG: FlagSpec = { type: 'bool', help: 'replace an existing run of the same name (refused otherwise)' };

/** Flags every training command shares: --seed, --json, --name. */
export const COMMON_TRAIN_FLAGS: Flags = {
  seed: seedFlag(),
  json: jsonFlag(),
  name: { type: 'string', help: 'run name: metrics go to runs/<name>/ (default <preset>-<timestamp>)' },
};

/** Flags of every command that runs an experiment (`run` and the `train` aliases). */
export const RUN_FLAGS: Flags = {
  json: jsonFlag(),
  name: { type: 'string', help: 'run name: metrics go to runs/<name>/ (default <experiment name>-<timestamp>)' },
  overwrite: OVERWRITE_FLAG,
  'checkpoint-every': { type: 'int', min: 1, max: 2 ** 31, help: 'write runs/<name>/checkpoint.bin every N env steps (rounded up to whole chunks); a stop by signal always writes one' },
  resume: { type: 'string', help: 'continue the run in this directory from its checkpoint (experiment, backend and metrics are taken from it)' },
  workers: { type: 'int', min: 0, max: 256, help: "CPU backend: worker threads that split the replicas (run.workers; 0 = the machine's cores); results are the same for any number" },
};

/**
 * One concept, one flag: `flag` is its only spelling; `not` lists spellings no command may use for
 * it; `sameHelp`: every command's flag of this name has this concept's help text (and choices).
 */
export const CONCEPTS: Record<string, { flag: string; not: string[]; help?: string }> = {
  seed: { flag: 'seed', not: ['random-seed', 'rng-seed'], help: SEED_HELP },
  'run length in episodes': { flag: 'episodes', not: ['max-episodes', 'n-episodes', 'num-episodes', 'episode-count', 'trials'], help: EPISODES_HELP },
  'run length in learning steps': { flag: 'steps', not: ['iterations', 'iters', 'num-steps', 'n-steps', 'updates', 'epochs', 'samples'], help: STEPS_HELP },
  backend: { flag: 'backend', not: ['device', 'gpu', 'cpu'], help: BACKEND_HELP },
  'env steps per GPU submit': { flag: 'steps-per-submit', not: ['steps-per-chunk', 'chunk', 'chunk-steps'], help: STEPS_PER_SUBMIT_HELP },
  'JSON output': { flag: 'json', not: ['json-out', 'as-json'], help: JSON_HELP },
  replicas: { flag: 'replicas', not: ['runs', 'repeats', 'n-replicas'], help: REPLICAS_HELP },
  'sweep cells at once': { flag: 'jobs', not: ['parallel', 'processes', 'concurrency', 'cells-at-once'], help: JOBS_HELP },
  'learning rate': { flag: 'lr', not: ['learning-rate', 'alpha', 'step-size'] },
};

/** Old spellings and the flag each was renamed to; the parser refuses an old one with one line. */
export const RENAMED: Record<string, string> = {
  iterations: 'steps',
  'gd-iterations': 'gd-steps',
  'max-episodes': 'episodes',
};

/**
 * Old spellings that another concept keeps elsewhere: refused (one line naming the new flag) only in
 * the commands that have the new flag. `--workers` was the sweep executor's cells at once; it stays
 * the worker threads of one run in `run` and `train`.
 */
export const RENAMED_WHERE_NEW: Record<string, string> = {
  workers: 'jobs',
};

/**
 * `--steps-per-submit` sets the env steps per GPU submit: refused (one line, exit 2) when the run
 * is on the CPU twins, whether `--backend cpu` asked for them or 'auto' chose them (`reason`).
 */
export function refuseStepsPerSubmit(f: Parsed, backend: 'webgpu' | 'cpu', reason?: string): void {
  if (backend !== 'cpu' || !givenFlags(f).has('steps-per-submit')) return;
  const why = f.backend === 'cpu' ? 'not with --backend cpu' : `--backend ${String(f.backend)} chose the CPU twins${reason ? ` (${reason})` : ''}`;
  throw new UsageError(`--steps-per-submit applies only on WebGPU (it sets the env steps per GPU submit), ${why}`);
}
