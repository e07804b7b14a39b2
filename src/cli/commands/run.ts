import { parseExperimentText } from '../../experiment/load.ts';
import { readNamedFile, UsageError } from '../args.ts';
import { inlineFiles } from '../experiment-files.ts';
import type { CliCommand } from '../command.ts';
import { formatRunSummary, runExperimentCli, type RunSummary } from '../experiment-run.ts';
import { backendFlag, RUN_FLAGS } from '../flags.ts';

/** `hedonist run FILE [--set path=value ...]`: train any experiment file. */
export const runCommand: CliCommand = {
  path: ['run'],
  summary: 'train an experiment file (agents x wiring x rule x env x run); experiments/ holds the presets',
  flags: {
    file: { type: 'positional', help: 'the experiment file (JSON; see docs/experiment.md)' },
    set: { type: 'repeat', help: 'override one field, e.g. --set run.replicas=4 --set population.hidden=[16,16]' },
    backend: backendFlag({ defaultText: "the experiment's run.backend" }),
    ...RUN_FLAGS,
  },
  async run(f, io) {
    if (f.resume) {
      if (f.file || f.set || f.backend) throw new UsageError('--resume continues a run as its checkpoint stored it: give no FILE, --set or --backend with it');
      return runExperimentCli(undefined, f, io);
    }
    const file = f.file as string | undefined;
    if (!file) throw new UsageError('hedonist run: give an experiment file (e.g. experiments/cartpole-reinforce.json) or --resume DIR');
    const text = readNamedFile(file, (why) => new UsageError(`hedonist run: cannot read '${file}' (${why})`));
    const sets = [...((f.set as string[] | undefined) ?? []), ...(f.backend ? [`run.backend=${JSON.stringify(f.backend)}`] : [])];
    return runExperimentCli(inlineFiles(parseExperimentText(text, file, sets), file), f, io);
  },
  format: (r) => formatRunSummary(r as unknown as RunSummary),
};
