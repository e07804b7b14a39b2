/**
 * Chalk et al. commands: train chalk-counts, train chalk-pixels, infer-reward, reproduce chalk.
 * Each writes runs/<name>/summary.json; sweeps also write sweep.tsv; infer-reward turns a malformed
 * spike file into a usage error (exit code 2, one line naming the line and the problem).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CHALK_COUNTS_PRESET, CHALK_COUNTS_SWEEP, mergeCountsConfig, CHALK_PIXELS_PRESET, CHALK_PIXELS_SWEEP } from '../../chalk/config.ts';
import { countsProblemFromConfig, trainChalkCountsOn, type SweepRow } from '../../chalk/counts.ts';
import { simulate } from '../../chalk/dynamics.ts';
import { inferReward } from '../../chalk/infer.ts';
import { chalkPixelsSweep, trainChalkPixels } from '../../chalk/pixels.ts';
import { reproduceChalk } from '../../chalk/reproduce.ts';
import { formatSpikeFile, SpikeFileError } from '../../chalk/spike-file.ts';
import { SAMPLING_DEFAULTS } from '../../chalk/sampling-learner.ts';
import { UsageError } from '../args.ts';
import { COMMON_TRAIN_FLAGS, withRun, type CliCommand } from '../command.ts';

const fmt = (v: number, d = 3) => v.toFixed(d);
const dist = (row: number[]) => row.map((v) => fmt(v, 2)).join(' ');

function sweepTable(rows: (SweepRow & { informationBits?: number })[]): string {
  const head = ['lambda', 'averageReward', 'codingCostBits', 'objective', 'performance', ...(rows[0]?.informationBits !== undefined ? ['informationBits'] : [])];
  const lines = rows.map((r) => [r.lambda, r.averageReward, r.codingCostBits, r.objective, r.performance, ...(r.informationBits !== undefined ? [r.informationBits] : [])].join('\t'));
  return [head.join('\t'), ...lines].join('\n') + '\n';
}

const trainChalkCountsCommand: CliCommand = {
  path: ['train', 'chalk-counts'],
  summary: 'Chalk (a): 8 neuron-agents, input x=-1/+1, rewarded for 2/6 active neurons, minus a coding cost',
  flags: {
    ...COMMON_TRAIN_FLAGS,
    lambda: { type: 'number', min: 1e-4, max: 100, default: CHALK_COUNTS_PRESET.lambda, help: 'coding-cost weight (reward units per nat)' },
    solver: { type: 'choice', choices: ['exact', 'sampled'], default: 'exact', help: 'enumerated soft value iteration, or the parallel-chain sampling learner' },
    backend: { type: 'choice', choices: ['webgpu', 'cpu'], default: 'webgpu', help: 'where the sampled solver runs (WebGPU kernels or their CPU twins)' },
    chains: { type: 'int', min: 1, max: 65536, default: SAMPLING_DEFAULTS.chains, help: 'sampled: parallel Markov chains' },
    steps: { type: 'int', min: 1, max: 10_000_000, default: SAMPLING_DEFAULTS.steps, help: 'sampled: learning steps (each advances every chain once)' },
    sweep: { type: 'bool', help: `also run the lambda sweep ${CHALK_COUNTS_SWEEP.join(',')} (exact solver) and write sweep.tsv` },
    'spikes-out': { type: 'string', help: 'write a spike train of the trained network to this file (for infer-reward)' },
    'spike-steps': { type: 'int', min: 2, max: 100_000_000, default: 100_000, help: 'rows of the --spikes-out train' },
    update: { type: 'choice', choices: ['async', 'sync'], default: 'async', help: 'update scheme of training (exact: sync for N <= 10; sampled sync needs --policy logistic) and of the --spikes-out simulation' },
    neurons: { type: 'int', min: 1, max: 1 << 20, default: CHALK_COUNTS_PRESET.neurons, help: 'number of neurons N (tabular: N <= 12; logistic: any N); targets default to N/4 and 3N/4 (2/6 at N = 8)' },
    policy: { type: 'choice', choices: ['tabular', 'logistic'], default: 'tabular', help: 'policy class: tabular over views (exact or sampled), or per-neuron logistic in count features (sampled, WebGPU or CPU, any N)' },
    'actor-trust': { type: 'number', min: 0, max: 1000, help: 'logistic: actor trust region kappa (a weight moves at most kappa lambda / sqrt(N) per step; 0 = off); default 0.5 with --update sync, else 0' },
    bins: { type: 'int', min: 1, max: 256, default: 32, help: 'logistic: tent knots over the count axis (min(N, bins) used)' },
    reward: { type: 'choice', choices: ['exact', 'smooth'], default: 'exact', help: "count reward: 1 at the target, or -|count - target| / max(1, N/8)" },
  },
  async run(f, io) {
    const solver = f.solver as 'exact' | 'sampled';
    const backend = f.backend as 'webgpu' | 'cpu';
    const ctx = (solver === 'sampled' || f.policy === 'logistic') && backend === 'webgpu' ? await io.gpu() : undefined;
    return withRun(io, 'chalk-counts', f.name as string | undefined, async (dir, bar) => {
      const seed = f.seed as number;
      const neurons = f.neurons as number;
      const policy = f.policy as 'tabular' | 'logistic';
      const options = {
        lambda: f.lambda as number,
        solver: policy === 'logistic' ? ('sampled' as const) : solver,
        backend,
        seed,
        neurons,
        targets: [Math.round(neurons / 4), Math.round((3 * neurons) / 4)] as [number, number],
        reward: f.reward as 'exact' | 'smooth',
        update: f.update as 'async' | 'sync',
        policy,
        sampled: { chains: f.chains as number, steps: f.steps as number, seed },
        logistic: {
          chains: Math.min(4096, f.chains as number),
          steps: f.steps as number,
          seed,
          countBins: Math.min(neurons, f.bins as number),
          ...(f['actor-trust'] !== undefined ? { actorTrust: f['actor-trust'] as number } : {}),
        },
      };
      let checked;
      try {
        checked = mergeCountsConfig(options);
      } catch (e) {
        if (e instanceof RangeError) throw new UsageError(e.message);
        throw e;
      }
      const summary = await trainChalkCountsOn(checked, {
        ctx,
        hooks: {
          onProgress(done, total, gain, marginals) {
            dir.log({ step: done, 'charts/gain': gain, 'charts/mean_marginal': marginals.reduce((a, b) => a + b, 0) / marginals.length });
            bar.update(done, total, { gain });
          },
        },
      });
      bar.stop();
      const { piOne, ...rest } = summary;
      const result: Record<string, unknown> = { ...rest };
      if (f.sweep) {
        const { chalkCountsSweep } = await import('../../chalk/counts.ts');
        const rows = chalkCountsSweep(CHALK_COUNTS_SWEEP, { seed });
        result.sweep = rows;
        result.sweepTable = dir.writeText('sweep.tsv', sweepTable(rows));
      }
      if (f['spikes-out'] && piOne.length === 0) throw new UsageError('--spikes-out needs a policy table (N <= 12)');
      if (f['spikes-out']) {
        const p = { ...countsProblemFromConfig(summary.config), update: f.update as 'async' | 'sync' };
        const train = simulate(p, Float64Array.from(piOne), { steps: f['spike-steps'] as number, seed });
        writeFileSync(f['spikes-out'] as string, formatSpikeFile(train));
        result.spikesOut = { file: f['spikes-out'], rows: train.steps, update: p.update };
      }
      dir.log({ final: true, averageReward: summary.averageReward, codingCostBits: summary.codingCostBits, massOnTarget: summary.massOnTarget });
      return result;
    });
  },
  format(r) {
    const s = r as Record<string, any>;
    const lines = [
      `chalk-counts, solver ${s.solver}${s.solver === 'sampled' ? ` on ${s.adapter}` : ''}, lambda ${s.config.lambda}, targets ${s.config.targets.join('/')}, ${(s.timeMs / 1000).toFixed(1)} s`,
      `<r> ${fmt(s.averageReward)}, coding cost ${fmt(s.codingCostBits)} bits/step, objective ${fmt(s.objective)}, gain ${fmt(s.gain)}`,
      ...Object.keys(s.countDist).map((x) => `x=${x}: P(count = target) ${fmt(s.massOnTarget[x])}, mode ${s.modeCount[x]}, P(count) ${dist(s.countDist[x])}`),
      ...(s.nearTarget ? [`P(|count - target| <= ${Math.round(s.config.neurons / 32)}): ${Object.entries(s.nearTarget).map(([x, v]) => `x=${x} ${fmt(v as number)}`).join(', ')}; ${fmt(s.timeMs / s.config.logistic.steps, 2)} ms/step`] : []),
      `marginals p_i(1): ${s.marginals.length > 16 ? `mean ${fmt(s.marginals.reduce((a: number, b: number) => a + b, 0) / s.marginals.length)} over ${s.marginals.length}` : s.marginals.map((v: number) => fmt(v, 3)).join(' ')}`,
    ];
    if (s.sweep) {
      lines.push('lambda   <r>     cost(bits)  objective  P(target)');
      for (const row of s.sweep as SweepRow[]) lines.push(`${String(row.lambda).padEnd(8)} ${fmt(row.averageReward)}   ${fmt(row.codingCostBits)}       ${fmt(row.objective)}      ${fmt(row.performance)}`);
      lines.push(`table: ${s.sweepTable}`);
    }
    if (s.spikesOut) lines.push(`spike train (${s.spikesOut.update}): ${s.spikesOut.file}, ${s.spikesOut.rows} rows`);
    lines.push(`summary: ${s.runDir}/summary.json`);
    return lines.join('\n');
  },
};

const trainChalkPixelsCommand: CliCommand = {
  path: ['train', 'chalk-pixels'],
  summary: 'Chalk (b): 7 neuron-agents encode whether more than 3 of 7 pixels are on (efficient coding)',
  flags: {
    ...COMMON_TRAIN_FLAGS,
    lambda: { type: 'number', min: 1e-4, max: 100, default: CHALK_PIXELS_PRESET.lambda, help: 'coding-cost weight' },
    'pixel-prob': { type: 'number', min: 1e-3, max: 0.999, default: CHALK_PIXELS_PRESET.pixelProb, help: 'probability that each pixel is on' },
    sweep: { type: 'bool', help: `also run the lambda sweep ${CHALK_PIXELS_SWEEP.join(',')} and write sweep.tsv` },
  },
  async run(f, io) {
    const dir = io.runDir('chalk-pixels', f.name as string | undefined);
    try {
      const seed = f.seed as number;
      const s = trainChalkPixels({ lambda: f.lambda as number, pixelProb: f['pixel-prob'] as number, seed });
      const result: Record<string, unknown> = { ...s, runDir: dir.path };
      if (f.sweep) {
        const rows = chalkPixelsSweep(CHALK_PIXELS_SWEEP, { pixelProb: f['pixel-prob'] as number, seed });
        result.sweep = rows;
        result.sweepTable = dir.writeText('sweep.tsv', sweepTable(rows));
      }
      dir.log({ final: true, informationBits: s.informationBits, codingCostBits: s.codingCostBits, decodingAccuracy: s.decodingAccuracy });
      dir.writeJson('summary.json', result);
      return result;
    } finally {
      await dir.close();
    }
  },
  format(r) {
    const s = r as Record<string, any>;
    const lines = [
      `chalk-pixels, lambda ${s.config.lambda}, pixel prob ${s.config.pixelProb}, ${(s.timeMs / 1000).toFixed(1)} s, converged ${s.converged}`,
      `I(y; sigma) ${fmt(s.informationBits)} bits, coding cost ${fmt(s.codingCostBits)} bits/step, decoding accuracy ${fmt(s.decodingAccuracy)}`,
      `marginals p_i(1): ${s.marginals.map((v: number) => fmt(v)).join(' ')}`,
      'tuning P(sigma_i = 1 | k pixels on), k = 0..P:',
      ...(s.tuning as number[][]).map((row, i) => `  neuron ${i}: ${dist(row)}`),
    ];
    if (s.sweep) {
      lines.push('lambda   I(bits)  cost(bits)  objective  accuracy');
      for (const row of s.sweep as (SweepRow & { informationBits: number })[]) lines.push(`${String(row.lambda).padEnd(8)} ${fmt(row.informationBits)}    ${fmt(row.codingCostBits)}       ${fmt(row.objective)}     ${fmt(row.performance)}`);
      lines.push(`table: ${s.sweepTable}`);
    }
    lines.push(`summary: ${s.runDir}/summary.json`);
    return lines.join('\n');
  },
};

const inferRewardCommand: CliCommand = {
  path: ['infer-reward'],
  summary: 'inverse RL: recover r(sigma, x) (up to a constant per input) from a spike file, lambda known',
  flags: {
    spikes: { type: 'string', help: 'spike file (rows: N spike columns 0/1, then the input column(s); see docs/chalk.md)' },
    lambda: { type: 'number', min: 1e-4, max: 100, default: CHALK_COUNTS_PRESET.lambda, help: 'coding-cost weight of the network that produced the spikes' },
    method: { type: 'choice', choices: ['bellman', 'ml', 'both'], default: 'both', help: 'soft-Bellman inversion, maximum likelihood (count x input features), or both' },
    json: { type: 'bool', help: 'print the result as one JSON object on stdout' },
    name: { type: 'string', help: 'run name: summary goes to runs/<name>/ (default infer-reward-<timestamp>)' },
  },
  async run(f, io) {
    const file = f.spikes as string | undefined;
    if (!file) throw new UsageError('infer-reward needs --spikes FILE');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read spike file '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
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

const reproduceChalkCommand: CliCommand = {
  path: ['reproduce', 'chalk'],
  summary: 'Chalk (a) end to end: targets reached, reward recovered from spikes vs samples, cell-death prediction',
  flags: {
    lambda: { type: 'number', min: 1e-4, max: 100, default: 0.5, help: 'coding-cost weight (large enough that off-target counts are visited)' },
    seed: { type: 'int', min: 0, max: 2 ** 32 - 1, default: 7, help: 'seed of the spike trains' },
    quick: { type: 'bool', help: 'shorter trains (1e3, 1e4, 1e5) and no maximum-likelihood fit' },
    json: { type: 'bool', help: 'print the result as one JSON object on stdout' },
    name: { type: 'string', help: 'run name: summary goes to runs/<name>/ (default reproduce-chalk-<timestamp>)' },
  },
  async run(f, io) {
    const dir = io.runDir('reproduce-chalk', f.name as string | undefined);
    try {
      const quick = Boolean(f.quick);
      const s = reproduceChalk({ lambda: f.lambda as number, seed: f.seed as number, ...(quick ? { samples: [1_000, 10_000, 100_000], maxLikelihood: false } : {}) });
      const result = { ...s, runDir: dir.path };
      dir.writeJson('summary.json', result);
      dir.writeText('recovery.tsv', ['samples\tbellmanError\tinferredTargets', ...s.recovery.map((r) => `${r.samples}\t${r.bellmanError}\t${Object.values(r.inferredTarget).join('/')}`)].join('\n') + '\n');
      return result;
    } finally {
      await dir.close();
    }
  },
  format(r) {
    const s = r as Record<string, any>;
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
    if (s.maxLikelihood) lines.push(`  max likelihood on ${s.maxLikelihood.samples}: error ${fmt(s.maxLikelihood.error, 4)}, targets ${s.maxLikelihood.inferredTarget['-1']} / ${s.maxLikelihood.inferredTarget['+1']}`);
    lines.push(`targets recovered from spikes: ${s.targetsRecovered ? 'yes' : 'NO'}`);
    lines.push(`cell death: neurons ${cd.dead.join(', ')} removed; survivors re-optimised under the ${cd.rewardSource} inferred reward`);
    for (const x of Object.keys(cd.ratesBefore)) {
      const mean = (a: number[]) => a.reduce((p, q) => p + q, 0) / a.length;
      lines.push(
        `  x=${x}: survivor rate ${fmt(mean(cd.ratesBefore[x]))} -> ${fmt(mean(cd.ratesNoAdaptation[x]))} (no adaptation) -> ${fmt(mean(cd.ratesAfter[x]))} (predicted); P(count) after ${dist(cd.countDistAfter[x])}; TV vs true-reward prediction ${fmt(cd.tvInferredVsTrue[x], 4)}`,
      );
    }
    lines.push(`summary: ${s.runDir}/summary.json`);
    return lines.join('\n');
  },
};

/** Every chalk command (spread into COMMANDS in registry.ts). */
export const CHALK_COMMANDS: CliCommand[] = [trainChalkCountsCommand, trainChalkPixelsCommand, inferRewardCommand, reproduceChalkCommand];
