import { parseExperimentText } from '../../experiment/load.ts';
import type { Parsed } from '../args.ts';
import { readNamedFile, UsageError } from '../args.ts';
import { inlineFiles } from '../experiment-files.ts';
import type { CliCommand } from '../command.ts';
import { formatRunSummary, runExperimentCli, type RunSummary } from '../experiment-run.ts';
import { backendFlag, episodesFlag, replicasFlag, RUN_FLAGS, seedFlag } from '../flags.ts';

/** The shared concept flags of `hedonist run` and the experiment field each sets (applied like `--set`, after the file). */
const FIELD_FLAGS = { backend: 'run.backend', seed: 'run.seed', episodes: 'run.episodes', replicas: 'run.replicas' } as const;
const fromFile = (field: string) => `the experiment's ${field}`;

/**
 * The `--set` overrides of a run: the file's `--set`s, then one per concept flag given. A flag and a
 * `--set` of its field (or of a field above it, e.g. `--set run={...}`) are refused together (one line).
 */
export function runSets(f: Parsed): string[] {
  const sets = (f.set as string[] | undefined) ?? [];
  const out = [...sets];
  for (const [flag, field] of Object.entries(FIELD_FLAGS)) {
    if (f[flag] === undefined) continue;
    const clash = sets.find((s) => {
      const path = s.slice(0, Math.max(0, s.indexOf('='))).trim();
      return path !== '' && (field === path || field.startsWith(`${path}.`));
    });
    if (clash) throw new UsageError(`--${flag} and --set ${clash} both set ${field}: give one`);
    out.push(`${field}=${JSON.stringify(f[flag])}`);
  }
  return out;
}

/** `hedonist run FILE [--set path=value ...]`: train any experiment file. */
export const runCommand: CliCommand = {
  path: ['run'],
  summary: 'train an experiment file (agents x wiring x rule x env x run); experiments/ holds the presets',
  flags: {
    file: { type: 'positional', help: 'the experiment file (JSON; see docs/experiment.md)' },
    set: { type: 'repeat', help: 'override one field, e.g. --set run.replicas=4 --set population.hidden=[16,16]' },
    backend: backendFlag({ defaultText: fromFile('run.backend') }),
    seed: seedFlag({ defaultText: fromFile('run.seed') }),
    episodes: episodesFlag({ defaultText: fromFile('run.episodes') }),
    replicas: replicasFlag({ defaultText: fromFile('run.replicas') }),
    ...RUN_FLAGS,
  },
  async run(f, io) {
    if (f.resume) {
      if (f.file || f.set || Object.keys(FIELD_FLAGS).some((k) => f[k] !== undefined))
        throw new UsageError('--resume continues a run as its checkpoint stored it: give no FILE, --set, --backend, --seed, --episodes or --replicas with it');
      return runExperimentCli(undefined, f, io);
    }
    const file = f.file as string | undefined;
    if (!file) throw new UsageError('hedonist run: give an experiment file (e.g. experiments/cartpole-reinforce.json) or --resume DIR');
    const sets = runSets(f);
    const text = readNamedFile(file, (why) => new UsageError(`hedonist run: cannot read '${file}' (${why})`));
    return runExperimentCli(inlineFiles(parseExperimentText(text, file, sets), file), f, io);
  },
  format: (r) => formatRunSummary(r as unknown as RunSummary),
};
