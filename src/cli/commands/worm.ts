/**
 * The C. elegans chemotaxis family (docs/worm.md): `reproduce worm-chemotaxis` trains the connectome,
 * its degree-preserving shuffle and a random wiring of the same size and density over seeds and
 * reports the gradient climbed with a significance test. `hedonist run experiments/worm-chemotaxis.json`
 * trains one network.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inlineConnectomes } from '../../connectome/celegans-files.ts';
import { combineWormComparisons, wormComparison, wormComparisonMarkdown, type WormComparison } from '../../connectome/worm-comparison.ts';
import type { ConnectomeVariant } from '../../connectome/celegans.ts';
import { parseExperimentText } from '../../experiment/load.ts';
import { readNamedFile, UsageError } from '../args.ts';
import type { CliCommand } from '../command.ts';
import { gpuFor } from '../experiment-run.ts';
import { backendFlag, episodesFlag, jsonFlag, nameFlag, OVERWRITE_FLAG, seedFlag, type Backend } from '../flags.ts';
import { wormComparisonSweep, WORM_EVAL_EPISODES } from '../../connectome/worm-sweep.ts';
import { refuseSweepFlags, reproduceAsSweep, reproduceFormat, REPRODUCE_SWEEP_FLAGS } from './sweep.ts';

const PRESET = fileURLToPath(new URL('../../../experiments/worm-chemotaxis.json', import.meta.url));
const VARIANTS = ['connectome', 'degree-shuffle', 'random'] as const;

export const wormChemotaxisCommand: CliCommand = {
  path: ['reproduce', 'worm-chemotaxis'],
  summary: 'does real wiring help? the C. elegans connectome vs a degree-preserving shuffle vs random wiring, trained to climb a salt gradient over seeds, with a significance test',
  flags: {
    file: { type: 'string', help: 'the experiment (env chemotaxis, one connectome wiring; default experiments/worm-chemotaxis.json)' },
    seed: seedFlag(),
    seeds: { type: 'int', min: 1, max: 1000, default: 10, help: 'runs per wiring, with seeds S .. S+N-1 (S = --seed): run.seed and the shuffle / random wiring seed' },
    episodes: episodesFlag({ defaultText: "the experiment's run.episodes" }),
    'eval-episodes': { type: 'int', min: 1, max: 1e6, default: WORM_EVAL_EPISODES, help: 'episodes scored at the start (untrained) and the end (trained) of each run' },
    variants: { type: 'choice-list', choices: VARIANTS, default: [...VARIANTS], help: 'the wirings compared' },
    backend: backendFlag({ defaultText: "the experiment's run.backend" }),
    json: jsonFlag(),
    from: {
      type: 'repeat',
      help: 'combine finished comparisons instead of training: a run directory of this command (its comparison.json), once per directory (e.g. --seed 0 --seeds 5 and --seed 5 --seeds 5 run as two processes); the table and tests are computed over all their runs',
    },
    name: nameFlag('worm-chemotaxis'),
    overwrite: OVERWRITE_FLAG,
    ...REPRODUCE_SWEEP_FLAGS,
  },
  async run(f, io) {
    const from = (f.from as string[] | undefined) ?? [];
    if (from.length > 0 && f.executor) throw new UsageError('--from combines finished comparisons; it takes no --executor (a sweep collects its own cells: hedonist sweep collect DIR)');
    if (!f.executor) refuseSweepFlags(f);
    if (from.length > 0) {
      const parts = from.map((d) => {
        const path = join(d, 'comparison.json');
        const text = readNamedFile(path, (why) => new UsageError(`--from: cannot read '${path}' (${why})`));
        try {
          return JSON.parse(text) as WormComparison;
        } catch (e) {
          throw new UsageError(`--from: '${path}' is not JSON (${(e as Error).message})`);
        }
      });
      let c: WormComparison;
      try {
        c = combineWormComparisons(parts);
      } catch (e) {
        throw new UsageError(`--from: ${(e as Error).message}`);
      }
      const dir = io.runDir('worm-chemotaxis', f.name as string | undefined);
      try {
        const result = { ...c, backend: (parts[0] as { backend?: string }).backend ?? 'cpu', combinedFrom: from, runDir: dir.path };
        dir.writeJson('comparison.json', result);
        dir.writeText('comparison.md', wormComparisonMarkdown(c));
        dir.writeJson('summary.json', result);
        return result;
      } finally {
        await dir.close();
      }
    }
    const file = (f.file as string | undefined) ?? PRESET;
    const text = readNamedFile(file, (why) => new UsageError(`--file: cannot read '${file}' (${why})`));
    const base = parseExperimentText(text, file);
    if (base.env?.name !== 'chemotaxis' || base.population.wiring?.length !== 1 || base.population.wiring[0]!.kind !== 'connectome') {
      throw new UsageError(`--file: '${file}' must train env chemotaxis with one connectome wiring (like experiments/worm-chemotaxis.json)`);
    }
    const episodes = (f.episodes as number | undefined) ?? base.run.episodes;
    const evalEpisodes = f['eval-episodes'] as number;
    if (evalEpisodes > episodes) throw new UsageError(`--eval-episodes must be at most the episodes per run (${episodes}), got ${evalEpisodes}`);
    const seeds = Array.from({ length: f.seeds as number }, (_, i) => (f.seed as number) + i);
    const variants = f.variants as ConnectomeVariant[];
    if (f.executor) {
      const withBackend = f.backend ? { ...base, run: { ...base.run, backend: f.backend as Backend } } : base;
      return reproduceAsSweep<WormComparison>(wormComparisonSweep({ base: withBackend, variants, seeds, episodes, evalEpisodes }), f, io, 'comparison');
    }
    const { ctx, choice } = await gpuFor((f.backend as Backend | undefined) ?? base.run.backend, io);
    if (!f.json) io.log(`worm-chemotaxis: ${variants.join(', ')} x ${seeds.length} seeds x ${episodes} episodes on ${choice.backend} (${choice.reason})`);
    const dir = io.runDir('worm-chemotaxis', f.name as string | undefined);
    const bar = io.progress('worm-chemotaxis');
    const total = variants.length * seeds.length * episodes;
    let done = 0;
    try {
      const c: WormComparison = await wormComparison({
        base,
        variants,
        seeds,
        episodes,
        evalEpisodes,
        inline: inlineConnectomes,
        train: { ctx, choice },
        onEpisode(variant, seed, episode, ret) {
          dir.log({ variant, seed, episode, 'charts/episodic_return': ret });
          if (++done % 25 === 0) bar.update(done, total);
        },
        onRun(r) {
          if (!f.json)
            io.log(
              `${r.variant} seed ${r.seed}: reached ${r.untrained.success.toFixed(2)} -> ${r.trained.success.toFixed(2)}, end concentration ${r.untrained.concentration.toFixed(3)} -> ${r.trained.concentration.toFixed(3)} (${r.wallSeconds.toFixed(0)} s)`,
            );
        },
      });
      bar.stop();
      const result = { ...c, backend: choice.backend, backendReason: choice.reason, experiment: file, runDir: dir.path };
      dir.writeJson('comparison.json', result);
      dir.writeText('comparison.md', wormComparisonMarkdown(c));
      dir.writeJson('summary.json', result);
      return result;
    } finally {
      bar.stop();
      await dir.close();
    }
  },
  format: reproduceFormat(
    'worm-chemotaxis',
    (c: WormComparison) => wormComparisonMarkdown(c),
    (r) => {
      const c = r as unknown as WormComparison & { runDir: string; backend: string };
      return [
        `worm-chemotaxis on ${c.backend}, ${c.wallSeconds.toFixed(0)} s`,
        wormComparisonMarkdown(c),
        `table: ${c.runDir}/comparison.md, per-run scores: ${c.runDir}/comparison.json, metrics: ${c.runDir}/metrics.jsonl`,
      ].join('\n');
    },
    'comparison.md',
  ),
};

export const WORM_COMMANDS: CliCommand[] = [wormChemotaxisCommand];
