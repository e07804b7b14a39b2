/**
 * Ott CartPole env steps per second on the three paths, in one run, interleaved round by round so
 * a loaded machine weighs on all of them alike: the CPU twins (the CPU executor, one thread), the
 * multi-dispatch WebGPU program (one dispatch per kernel), the fused WebGPU step
 * (src/kernels/ott-fused.ts: one dispatch per step) and its split form (three dispatches: the step
 * per replica, the update per neuron, the episode end). The untrained paper network (1 layer of 15 + 1,
 * MLP neurons, 'all' rewards), from a reset, after a warm-up.
 * Usage: npx tsx scripts/bench/ott-forms.ts [--replicas 1000,10] [--layers 1] [--steps N] [--rounds K] [--out FILE]
 * (--steps: env steps per path per round; default 10 at 1000 replicas and 200 at fewer).
 * Prints one JSON line per replica count and a markdown table (written to --out when given).
 */
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { ENVS } from '../../src/envs/registry.ts';
import { createNodeGpu } from '../../src/gpu/node.ts';
import { ottFusedProgram } from '../../src/kernels/ott-fused.ts';
import { resolveOttConfig } from '../../src/ott/config.ts';
import { ottNetwork } from '../../src/ott/network.ts';
import { ottProgram } from '../../src/rules/ott.ts';
import { CpuExecutor } from '../../src/run/executor-cpu.ts';
import { GpuExecutor } from '../../src/run/executor-gpu.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const replicaList = opt('replicas', '1000,10').split(',').map(Number);
const layers = Number(opt('layers', '1'));
const rounds = Number(opt('rounds', '3'));
const out = opt('out', '');
const load = () => os.loadavg()[0]!.toFixed(1);
const uptime = () => execSync('uptime').toString().trim();

const ctx = await createNodeGpu();
const lines: string[] = [];
const startedAt = uptime();
for (const R of replicaList) {
  const steps = Number(opt('steps', R >= 1000 ? '10' : '200'));
  const c = resolveOttConfig({ replicas: R, layers, seed: 5, minEpisodes: 1_000_000, maxEpisodes: 1_000_000 });
  const ops = ottProgram(ottNetwork(c), ENVS.cartpole);
  const cpu = new CpuExecutor(ops);
  const multi = new GpuExecutor(ctx, ops);
  const fused = new GpuExecutor(ctx, ottFusedProgram(ops).program);
  const split = new GpuExecutor(ctx, ottFusedProgram(ops, { form: 'split' }).program);
  await multi.checkAllocations();
  const paths: [string, (n: number) => Promise<void>][] = [
    ['cpu twins', async (n) => cpu.run(n)],
    ['webgpu, one dispatch per kernel', (n) => multi.chunk(n, () => {}).then(() => multi.drain())],
    ['webgpu, fused step', (n) => fused.chunk(n, () => {}).then(() => fused.drain())],
    ['webgpu, split fused step', (n) => split.chunk(n, () => {}).then(() => split.drain())],
  ];
  cpu.reset();
  multi.reset();
  fused.reset();
  split.reset();
  for (const [, run] of paths) await run(Math.max(5, Math.floor(steps / 2))); // warm-up: JIT, pipelines
  const seconds = paths.map(() => 0);
  const loads: string[] = [];
  for (let k = 0; k < rounds; k++) {
    loads.push(load());
    for (let p = 0; p < paths.length; p++) {
      const t0 = performance.now();
      await paths[p]![1](steps);
      seconds[p]! += (performance.now() - t0) / 1000;
    }
  }
  loads.push(load());
  const rate = seconds.map((s) => (R * steps * rounds) / s);
  console.log(JSON.stringify({ replicas: R, layers, steps, rounds, envStepsPerSecond: Object.fromEntries(paths.map(([n], i) => [n, +rate[i]!.toFixed(1)])), load1: loads }));
  lines.push(`| ${R} | ${steps} x ${rounds} | ${rate.map((x) => x.toFixed(0)).join(' | ')} | ${[1, 2, 3].map((p) => (rate[p]! / rate[0]!).toFixed(2)).join(' | ')} | ${loads.join(', ')} |`);
  multi.destroy();
  fused.destroy();
  split.destroy();
}
const md = [
  `Ott CartPole (${layers} layer${layers > 1 ? 's' : ''}, MLP neurons, untrained), env steps/s summed over replicas; \`npx tsx scripts/bench/ott-forms.ts\`, ${ctx.adapterName()}, ${os.cpus().length} cores.`,
  `uptime at the start: \`${startedAt}\`; at the end: \`${uptime()}\`.`,
  '',
  '| replicas | steps x rounds | cpu twins | webgpu ops | webgpu fused | webgpu split | ops/cpu | fused/cpu | split/cpu | 1-min load per round |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ...lines,
  '',
].join('\n');
console.log(md);
if (out) writeFileSync(out, md);
ctx.destroy();
process.exit(0);
