/**
 * Chalk et al. commands. `train chalk-counts`, `train chalk-pixels` and `reproduce chalk` are thin
 * aliases of the coding-cost rule's presets (experiments/chalk-counts.json, chalk-pixels.json): they
 * build the experiment from their flags and train it through the one loop (`runExperimentCli`:
 * runs/<name>/metrics.jsonl, summary.json, --checkpoint-every / --resume); sweeps also write
 * sweep.tsv, --spikes-out a spike train of the trained network. `infer-reward` analyses a recorded
 * spike file and turns a malformed one into a usage error (exit code 2, one line naming the line and
 * the problem).
 */
import { readFileSync } from 'node:fs';
import { checkOutputPath, writeFileAtomic } from '../run-dir.ts';
import { join } from 'node:path';
import { CHALK_COUNTS_PRESET, CHALK_COUNTS_SWEEP, CHALK_PIXELS_PRESET, CHALK_PIXELS_SWEEP } from '../../chalk/config.ts';
import { chalkCountsSweep, countsProblemFromConfig, type SweepRow } from '../../chalk/counts.ts';
import { simulate } from '../../chalk/dynamics.ts';
import { inferReward } from '../../chalk/infer.ts';
import { chalkPixelsSweep } from '../../chalk/pixels.ts';
import { recoveryTsv, type ReproduceSummary } from '../../chalk/reproduce.ts';
import { chalkSweep } from '../../chalk/reproduce-sweep.ts';
import { formatSpikeFile, SpikeFileError } from '../../chalk/spike-file.ts';
import { SAMPLING_DEFAULTS } from '../../chalk/sampling-learner.ts';
import { parseExperiment } from '../../experiment/load.ts';
import type { CodingCostRule, Experiment } from '../../experiment/schema.ts';
import { trainExperiment } from '../../experiment/train.ts';
import { type CodingCostModel, formatCodingCost } from '../../rules/coding-cost.ts';
import { readNamedFile, refuseUnless, UsageError, type Parsed } from '../args.ts';
import type { CliCommand } from '../command.ts';
import { runExperimentCli } from '../experiment-run.ts';
import { backendFlag, COMMON_TRAIN_FLAGS, jsonFlag, nameFlag, RUN_FLAGS, seedFlag, stepsFlag } from '../flags.ts';
import { reproduceFormat, refuseSweepFlags, reproduceAsSweep, REPRODUCE_SWEEP_FLAGS } from './sweep.ts';

const fmt = (v: number, d = 3) => v.toFixed(d);
const dist = (row: number[]) => row.map((v) => fmt(v, 2)).join(' ');

/** The presets the aliases run (flags override their fields). */
export const CHALK_COUNTS_EXPERIMENT = new URL('../../../experiments/chalk-counts.json', import.meta.url);
export const CHALK_PIXELS_EXPERIMENT = new URL('../../../experiments/chalk-pixels.json', import.meta.url);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = Record<string, any>;
const preset = (url: URL): Raw => JSON.parse(readFileSync(url, 'utf8')) as Raw;

function sweepTable(rows: (SweepRow & { informationBits?: number })[]): string {
  const head = ['lambda', 'averageReward', 'codingCostBits', 'objective', 'performance', ...(rows[0]?.informationBits !== undefined ? ['informationBits'] : [])];
  const lines = rows.map((r) => [r.lambda, r.averageReward, r.codingCostBits, r.objective, r.performance, ...(r.informationBits !== undefined ? [r.informationBits] : [])].join('\t'));
  return [head.join('\t'), ...lines].join('\n') + '\n';
}

/** Rewrite summary.json with what the alias added to the run's summary (sweeps, spike trains). */
function rewriteSummary(result: Record<string, unknown>, runDir: string): void {
  writeFileAtomic(join(runDir, 'summary.json'), JSON.stringify(result, null, 2) + '\n');
}

/** The lines before the final "summary: ..." line of a formatted run, then `extra`, then that line. */
function withLines(text: string, extra: string[]): string {
  const lines = text.split('\n');
  const last = lines.pop()!;
  return [...lines, ...extra, last].join('\n');
}

const trainChalkCountsCommand: CliCommand = {
  path: ['train', 'chalk-counts'],
  summary: 'Chalk (a): 8 neuron-agents, input x=-1/+1, rewarded for 2/6 active neurons, minus a coding cost (experiments/chalk-counts.json)',
  flags: {
    ...COMMON_TRAIN_FLAGS,
    lambda: { type: 'number', min: 1e-4, max: 100, default: CHALK_COUNTS_PRESET.lambda, help: 'coding-cost weight (reward units per nat; rule.lambda)' },
    solver: { type: 'choice', choices: ['exact', 'sampled'], default: 'exact', help: 'enumerated soft value iteration, or the parallel-chain sampling learner (rule.solver)' },
    // Only the sampled solver has steps to put on a device; the exact one runs on the CPU.
    backend: backendFlag({ default: 'auto' }),
    chains: { type: 'int', min: 1, max: 65536, default: SAMPLING_DEFAULTS.chains, help: 'sampled: parallel Markov chains (logistic: at most 4096)' },
    // One step advances every chain once (the sampled solver and the logistic policy).
    steps: stepsFlag({ default: SAMPLING_DEFAULTS.steps, max: 10_000_000 }),
    sweep: { type: 'bool', help: `also run the lambda sweep ${CHALK_COUNTS_SWEEP.join(',')} (exact solver) and write sweep.tsv` },
    'spikes-out': { type: 'string', help: 'write a spike train of the trained network to this file (for infer-reward)' },
    'spike-steps': { type: 'int', min: 2, max: 100_000_000, default: 100_000, help: 'rows of the --spikes-out train' },
    update: {
      type: 'choice',
      choices: ['async', 'sync'],
      default: 'async',
      help: 'update scheme of training (exact: sync for N <= 10; sampled sync needs --policy logistic) and of the --spikes-out simulation',
    },
    neurons: {
      type: 'int',
      min: 1,
      max: 1 << 20,
      default: CHALK_COUNTS_PRESET.neurons,
      help: 'number of neurons N (tabular: N <= 12; logistic: any N); targets default to N/4 and 3N/4 (2/6 at N = 8)',
    },
    policy: {
      type: 'choice',
      choices: ['tabular', 'logistic'],
      default: 'tabular',
      help: 'policy class: tabular over views (exact or sampled), or per-neuron logistic in count features (sampled, WebGPU or CPU, any N)',
    },
    'actor-trust': {
      type: 'number',
      min: 0,
      max: 1000,
      help: 'logistic: actor trust region kappa (a weight moves at most kappa lambda / sqrt(N) per step; 0 = off); default 0.5 with --update sync, else 0',
    },
    bins: { type: 'int', min: 1, max: 256, default: 32, help: 'logistic: tent knots over the count axis (min(N, bins) used)' },
    reward: { type: 'choice', choices: ['exact', 'smooth'], default: 'exact', help: 'count reward: 1 at the target, or -|count - target| / max(1, N/8)' },
    ...RUN_FLAGS,
  },
  async run(f, io) {
    const neurons = f.neurons as number;
    for (const flag of ['actor-trust', 'bins']) refuseUnless(f, flag, f.policy === 'logistic', 'applies only with --policy logistic (the tabular policy has no count features)');
    const sampled = f.policy === 'logistic' || f.solver === 'sampled';
    for (const flag of ['steps', 'chains']) refuseUnless(f, flag, sampled, 'applies only with --solver sampled or --policy logistic (the exact solver takes no steps)');
    refuseUnless(f, 'backend', sampled || f.backend !== 'webgpu', 'webgpu applies only with --solver sampled or --policy logistic (the exact solver runs on the CPU)');
    if (f['spikes-out'] && !f.resume && neurons > 12) throw new UsageError('--spikes-out needs a policy table (N <= 12)');
    if (f['spikes-out']) checkOutputPath('--spikes-out', f['spikes-out'] as string);
    let x;
    if (!f.resume) {
      const policy = f.policy as 'tabular' | 'logistic';
      const solver = policy === 'logistic' ? 'sampled' : (f.solver as 'exact' | 'sampled');
      const chains = f.chains as number,
        steps = f.steps as number;
      const raw = preset(CHALK_COUNTS_EXPERIMENT);
      raw.rule = {
        ...raw.rule,
        task: { ...raw.rule.task, neurons, reward: f.reward, update: f.update },
        lambda: f.lambda,
        solver,
        policy,
        sampled: { ...raw.rule.sampled, chains, steps },
        logistic: {
          ...raw.rule.logistic,
          chains: Math.min(4096, chains),
          steps,
          countBins: Math.min(neurons, f.bins as number),
          ...(f['actor-trust'] !== undefined ? { actorTrust: f['actor-trust'] } : {}),
        },
      };
      // The exact solver has no steps to put on a device; the logistic learner reads back every 100 steps.
      const backend = solver === 'exact' ? 'cpu' : f.backend;
      raw.run = { ...raw.run, seed: f.seed, backend, stepsPerChunk: policy === 'logistic' ? 100 : raw.run.stepsPerChunk };
      x = parseExperiment(raw);
    }
    let model: CodingCostModel | undefined;
    const s = await runExperimentCli(x, f, io, { onModel: (m) => void (model = m as CodingCostModel) });
    if (s.stopped) return s;
    const e = s.experiment;
    const result: Record<string, unknown> = { ...s };
    if (f.sweep) {
      const rows = chalkCountsSweep(CHALK_COUNTS_SWEEP, { seed: e.run.seed });
      result.sweep = rows;
      result.sweepTable = join(s.runDir, 'sweep.tsv');
      writeFileAtomic(result.sweepTable as string, sweepTable(rows));
    }
    if (f['spikes-out']) {
      const t = model!.trained;
      if (!t?.piOne || !t.config) throw new UsageError('--spikes-out needs a policy table (N <= 12)');
      const p = { ...countsProblemFromConfig(t.config), update: (e.rule as CodingCostRule & { task: { update: 'async' | 'sync' } }).task.update };
      const train = simulate(p, t.piOne, { steps: f['spike-steps'] as number, seed: e.run.seed });
      writeFileAtomic(f['spikes-out'] as string, formatSpikeFile(train), '--spikes-out: cannot write');
      result.spikesOut = { file: f['spikes-out'], rows: train.steps, update: p.update };
    }
    if (f.sweep || f['spikes-out']) rewriteSummary(result, s.runDir);
    return result;
  },
  format(r) {
    const s = r as Record<string, any>;
    const extra: string[] = [];
    if (s.sweep) {
      extra.push('lambda   <r>     cost(bits)  objective  P(target)');
      for (const row of s.sweep as SweepRow[])
        extra.push(`${String(row.lambda).padEnd(8)} ${fmt(row.averageReward)}   ${fmt(row.codingCostBits)}       ${fmt(row.objective)}      ${fmt(row.performance)}`);
      extra.push(`table: ${s.sweepTable}`);
    }
    if (s.spikesOut) extra.push(`spike train (${s.spikesOut.update}): ${s.spikesOut.file}, ${s.spikesOut.rows} rows`);
    return withLines(formatCodingCost(s), extra);
  },
};

/** A command that runs only the exact solver (no steps to put on a device) refuses --backend webgpu. */
function refuseExactOnWebgpu(f: Parsed, command: string): void {
  refuseUnless(f, 'backend', f.backend !== 'webgpu', `webgpu: ${command} runs the exact solver, which has no steps to put on a device (it runs on the CPU)`);
}

const trainChalkPixelsCommand: CliCommand = {
  path: ['train', 'chalk-pixels'],
  summary: 'Chalk (b): 7 neuron-agents encode whether more than 3 of 7 pixels are on (efficient coding; experiments/chalk-pixels.json)',
  flags: {
    ...COMMON_TRAIN_FLAGS,
    lambda: { type: 'number', min: 1e-4, max: 100, default: CHALK_PIXELS_PRESET.lambda, help: 'coding-cost weight (rule.lambda)' },
    'pixel-prob': { type: 'number', min: 1e-3, max: 0.999, default: CHALK_PIXELS_PRESET.pixelProb, help: 'probability that each pixel is on (rule.task.pixelProb)' },
    sweep: { type: 'bool', help: `also run the lambda sweep ${CHALK_PIXELS_SWEEP.join(',')} and write sweep.tsv` },
    backend: backendFlag({ default: 'auto' }),
    ...RUN_FLAGS,
  },
  async run(f, io) {
    refuseExactOnWebgpu(f, 'chalk-pixels');
    let x;
    if (!f.resume) {
      const raw = preset(CHALK_PIXELS_EXPERIMENT);
      raw.rule = { ...raw.rule, lambda: f.lambda, task: { ...raw.rule.task, pixelProb: f['pixel-prob'] } };
      raw.run = { ...raw.run, seed: f.seed };
      x = parseExperiment(raw);
    }
    const s = await runExperimentCli(x, f, io);
    if (s.stopped) return s;
    const result: Record<string, unknown> = { ...s };
    if (f.sweep) {
      const t = s.experiment.rule as CodingCostRule & { task: { pixelProb: number } };
      const rows = chalkPixelsSweep(CHALK_PIXELS_SWEEP, { pixelProb: t.task.pixelProb, seed: s.experiment.run.seed });
      result.sweep = rows;
      result.sweepTable = join(s.runDir, 'sweep.tsv');
      writeFileAtomic(result.sweepTable as string, sweepTable(rows));
      rewriteSummary(result, s.runDir);
    }
    return result;
  },
  format(r) {
    const s = r as Record<string, any>;
    const extra: string[] = [];
    if (s.sweep) {
      extra.push('lambda   I(bits)  cost(bits)  objective  accuracy');
      for (const row of s.sweep as (SweepRow & { informationBits: number })[])
        extra.push(`${String(row.lambda).padEnd(8)} ${fmt(row.informationBits)}    ${fmt(row.codingCostBits)}       ${fmt(row.objective)}     ${fmt(row.performance)}`);
      extra.push(`table: ${s.sweepTable}`);
    }
    return withLines(formatCodingCost(s), extra);
  },
};

const inferRewardCommand: CliCommand = {
  path: ['infer-reward'],
  summary: 'inverse RL: recover r(sigma, x) (up to a constant per input) from a spike file, lambda known',
  flags: {
    spikes: { type: 'string', help: 'spike file (rows: N spike columns 0/1, then the input column(s); see docs/chalk.md)' },
    lambda: { type: 'number', min: 1e-4, max: 100, default: CHALK_COUNTS_PRESET.lambda, help: 'coding-cost weight of the network that produced the spikes' },
    method: { type: 'choice', choices: ['bellman', 'ml', 'both'], default: 'both', help: 'soft-Bellman inversion, maximum likelihood (count x input features), or both' },
    json: jsonFlag(),
    name: nameFlag('infer-reward'),
  },
  async run(f, io) {
    const file = f.spikes as string | undefined;
    if (!file) throw new UsageError('infer-reward needs --spikes FILE');
    const text = readNamedFile(file, (why) => new UsageError(`cannot read spike file '${file}': ${why}`));
    let res: ReturnType<typeof inferReward>;
    try {
      res = inferReward({ spikes: text, lambda: f.lambda as number, method: f.method as 'bellman' | 'ml' | 'both' });
    } catch (e) {
      if (e instanceof SpikeFileError) throw new UsageError(`${file}: ${e.message}`);
      if (e instanceof RangeError) throw new UsageError(`${file}: ${e.message}`);
      throw e;
    }
    const { tables: _tables, ...summary } = res;
    const dir = io.runDir('infer-reward', f.name as string | undefined);
    try {
      const result = { spikes: file, lambda: f.lambda, ...summary, runDir: dir.path };
      dir.writeJson('summary.json', result);
      return result;
    } finally {
      await dir.close();
    }
  },
  format(r) {
    const s = r as Record<string, any>;
    const lines = [`${s.spikes}: ${s.neurons} neurons, ${s.transitions} transitions, inputs ${s.inputLabels.join(', ')}, switch prob ~${fmt(s.switchProbEstimate, 4)}, lambda ${s.lambda}`];
    for (const m of ['bellman', 'ml'] as const) {
      const e = s[m];
      if (!e) continue;
      lines.push(`${m === 'bellman' ? 'soft-Bellman inversion' : 'max likelihood'}: reward by spike count (centred per input; - = never visited)`);
      for (const x of Object.keys(e.byCount)) {
        lines.push(`  x=${x}: ${(e.byCount[x] as (number | null)[]).map((v) => (v === null ? '-' : fmt(v, 2))).join(' ')}   -> inferred target ${e.inferredTarget[x]}`);
      }
    }
    lines.push(`summary: ${s.runDir}/summary.json`);
    return lines.join('\n');
  },
};

/** Example (a) as `reproduce chalk` trains and analyses it: the counts preset, exact solver, with rule.reproduce. */
function reproduceChalkExperiment(f: Parsed): Experiment {
  const raw = preset(CHALK_COUNTS_EXPERIMENT);
  const quick = Boolean(f.quick);
  raw.name = 'reproduce-chalk';
  raw.rule = {
    ...raw.rule,
    lambda: f.lambda,
    solver: 'exact',
    policy: 'tabular',
    reproduce: { seed: f.seed, ...(quick ? { samples: [1_000, 10_000, 100_000], maxLikelihood: false } : {}) },
  };
  raw.run = { ...raw.run, seed: f.seed, backend: 'cpu' };
  return parseExperiment(raw);
}

function formatReproduction(s: Record<string, any>): string {
  const t = s.trained;
  const cd = s.cellDeath;
  const lines = [
    `reproduce chalk (a): 8 neurons, lambda ${s.lambda}, targets ${s.targets.join('/')}, ${(s.timeMs / 1000).toFixed(1)} s`,
    `target counts reached: ${s.targetsReached ? 'yes' : 'NO'} — mass on ${s.targets[0]} at x=-1: ${fmt(t.massOnTarget['-1'])} (mode ${t.modeCount['-1']}), mass on ${s.targets[1]} at x=+1: ${fmt(t.massOnTarget['+1'])} (mode ${t.modeCount['+1']})`,
    'recovered reward vs samples (soft-Bellman inversion; RMS error vs true reward, centred per input):',
    '  samples      error     inferred targets (x=-1 / x=+1)',
    ...(s.recovery as { samples: number; bellmanError: number; inferredTarget: Record<string, number> }[]).map(
      (row) => `  ${String(row.samples).padEnd(12)} ${fmt(row.bellmanError, 4)}    ${row.inferredTarget['-1']} / ${row.inferredTarget['+1']}`,
    ),
  ];
  if (s.maxLikelihood)
    lines.push(`  max likelihood on ${s.maxLikelihood.samples}: error ${fmt(s.maxLikelihood.error, 4)}, targets ${s.maxLikelihood.inferredTarget['-1']} / ${s.maxLikelihood.inferredTarget['+1']}`);
  lines.push(`targets recovered from spikes: ${s.targetsRecovered ? 'yes' : 'NO'}`);
  lines.push(`cell death: neurons ${cd.dead.join(', ')} removed; survivors re-optimised under the ${cd.rewardSource} inferred reward`);
  for (const x of Object.keys(cd.ratesBefore)) {
    const mean = (a: number[]) => a.reduce((p, q) => p + q, 0) / a.length;
    lines.push(
      `  x=${x}: survivor rate ${fmt(mean(cd.ratesBefore[x]))} -> ${fmt(mean(cd.ratesNoAdaptation[x]))} (no adaptation) -> ${fmt(mean(cd.ratesAfter[x]))} (predicted); P(count) after ${dist(cd.countDistAfter[x])}; TV vs true-reward prediction ${fmt(cd.tvInferredVsTrue[x], 4)}`,
    );
  }
  return lines.join('\n');
}

const reproduceChalkCommand: CliCommand = {
  path: ['reproduce', 'chalk'],
  summary: 'Chalk (a) end to end: targets reached, reward recovered from spikes vs samples, cell-death prediction',
  flags: {
    lambda: { type: 'number', min: 1e-4, max: 100, default: 0.5, help: 'coding-cost weight (large enough that off-target counts are visited)' },
    seed: seedFlag(),
    quick: { type: 'bool', help: 'shorter trains (1e3, 1e4, 1e5) and no maximum-likelihood fit' },
    backend: backendFlag({ default: 'auto' }),
    json: jsonFlag(),
    name: nameFlag('reproduce-chalk'),
    ...REPRODUCE_SWEEP_FLAGS,
  },
  async run(f, io) {
    refuseExactOnWebgpu(f, 'reproduce chalk');
    // Train example (a) as the counts experiment (exact solver, CPU); rule.reproduce analyses the trained network.
    const x = reproduceChalkExperiment(f);
    if (f.executor) return reproduceAsSweep<ReproduceSummary>(chalkSweep(x), f, io, 'recovery');
    refuseSweepFlags(f);
    const r = await trainExperiment(x);
    const s = (r.summary as { reproduction: ReproduceSummary }).reproduction;
    const dir = io.runDir('reproduce-chalk', f.name as string | undefined);
    try {
      const result = { ...s, runDir: dir.path };
      dir.writeJson('summary.json', result);
      dir.writeText('recovery.tsv', recoveryTsv(s));
      return result;
    } finally {
      await dir.close();
    }
  },
  format: reproduceFormat(
    'Chalk (a)',
    (x: Record<string, any>) => formatReproduction(x),
    (r) => [formatReproduction(r as Record<string, any>), `summary: ${(r as { runDir: string }).runDir}/summary.json`].join('\n'),
    'recovery.tsv',
  ),
  pictures: {
    charts: (r) => {
      const rec = (r.recovery ?? []) as { samples: number; bellmanError: number }[];
      return [
        {
          kind: 'line',
          title: 'Chalk (a): reward recovered from spikes',
          xTitle: 'log10 spike-train length (samples)',
          yTitle: 'RMS error vs the true reward',
          series: [{ label: 'soft-Bellman inversion', x: rec.map((x) => Math.log10(x.samples)), y: rec.map((x) => x.bellmanError) }],
        },
      ];
    },
  },
};

/** Every chalk command (spread into COMMANDS in registry.ts). */
export const CHALK_COMMANDS: CliCommand[] = [trainChalkCountsCommand, trainChalkPixelsCommand, inferRewardCommand, reproduceChalkCommand];
