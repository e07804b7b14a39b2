import { OTT_CARTPOLE_DEFAULTS, type OttPolicyKind, type OttRewardMode } from '../../ott/config.ts';
import { reproduceOttTable1, type OttTable1Row } from '../../ott/table1.ts';
import { trainOttCartpole, type OttTrainSummary } from '../../ott/trainer.ts';
import { COMMON_TRAIN_FLAGS, type CliCommand, withRun } from '../command.ts';

const D = OTT_CARTPOLE_DEFAULTS;
const MODES = ['task', 'bio', 'all', 'bio_then_all'] as const;
const fmt = (x: number | null, d = 0) => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(d));

const sharedFlags = {
  policy: { type: 'choice', choices: ['mlp', 'logistic'], default: D.policy, help: "each neuron's policy: the paper's MLP or a logistic unit" },
  backend: { type: 'choice', choices: ['webgpu', 'cpu'], default: 'webgpu', help: 'run the kernels on WebGPU or as their CPU twins' },
  'max-episodes': { type: 'int', min: 1, max: 1_000_000, default: D.maxEpisodes, help: 'episode cap per replica (the paper: 19,999)' },
  'steps-per-submit': { type: 'int', min: 1, max: 10_000, default: 250, help: 'env steps per GPU submit' },
} as const;

/** `hedonist train ott-cartpole`: Ott (2020) neuron-agents on CartPole-v1, the paper's protocol. */
export const ottTrainCommand: CliCommand = {
  path: ['train', 'ott-cartpole'],
  summary: 'Ott (2020): every neuron its own REINFORCE agent (private MLP + Adam) on CartPole-v1',
  flags: {
    ...COMMON_TRAIN_FLAGS,
    ...sharedFlags,
    layers: { type: 'int', min: 0, max: 10, default: D.layers, help: 'hidden layers of 15 neurons' },
    rewards: { type: 'choice', choices: MODES, default: D.rewardMode, help: 'reward terms each neuron learns from' },
    replicas: { type: 'int', min: 1, max: 4096, default: 1, help: 'independent networks trained at once' },
  },
  async run(f, io) {
    const backend = f.backend as 'webgpu' | 'cpu';
    const ctx = backend === 'webgpu' ? await io.gpu() : undefined;
    const R = f.replicas as number;
    const last = new Array<number>(R).fill(0);
    return withRun(io, `ott-cartpole-${f.rewards}-${f.layers}`, f.name as string | undefined, async (dir, bar) => {
      const summary: OttTrainSummary = await trainOttCartpole(
        {
          seed: f.seed as number, replicas: R, layers: f.layers as number, rewardMode: f.rewards as OttRewardMode,
          policy: f.policy as OttPolicyKind, maxEpisodes: f['max-episodes'] as number,
        },
        {
          onEpisode(m, r) {
            dir.log({ replica: r, ...m });
            last[r] = m.mean100!;
          },
        },
        {
          backend, ctx, stepsPerSubmit: f['steps-per-submit'] as number,
          onProgress(episodes, finished) {
            bar.update(finished, R, { episodes, 'mean100 (avg over replicas)': (last.reduce((a, b) => a + b, 0) / R).toFixed(1) });
          },
        },
      );
      return { ...summary, adapter: ctx ? ctx.adapterName() : 'cpu (TypeScript twins)' };
    });
  },
  format(r) {
    const s = r as unknown as OttTrainSummary & { runDir: string; adapter: string };
    const c = s.config;
    return [
      `ott-cartpole ${c.rewardMode}, ${c.layers} hidden layer(s), ${c.policy}, on ${s.backend} (${s.adapter}), seed ${c.seed}, ${c.replicas} replica(s), ${s.wallSeconds.toFixed(1)} s`,
      `trials per replica: ${s.replicas.map((x) => x.trials).join(' ')}`,
      `trials: ${fmt(s.trialsMean, 1)} +- ${fmt(s.trialsStd, 1)}; solved ${s.solvedCount}/${c.replicas}`,
      `first episode with 100-mean > ${c.solveThreshold}: ${fmt(s.firstAboveMean, 1)} +- ${fmt(s.firstAboveStd, 1)} (${s.crossedCount}/${c.replicas} crossed)`,
      `metrics: ${s.runDir}/metrics.jsonl`,
    ].join('\n');
  },
};

/** Markdown table: ours (mean +- std over replicas) beside the paper's Table 1. */
export function ottTable1Markdown(rows: OttTable1Row[]): string {
  const lines = [
    '| rewards | layers | paper trials | ours: trials mean +- std | first episode > 300 (crossed) | solved | replicas |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.reward} | ${r.layers} | ${r.paperTrials ?? '-'} | ${fmt(r.trialsMean)} +- ${fmt(r.trialsStd)} | ${fmt(r.firstAboveMean)} +- ${fmt(r.firstAboveStd)} (${r.crossedCount}) | ${r.solvedCount} | ${r.replicas} |`,
    );
  }
  return lines.join('\n') + '\n';
}

/** `hedonist reproduce ott-table1`: the whole Table 1 grid, every layer count one batched run. */
export const ottTable1Command: CliCommand = {
  path: ['reproduce', 'ott-table1'],
  summary: "Ott (2020) Table 1: trials to a 100-episode mean of 300, per reward mode and depth, beside the paper's",
  flags: {
    ...COMMON_TRAIN_FLAGS,
    ...sharedFlags,
    replicas: { type: 'int', min: 1, max: 1000, default: 10, help: 'repeats per cell (the paper: 10)' },
    layers: { type: 'int-list', min: 0, max: 10, default: [1, 2, 5], help: 'hidden-layer counts' },
    rewards: { type: 'choice-list', choices: MODES, default: ['all', 'bio_then_all', 'task', 'bio'], help: 'reward modes' },
  },
  async run(f, io) {
    const backend = f.backend as 'webgpu' | 'cpu';
    const ctx = backend === 'webgpu' ? await io.gpu() : undefined;
    const rewards = f.rewards as OttRewardMode[];
    const layers = f.layers as number[];
    const R = f.replicas as number;
    const dir = io.runDir('ott-table1', f.name as string | undefined);
    const t0 = performance.now();
    const rows: OttTable1Row[] = [];
    try {
      for (const L of layers) {
        const bar = io.progress(`ott-table1 ${L} layer(s)`);
        const total = R * rewards.length;
        try {
          const part = await reproduceOttTable1(
            { replicas: R, layers: [L], rewards, seed: ((f.seed as number) + 1000 * layers.indexOf(L)) >>> 0, overrides: { policy: f.policy as OttPolicyKind, maxEpisodes: f['max-episodes'] as number } },
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
      const ordered = rewards.flatMap((rw) => layers.map((L) => rows.find((x) => x.reward === rw && x.layers === L)!));
      const wallSeconds = (performance.now() - t0) / 1000;
      const result = {
        backend, adapter: ctx ? ctx.adapterName() : 'cpu (TypeScript twins)', seed: f.seed, replicas: R, layers, rewards,
        policy: f.policy, maxEpisodes: f['max-episodes'], wallSeconds, rows: ordered, runDir: dir.path,
      };
      dir.writeJson('table1.json', result);
      dir.writeText('table1.md', ottTable1Markdown(ordered));
      dir.writeJson('summary.json', result);
      return result;
    } finally {
      await dir.close();
    }
  },
  format(r) {
    const s = r as { rows: OttTable1Row[]; wallSeconds: number; backend: string; adapter: string; runDir: string };
    return [
      `Ott (2020) Table 1 on ${s.backend} (${s.adapter}), ${s.wallSeconds.toFixed(0)} s`,
      ottTable1Markdown(s.rows),
      `table: ${s.runDir}/table1.md, metrics: ${s.runDir}/metrics.jsonl`,
    ].join('\n');
  },
};

export const OTT_COMMANDS: CliCommand[] = [ottTrainCommand, ottTable1Command];
