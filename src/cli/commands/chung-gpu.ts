/**
 * Chung's Weight Maximization on the multiplexer at scale, through the core: `train million` (2^20
 * neuron-agents x 64 synapse-agents: the weight-max-sparse rule) and `reproduce chung-scaling`
 * (paper Fig. 3/4: its dense cells are the weight-max rule on env multiplexer, its sparse variant
 * the million network). See docs/million.md.
 */
import { CHUNG_RULES, runChungScaling, scalingCsv, scalingText, type ChungRule, type ScalingRow } from '../../chung/index.ts';
import { chungScalingSweep, sparseScalingExperiment, sparseScalingRow } from '../../chung/scaling-sweep.ts';
import { parseExperiment } from '../../experiment/load.ts';
import type { Experiment } from '../../experiment/schema.ts';
import { trainExperiment } from '../../experiment/train.ts';
import type { GpuContext } from '../../gpu/context.ts';
import type { BackendChoice } from '../../experiment/train.ts';
import { MILLION_DEFAULTS, millionConfig, type ChungMuxRule } from '../../learners/chung-multiplexer/index.ts';
import { muxExperiment, type WeightMaxSparseSummary } from '../../rules/weight-max-sparse.ts';
import { barChart, errorBar } from '../../plot/chart.ts';
import { UsageError } from '../args.ts';
import type { CliCommand } from '../command.ts';
import { gpuFor, runExperimentCli, type RunSummary } from '../experiment-run.ts';
import { backendFlag, COMMON_TRAIN_FLAGS, episodesFlag, RUN_FLAGS, stepsPerSubmitFlag, replicasFlag } from '../flags.ts';
import { reproduceFormat, refuseSweepFlags, reproduceAsSweep, REPRODUCE_SWEEP_FLAGS } from './sweep.ts';

/** `train million`: the million preset (millionConfig) as a weight-max-sparse experiment through the core. */
export const millionCommand: CliCommand = {
  path: ['train', 'million'],
  summary: 'Weight Max on the multiplexer (3-bit by default) with 2^20 hidden neuron-agents x 64 synapses each, on the core',
  flags: {
    ...COMMON_TRAIN_FLAGS,
    episodes: episodesFlag({ default: MILLION_DEFAULTS.episodes }),
    units: { type: 'int', min: 1, max: 1 << 22, default: MILLION_DEFAULTS.units, help: 'neuron-agents of the big hidden layer' },
    'fan-in': { type: 'int', min: 1, max: 256, default: MILLION_DEFAULTS.fanIn, help: 'synapses per big-layer unit (from the 256-unit first layer)' },
    'address-bits': { type: 'int', min: 1, max: 4, default: MILLION_DEFAULTS.addressBits, help: 'multiplexer address bits (1: 3-bit, 2: 6-bit, 3: 11-bit, 4: 20-bit)' },
    rule: { type: 'choice', choices: ['weightmax', 'reinforce'], default: 'weightmax', help: 'hidden-unit learning rule' },
    'lr-first': { type: 'number', min: 0, max: 1e4, default: MILLION_DEFAULTS.lrFirst, help: 'Adam lr of the 256-unit first layer' },
    'lr-big': { type: 'number', min: 0, max: 1e4, default: MILLION_DEFAULTS.lrBig, help: 'SGD step of the big layer' },
    'lr-out': { type: 'number', min: 0, max: 1e6, default: MILLION_DEFAULTS.lrOut, help: 'output SGD lr times the number of big-layer units' },
    'scale-first': { type: 'number', min: 1e-6, max: 1e4, default: MILLION_DEFAULTS.scaleFirst, help: 'effective weight range of the first layer (temp = Glorot limit / this)' },
    'scale-big': { type: 'number', min: 1e-6, max: 1e4, default: MILLION_DEFAULTS.scaleBig, help: 'effective weight range of the big layer (temp = Glorot limit / this)' },
    'bias-big': { type: 'number', min: -1e4, max: 1e4, default: MILLION_DEFAULTS.biasBig, help: 'initial bias of the big layer, in units of its temperature (negative: sparse firing)' },
    // Multiplexer episodes are one step long: one env step per episode.
    'steps-per-submit': stepsPerSubmitFlag({ default: MILLION_DEFAULTS.stepsPerSubmit, max: 256 }),
    backend: backendFlag({ default: 'auto' }),
    ...RUN_FLAGS,
  },
  async run(f, io) {
    if (f.resume) return runExperimentCli(undefined, f, io);
    const c = millionConfig({
      units: f.units as number,
      fanIn: f['fan-in'] as number,
      episodes: f.episodes as number,
      addressBits: f['address-bits'] as number,
      rule: f.rule as ChungMuxRule,
      seed: f.seed as number,
      lrFirst: f['lr-first'] as number,
      lrBig: f['lr-big'] as number,
      lrOut: f['lr-out'] as number,
      scaleFirst: f['scale-first'] as number,
      scaleBig: f['scale-big'] as number,
      biasBig: f['bias-big'] as number,
      stepsPerSubmit: f['steps-per-submit'] as number,
    });
    const x = parseExperiment({ ...muxExperiment(c, f.backend as Experiment['run']['backend']), name: 'million' });
    return runExperimentCli(x, f, io, {
      extend: (s) => ({ lr: c.lr, temp: c.temp, biasInit: c.biasInit, stepsPerSubmit: c.stepsPerSubmit, episodesPerSecond: c.episodes / Math.max(1e-9, s.wallSeconds) }),
    });
  },
  format(r) {
    const s = r as unknown as WeightMaxSparseSummary & RunSummary & { episodesPerSecond: number };
    const mib = (b: number) => (b / 2 ** 20).toFixed(1);
    const avg = (a: number[]) => a.reduce((p, v) => p + v, 0) / a.length;
    return [
      `million: ${s.hidden.join('-')} hidden (fan-in ${s.fanInPerLayer.join('/')}), ${s.addressBits + (1 << s.addressBits)}-bit multiplexer, ${s.rule}, ${s.backend} (${s.adapter})`,
      `device memory ${mib(s.deviceBytes)} MiB = ${s.bytesPerNeuron.toFixed(1)} B per neuron-agent = ${s.bytesPerSynapse.toFixed(2)} B per synapse-agent (${s.synapses} synapses)`,
      `${s.episodes} episodes in ${s.wallSeconds.toFixed(1)} s (${s.episodesPerSecond.toFixed(2)} episodes/s)${s.stopped ? `, stopped at episode ${s.envSteps}` : ''}`,
      `mean reward: all ${s.meanReturn.toFixed(3)}, first 10% ${s.firstMeanReturn.toFixed(3)}, last 10% ${s.finalMeanReturn.toFixed(3)}, first 100 ${avg(s.first100MeanReturn).toFixed(3)}, last 100 ${avg(s.last100MeanReturn).toFixed(3)} (chance 0)`,
      `curve (blocks of ${s.curveBlock}): ${s.curve.map((x) => x.toFixed(2)).join(' ')}`,
      `metrics: ${s.runDir}/metrics.jsonl${s.checkpoint ? `; checkpoint: ${s.checkpoint} (hedonist train million --resume ${s.runDir})` : ''}`,
    ].join('\n');
  },
};

/** The sparse million network (units x 64 synapses, 20-bit multiplexer) per rule, as scaling rows (M = 0). */
async function sparseScalingRows(o: {
  rules: ChungMuxRule[];
  units: number;
  episodes: number;
  seed: number;
  ctx?: GpuContext;
  choice: BackendChoice;
  onRow(r: ScalingRow): void;
}): Promise<ScalingRow[]> {
  const rows: ScalingRow[] = [];
  for (const rule of o.rules) {
    const r = await trainExperiment(parseExperiment(sparseScalingExperiment(rule, o, o.choice.backend)), { ctx: o.ctx, choice: o.choice });
    const row = sparseScalingRow(rule, r.summary as WeightMaxSparseSummary, r.wallSeconds);
    o.onRow(row);
    rows.push(row);
  }
  return rows;
}

export const chungScalingCommand: CliCommand = {
  path: ['reproduce', 'chung-scaling'],
  summary: 'Weight Max vs REINFORCE on the 20-bit multiplexer with 64M-32M hidden units (paper Fig. 3/4), GPU path',
  flags: {
    ...COMMON_TRAIN_FLAGS,
    M: { type: 'string', default: '0.25,1,4,16', help: "width multipliers (comma-separated); 'none' runs only the sparse variant" },
    rules: { type: 'string', default: 'weightmax,reinforce', help: `rules (comma-separated: ${CHUNG_RULES.join(', ')}; the sparse variant: weightmax, reinforce)` },
    // The paper ran 800k.
    episodes: episodesFlag({ default: 20_000, max: 10_000_000 }),
    replicas: replicasFlag({ default: 4, max: 4096 }), // per (M, rule), trained at once
    'sparse-units': { type: 'int', min: 0, max: 1 << 22, default: 0, help: 'also run the sparse million network with this many units (0: skip)' },
    'sparse-episodes': { type: 'int', min: 1, max: 10_000_000, default: 200, help: 'episodes of the sparse variant' },
    backend: backendFlag({ default: 'auto' }),
    ...REPRODUCE_SWEEP_FLAGS,
  },
  async run(f, io) {
    const M = String(f.M) === 'none' ? [] : String(f.M).split(',').map(Number);
    if (M.some((x) => !(x > 0))) throw new UsageError(`--M must be positive numbers or 'none', got ${String(f.M)}`);
    if (M.length === 0 && !(f['sparse-units'] as number)) throw new UsageError('--M none needs --sparse-units (nothing to run)');
    const rules = String(f.rules).split(',') as ChungRule[];
    if (rules.some((r) => !CHUNG_RULES.includes(r))) throw new UsageError(`--rules must be a comma-separated list of ${CHUNG_RULES.join(', ')}, got ${String(f.rules)}`);
    const sparseUnits = f['sparse-units'] as number;
    if (sparseUnits && rules.some((r) => r !== 'weightmax' && r !== 'reinforce'))
      throw new UsageError(`--sparse-units: the sparse variant runs weightmax and reinforce only, got --rules ${String(f.rules)}`);
    const seed = f.seed as number;
    const episodes = f.episodes as number;
    const replicas = f.replicas as number;
    if (f.executor) {
      const sweep = chungScalingSweep({ M, rules, episodes, replicas, seed, sparseUnits, sparseEpisodes: f['sparse-episodes'] as number }, f.backend as Experiment['run']['backend']);
      return reproduceAsSweep<{ rows: ScalingRow[] }>(sweep, f, io, 'scaling');
    }
    refuseSweepFlags(f);
    const { ctx, choice } = await gpuFor(f.backend as Experiment['run']['backend'], io);
    const backend = choice.backend;
    const dir = io.runDir('chung-scaling', f.name as string | undefined);
    const bar = io.progress('chung-scaling', 'episodes');
    const onRow = (row: ScalingRow) => {
      dir.log({ ...row });
      io.log(
        `M ${row.M || 'sparse'} ${row.rule}: mean ${row.mean.toFixed(3)} +- ${row.std.toFixed(3)}, last 10% ${row.finalMean.toFixed(3)} (${row.wallSeconds.toFixed(1)} s, ${row.msPerEpisode.toFixed(1)} ms/episode)`,
      );
    };
    try {
      let done = 0;
      const rows: ScalingRow[] = await runChungScaling({
        M,
        rules,
        episodes,
        replicas,
        seed,
        train: { ctx, choice },
        onRun: onRow,
        hooks: { onEpisode: () => (++done % 256 === 0 ? bar.update(done, M.length * rules.length * episodes * replicas) : undefined) },
      });
      if (sparseUnits) rows.push(...(await sparseScalingRows({ rules: rules as ChungMuxRule[], units: sparseUnits, episodes: f['sparse-episodes'] as number, seed, ctx, choice, onRow })));
      bar.stop();
      const result = { episodes, replicas, backend, rows, runDir: dir.path };
      dir.writeJson('scaling.json', result);
      dir.writeText('scaling.csv', scalingCsv(rows, backend));
      return result;
    } finally {
      bar.stop();
      await dir.close();
    }
  },
  format: reproduceFormat(
    'Chung (2022) scaling',
    (x: { rows: ScalingRow[] }) => scalingText(x.rows),
    (r) => {
      const rows = r.rows as ScalingRow[];
      return [
        `chung-scaling (${String(r.backend)}): mean reward over all training episodes (area under the curve), ${String(r.episodes)} episodes x ${String(r.replicas)} replicas per cell (the paper: 800k episodes)`,
        scalingText(rows),
        `written: ${String(r.runDir)}/scaling.json, scaling.csv`,
      ].join('\n');
    },
    'scaling.csv',
  ),
  pictures: {
    charts: (r) => [
      barChart(
        'chung-scaling: mean reward over training, 20-bit multiplexer',
        'width multiplier M (sparse: the million network)',
        'mean reward',
        ((r.rows ?? []) as ScalingRow[]).map((x) => ({ category: x.M ? `M ${x.M}` : 'sparse', group: x.rule, ...errorBar(x.mean, x.std) })),
      ),
    ],
  },
};

export const CHUNG_GPU_COMMANDS: CliCommand[] = [millionCommand, chungScalingCommand];
