import { parseExperimentText } from '../../experiment/load.ts';
import { readNamedFile, UsageError } from '../args.ts';
import { inlineFiles } from '../experiment-files.ts';
import type { CliCommand } from '../command.ts';
import { formatRunSummary, runExperimentCli, RUN_FLAGS, type RunSummary } from '../experiment-run.ts';

/** `hedonist run FILE [--set path=value ...]`: train any experiment file. */
export const runCommand: CliCommand = {
  path: ['run'],
  summary: 'train an experiment file (agents x wiring x rule x env x run); experiments/ holds the presets',
  flags: {
    file: { type: 'positional', help: 'the experiment file (JSON; see docs/experiment.md)' },
    set: { type: 'repeat', help: 'override one field, e.g. --set run.replicas=4 --set population.hidden=[16,16]' },
    ...RUN_FLAGS,
  },
  async run(f, io) {
    if (f.resume) {
      if (f.file || f.set) throw new UsageError('--resume continues a run as its checkpoint stored it: give no FILE or --set with it');
      return runExperimentCli(undefined, f, io);
    }
    const file = f.file as string | undefined;
    if (!file) throw new UsageError('hedonist run: give an experiment file (e.g. experiments/cartpole-reinforce.json) or --resume DIR');
    const text = readNamedFile(file, (why) => new UsageError(`hedonist run: cannot read '${file}' (${why})`));
    return runExperimentCli(inlineFiles(parseExperimentText(text, file, (f.set as string[] | undefined) ?? []), file), f, io);
  },
  format: (r) => formatRunSummary(r as unknown as RunSummary),
};
