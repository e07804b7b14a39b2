import { readFileSync } from 'node:fs';
import { parseExperimentText } from '../../experiment/load.ts';
import { ruleAs } from '../../experiment/schema.ts';
import { givenFlags } from '../args.ts';
import type { CliCommand } from '../command.ts';
import { formatRunSummary, runExperimentCli, type RunSummary } from '../experiment-run.ts';
import { backendFlag, episodesFlag, replicasFlag, RUN_FLAGS, seedFlag, type Backend } from '../flags.ts';

/** The preset this command runs (flags override its fields). */
export const CARTPOLE_REINFORCE_PRESET = new URL('../../../experiments/cartpole-reinforce.json', import.meta.url);

/** The preset's values: the flags' defaults (`--help` shows them). */
const P = JSON.parse(readFileSync(CARTPOLE_REINFORCE_PRESET, 'utf8')) as {
  run: { seed: number; replicas: number; episodes: number; backend: string };
  population: { hidden: number[] };
  rule: { lr: number };
};

/** `train cartpole-reinforce`: a thin alias of `hedonist run experiments/cartpole-reinforce.json` with flags for its main fields. */
export const cartpoleReinforceCommand: CliCommand = {
  path: ['train', 'cartpole-reinforce'],
  summary: 'logistic neuron-agents learn CartPole-v1 by per-neuron REINFORCE on the broadcast reward (experiments/cartpole-reinforce.json)',
  flags: {
    seed: seedFlag(),
    replicas: replicasFlag({ default: P.run.replicas }),
    episodes: episodesFlag({ default: P.run.episodes }),
    hidden: { type: 'int', min: 1, max: 4096, default: P.population.hidden[0], help: 'hidden neuron-agents (population.hidden=[H])' },
    lr: { type: 'number', min: 1e-6, max: 1, default: P.rule.lr, help: "Adam step size of each neuron's optimiser (rule.lr)" },
    backend: backendFlag({ default: P.run.backend as Backend }),
    ...RUN_FLAGS,
  },
  async run(f, io) {
    const given = givenFlags(f);
    const path: Record<string, string> = { seed: 'run.seed', replicas: 'run.replicas', episodes: 'run.episodes', hidden: 'population.hidden', lr: 'rule.lr', backend: 'run.backend' };
    const sets = Object.entries(path)
      .filter(([flag]) => given.has(flag))
      .map(([flag, p]) => `${p}=${JSON.stringify(flag === 'hidden' ? [f.hidden] : f[flag])}`);
    const x = f.resume ? undefined : parseExperimentText(readFileSync(CARTPOLE_REINFORCE_PRESET, 'utf8'), 'experiments/cartpole-reinforce.json', sets);
    const s = await runExperimentCli(x, f, io);
    const e = s.experiment;
    return { ...s, learner: 'cartpole-reinforce', seed: e.run.seed, replicas: e.run.replicas, episodes: e.run.episodes, hidden: e.population.hidden[0], lr: ruleAs(e, 'reinforce').lr };
  },
  format: (r) => formatRunSummary(r as unknown as RunSummary),
};
