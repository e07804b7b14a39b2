import { OTT_CARTPOLE_DEFAULTS, resolveOttConfig, type OttPolicyKind, type OttRewardMode } from '../../ott/config.ts';
import type { OttRunSummary } from '../../ott/summary.ts';
import { orderOttTable1, ottTable1Markdown, reproduceOttTable1, type OttTable1Row } from '../../ott/table1.ts';
import { paperBars } from '../../plot/paper-bars.ts';
import { ottTable1Sweep } from '../../ott/table1-sweep.ts';
import { reproduceFormat, refuseSweepFlags, reproduceAsSweep, REPRODUCE_SWEEP_FLAGS, type SweepRunResult } from './sweep.ts';
import { ottExperiment } from '../../rules/ott.ts';
import { chooseBackend } from '../../experiment/train.ts';
import type { GpuContext } from '../../gpu/context.ts';
import type { Parsed } from '../args.ts';
import { writeTable1, type CliCommand, type CliIO } from '../command.ts';
import { runExperimentCli, type RunSummary } from '../experiment-run.ts';
import { backendFlag, COMMON_TRAIN_FLAGS, episodesFlag, refuseStepsPerSubmit, RUN_FLAGS, seedFlag, stepsPerSubmitFlag, replicasFlag } from '../flags.ts';

const D = OTT_CARTPOLE_DEFAULTS;
const MODES = ['task', 'bio', 'all', 'bio_then_all'] as const;
const fmt = (x: number | null, d = 0) => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(d));

const sharedFlags = {
  policy: { type: 'choice', choices: ['mlp', 'logistic'], default: D.policy, help: "each neuron's policy: the paper's MLP or a logistic unit" },
  backend: backendFlag({ default: 'webgpu' }),
  // A replica stops earlier when it solves the task (the paper's cap: 19,999).
  episodes: episodesFlag({ default: D.maxEpisodes }),
  'steps-per-submit': stepsPerSubmitFlag({ default: 250, max: 2000 }),
} as const;

/** The GPU context a backend flag asks for: none for cpu; for auto, none when no device can be made. */
async function gpuFor(backend: string, io: CliIO): Promise<GpuContext | undefined> {
  if (backend === 'cpu') return undefined;
  if (backend === 'webgpu') return io.gpu();
  return io.gpu().catch(() => undefined);
}

/**
 * `hedonist train ott-cartpole`: Ott (2020) neuron-agents on CartPole-v1, the paper's protocol.
 * The flags make an experiment (rule 'ott', as experiments/ott-cartpole.json) that runs like
 * `hedonist run`: run directory, --checkpoint-every, --resume, signals.
 */
export const ottTrainCommand: CliCommand = {
  path: ['train', 'ott-cartpole'],
  summary: 'Ott (2020): every neuron its own REINFORCE agent (private MLP + Adam) on CartPole-v1',
  flags: {
    seed: seedFlag(),
    ...RUN_FLAGS,
    ...sharedFlags,
    layers: { type: 'int', min: 0, max: 10, default: D.layers, help: 'hidden layers of 15 neurons' },
    rewards: { type: 'choice', choices: MODES, default: D.rewardMode, help: 'reward terms each neuron learns from' },
    replicas: replicasFlag({ default: 1, max: 4096 }),
  },
  async run(f, io) {
    // An explicit --backend cpu is refused here; 'auto' once it has chosen (runExperimentCli, before the run directory).
    refuseStepsPerSubmit(f, f.backend === 'cpu' ? 'cpu' : 'webgpu');
    if (f.resume) return runExperimentCli(undefined, f, io);
    const c = resolveOttConfig({
      seed: f.seed as number,
      replicas: f.replicas as number,
      layers: f.layers as number,
      rewardMode: f.rewards as OttRewardMode,
      policy: f.policy as OttPolicyKind,
      maxEpisodes: f.episodes as number,
    });
    const x = ottExperiment(c, { name: `ott-cartpole-${c.rewardMode}-${c.layers}`, backend: f.backend as 'webgpu' | 'cpu' | 'auto', stepsPerChunk: f['steps-per-submit'] as number });
    return runExperimentCli(x, f, io);
  },
  format(r) {
    const s = r as unknown as RunSummary & OttRunSummary;
    const c = s.config;
    return [
      `ott-cartpole ${c.rewardMode}, ${c.layers} hidden layer(s), ${c.policy}, on ${s.backend} (${s.adapter}), seed ${c.seed}, ${c.replicas} replica(s), ${s.wallSeconds.toFixed(1)} s${s.stopped ? ` — stopped by ${s.signal ?? 'signal'} at step ${s.envSteps}` : ''}`,
      `trials per replica: ${s.replicas.map((x) => x.trials).join(' ')}`,
      `trials: ${fmt(s.trialsMean, 1)} +- ${fmt(s.trialsStd, 1)}; solved ${s.solvedCount}/${c.replicas}`,
      `first episode with 100-mean > ${c.solveThreshold}: ${fmt(s.firstAboveMean, 1)} +- ${fmt(s.firstAboveStd, 1)} (${s.crossedCount}/${c.replicas} crossed)`,
      `metrics: ${s.runDir}/metrics.jsonl${s.checkpoint ? `; checkpoint: ${s.checkpoint} (hedonist train ott-cartpole --resume ${s.runDir})` : ''}`,
    ].join('\n');
  },
};

/** `hedonist reproduce ott-table1`: the whole Table 1 grid, every layer count one batched run. */
export const ottTable1Command: CliCommand = {
  path: ['reproduce', 'ott-table1'],
  summary: "Ott (2020) Table 1: trials to a 100-episode mean of 300, per reward mode and depth, beside the paper's",
  flags: {
    ...COMMON_TRAIN_FLAGS,
    ...sharedFlags,
    replicas: replicasFlag({ default: 10, max: 1000 }), // per cell; the paper: 10
    layers: { type: 'int-list', min: 0, max: 10, default: [1, 2, 5], help: 'hidden-layer counts' },
    rewards: { type: 'choice-list', choices: MODES, default: ['all', 'bio_then_all', 'task', 'bio'], help: 'reward modes' },
    ...REPRODUCE_SWEEP_FLAGS,
  },
  async run(f, io) {
    if (f.executor) {
      refuseStepsPerSubmit(f, f.backend === 'cpu' ? 'cpu' : 'webgpu');
      return ottTable1AsSweep(f, io);
    }
    refuseSweepFlags(f);
    const requested = f.backend as 'webgpu' | 'cpu' | 'auto';
    const ctx = await gpuFor(requested, io);
    const chosen = chooseBackend(requested, ctx);
    const backend = chosen.backend;
    refuseStepsPerSubmit(f, backend, chosen.reason);
    const rewards = f.rewards as OttRewardMode[];
    const layers = f.layers as number[];
    const R = f.replicas as number;
    const dir = io.runDir('ott-table1', f.name as string | undefined);
    const t0 = performance.now();
    const rows: OttTable1Row[] = [];
    try {
      for (const L of layers) {
        const bar = io.progress(`ott-table1 ${L} layer(s)`, 'replicas done');
        const total = R * rewards.length;
        try {
          const part = await reproduceOttTable1(
            {
              replicas: R,
              layers: [L],
              rewards,
              seed: ((f.seed as number) + 1000 * layers.indexOf(L)) >>> 0,
              overrides: { policy: f.policy as OttPolicyKind, maxEpisodes: f.episodes as number },
            },
            {
              onEpisode: (m, r) => dir.log({ layers: L, reward: rewards[Math.floor(r / R)], replica: r % R, ...m }),
              onCell: (row) => io.log(`${row.reward}, ${row.layers} layer(s): trials ${fmt(row.trialsMean)} +- ${fmt(row.trialsStd)} (paper ${row.paperTrials ?? '-'})`),
            },
            { backend, ctx, stepsPerSubmit: f['steps-per-submit'] as number, onProgress: (episodes, finished) => bar.update(finished, total, { episodes }) },
          );
          rows.push(...part);
        } finally {
          bar.stop();
        }
      }
      const ordered = orderOttTable1(rows, rewards, layers);
      const wallSeconds = (performance.now() - t0) / 1000;
      const result = {
        backend,
        adapter: backend === 'webgpu' ? ctx!.adapterName() : 'cpu (TypeScript twins)',
        seed: f.seed,
        replicas: R,
        layers,
        rewards,
        policy: f.policy,
        maxEpisodes: f.episodes,
        wallSeconds,
        rows: ordered,
        runDir: dir.path,
      };
      return writeTable1(dir, result, ottTable1Markdown(ordered));
    } finally {
      await dir.close();
    }
  },
  format: reproduceFormat(
    'Ott (2020) Table 1',
    (x: { rows: OttTable1Row[] }) => ottTable1Markdown(x.rows),
    (r) => {
      const s = r as { rows: OttTable1Row[]; wallSeconds: number; backend: string; adapter: string; runDir: string };
      return [`Ott (2020) Table 1 on ${s.backend} (${s.adapter}), ${s.wallSeconds.toFixed(0)} s`, ottTable1Markdown(s.rows), `table: ${s.runDir}/table1.md, metrics: ${s.runDir}/metrics.jsonl`].join(
        '\n',
      );
    },
  ),
  pictures: {
    panelBy: 'layers',
    groupBy: ['reward'],
    charts: (r) => [
      paperBars(
        'Ott (2020) Table 1: trials to a 100-episode mean of 300',
        'reward mode, hidden layers',
        'trials',
        ((r.rows ?? []) as OttTable1Row[]).map((x) => ({ category: `${x.reward}, ${x.layers}`, mean: x.trialsMean, std: x.trialsStd, paperMean: x.paperTrials })),
      ),
    ],
  },
};

/** `reproduce ott-table1 --executor local|slurm`: the same grid as a sweep (one cell per layer count) in --dir (default sweeps/ott-table1). */
function ottTable1AsSweep(f: Parsed, io: CliIO): Promise<SweepRunResult & { result?: { rows: OttTable1Row[] } }> {
  const sweep = ottTable1Sweep(
    {
      replicas: f.replicas as number,
      layers: f.layers as number[],
      rewards: f.rewards as OttRewardMode[],
      seed: f.seed as number,
      overrides: { policy: f.policy as OttPolicyKind, maxEpisodes: f.episodes as number },
    },
    { backend: f.backend as 'webgpu' | 'cpu' | 'auto', stepsPerChunk: f['steps-per-submit'] as number },
  );
  return reproduceAsSweep<{ rows: OttTable1Row[] }>(sweep, f, io);
}

export const OTT_COMMANDS: CliCommand[] = [ottTrainCommand, ottTable1Command];
