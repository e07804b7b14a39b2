/**
 * Chung's Weight Maximization on the GPU path (multiplexer): `train million` (2^20 neuron-agents
 * x 64 synapse-agents) and `reproduce chung-scaling` (paper Fig. 3/4). See docs/million.md.
 */
import { millionConfig, runChungScalingGpu, trainChungMultiplexer, type ChungMuxRule, type ChungMuxSummary, type GpuScalingRow } from '../../learners/chung-multiplexer/index.ts';
import { COMMON_TRAIN_FLAGS, type CliCommand } from '../command.ts';

const backendFlag = { type: 'choice', choices: ['webgpu', 'cpu'], default: 'webgpu', help: 'run the kernels on WebGPU or as their CPU twins' } as const;

export const millionCommand: CliCommand = {
  path: ['train', 'million'],
  summary: 'Weight Max on the 11-bit multiplexer with 2^20 hidden neuron-agents x 64 synapses each',
  flags: {
    ...COMMON_TRAIN_FLAGS,
    seed: { type: 'int', min: 0, max: 2 ** 32 - 1, default: 1, help: 'seed of every random draw' },
    episodes: { type: 'int', min: 1, max: 10_000_000, default: 200, help: 'multiplexer episodes (single-step)' },
    units: { type: 'int', min: 1, max: 1 << 22, default: 1 << 20, help: 'neuron-agents of the big hidden layer' },
    'fan-in': { type: 'int', min: 1, max: 256, default: 64, help: 'synapses per big-layer unit (from the 256-unit first layer)' },
    'address-bits': { type: 'int', min: 1, max: 4, default: 3, help: 'multiplexer address bits (3: 11-bit, 4: 20-bit)' },
    rule: { type: 'choice', choices: ['weightmax', 'reinforce'], default: 'weightmax', help: 'hidden-unit learning rule' },
    'lr-big': { type: 'number', min: 0, max: 1e4, default: 4, help: 'SGD step of the big layer' },
    'lr-out': { type: 'number', min: 0, max: 1e6, default: 1, help: 'output Adam lr times the number of big-layer units' },
    backend: backendFlag,
  },
  async run(f, io) {
    const backend = f.backend as 'webgpu' | 'cpu';
    const ctx = backend === 'webgpu' ? await io.gpu() : undefined;
    const c = millionConfig({
      units: f.units as number, fanIn: f['fan-in'] as number, episodes: f.episodes as number, addressBits: f['address-bits'] as number,
      rule: f.rule as ChungMuxRule, seed: f.seed as number, backend, lrBig: f['lr-big'] as number, lrOutScale: f['lr-out'] as number,
    });
    const dir = io.runDir('million', f.name as string | undefined);
    const bar = io.progress('million');
    try {
      const s = await trainChungMultiplexer(c, {
        ctx,
        hooks: {
          onRewards(first, means) {
            means.forEach((m, i) => dir.log({ 'charts/episodic_return': m, episode: first + i }));
          },
          onProgress(done, total, recent) {
            bar.update(done, total, { 'reward(last 1000)': recent });
          },
        },
      });
      bar.stop();
      const result = { ...s, runDir: dir.path, lr: c.lr, peakDeviceBytes: ctx?.peakBufferBytes ?? 0 };
      dir.writeJson('summary.json', result);
      return result;
    } finally {
      bar.stop();
      await dir.close();
    }
  },
  format(r) {
    const s = r as unknown as ChungMuxSummary & { runDir: string };
    const mib = (b: number) => (b / 2 ** 20).toFixed(1);
    return [
      `million: ${s.hidden.join('-')} hidden (fan-in ${s.fanInPerLayer.join('/')}), ${s.addressBits + (1 << s.addressBits)}-bit multiplexer, ${s.rule}, ${s.backend} (${s.adapter})`,
      `device memory ${mib(s.deviceBytes)} MiB = ${s.bytesPerNeuron.toFixed(1)} B per neuron-agent = ${s.bytesPerSynapse.toFixed(2)} B per synapse-agent (${s.synapses} synapses)`,
      `${s.episodes} episodes in ${s.wallSeconds.toFixed(1)} s (build ${s.buildSeconds.toFixed(1)} s, ${s.episodesPerSecond.toFixed(2)} episodes/s)`,
      `mean reward: all ${s.meanReturn.toFixed(3)}, first 10% ${s.firstMeanReturn.toFixed(3)}, last 10% ${s.finalMeanReturn.toFixed(3)} (chance 0)`,
      `curve (blocks of ${s.curveBlock}): ${s.curve.map((x) => x.toFixed(2)).join(' ')}`,
      `metrics: ${s.runDir}/metrics.jsonl`,
    ].join('\n');
  },
};

export const chungScalingCommand: CliCommand = {
  path: ['reproduce', 'chung-scaling'],
  summary: 'Weight Max vs REINFORCE on the 20-bit multiplexer with 64M-32M hidden units (paper Fig. 3/4), GPU path',
  flags: {
    ...COMMON_TRAIN_FLAGS,
    seed: { type: 'int', min: 0, max: 2 ** 32 - 1, default: 1, help: 'seed of every random draw' },
    M: { type: 'string', default: '0.25,1,4,16', help: 'width multipliers (comma-separated)' },
    rules: { type: 'string', default: 'weightmax,reinforce', help: 'rules (comma-separated: weightmax, reinforce)' },
    episodes: { type: 'int', min: 1, max: 10_000_000, default: 20_000, help: 'episodes per run (the paper: 800k)' },
    replicas: { type: 'int', min: 1, max: 4096, default: 4, help: 'independent runs per (M, rule), trained at once' },
    'sparse-units': { type: 'int', min: 0, max: 1 << 22, default: 0, help: 'also run the sparse million network with this many units (0: skip)' },
    'sparse-episodes': { type: 'int', min: 1, max: 10_000_000, default: 200, help: 'episodes of the sparse variant' },
    backend: backendFlag,
  },
  async run(f, io) {
    const backend = f.backend as 'webgpu' | 'cpu';
    const ctx = backend === 'webgpu' ? await io.gpu() : undefined;
    const M = String(f.M).split(',').map(Number);
    if (M.some((x) => !(x > 0))) throw new RangeError(`--M must be positive numbers, got ${String(f.M)}`);
    const rules = String(f.rules).split(',') as ChungMuxRule[];
    if (rules.some((r) => r !== 'weightmax' && r !== 'reinforce')) throw new RangeError(`--rules must be weightmax and/or reinforce, got ${String(f.rules)}`);
    const dir = io.runDir('chung-scaling', f.name as string | undefined);
    const bar = io.progress('chung-scaling');
    try {
      const rows = await runChungScalingGpu({
        M, rules, episodes: f.episodes as number, replicas: f.replicas as number, seed: f.seed as number, backend, ctx,
        sparseUnits: f['sparse-units'] as number, sparseEpisodes: f['sparse-episodes'] as number,
        onRow: (row) => {
          dir.log({ ...row });
          io.log(`M ${row.M} ${row.rule}: mean ${row.mean.toFixed(3)} +- ${row.std.toFixed(3)}, last 10% ${row.finalMean.toFixed(3)} (${row.wallSeconds.toFixed(1)} s)`);
        },
        hooks: { onProgress: (d, t, recent) => bar.update(d, t, { 'reward(last 1000)': recent }) },
      });
      bar.stop();
      const result = { episodes: f.episodes, replicas: f.replicas, backend, rows, runDir: dir.path };
      dir.writeJson('scaling.json', result);
      dir.writeText('scaling.csv', ['M,rule,hidden1,hidden2,fanIn,mean,std,finalMean,episodes,replicas,wallSeconds', ...rows.map((r) => [r.M, r.rule, r.hidden[0], r.hidden[1], r.fanIn, r.mean, r.std, r.finalMean, r.episodes, r.replicas, r.wallSeconds].join(','))].join('\n') + '\n');
      return result;
    } finally {
      bar.stop();
      await dir.close();
    }
  },
  format(r) {
    const rows = r.rows as GpuScalingRow[];
    return [
      `chung-scaling (${String(r.backend)}): mean reward over all training episodes (area under the curve), ${String(r.episodes)} episodes x ${String(r.replicas)} replicas per cell (the paper: 800k episodes)`,
      'M       rule        hidden         mean    std    last10%',
      ...rows.map((x) => `${String(x.M || 'sparse').padEnd(8)}${x.rule.padEnd(12)}${x.hidden.join('-').padEnd(15)}${x.mean.toFixed(3).padStart(6)} ${x.std.toFixed(3).padStart(6)} ${x.finalMean.toFixed(3).padStart(8)}`),
      `written: ${String(r.runDir)}/scaling.json, scaling.csv`,
    ].join('\n');
  },
};

export const CHUNG_GPU_COMMANDS: CliCommand[] = [millionCommand, chungScalingCommand];
