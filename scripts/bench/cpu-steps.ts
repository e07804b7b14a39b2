/**
 * Env steps per second of an experiment preset on the CPU executor (the step program's twins), with
 * no loop, sink or checkpoint around it: the figure docs/benchmarks-peers.md compares.
 * Usage: npx tsx scripts/bench/cpu-steps.ts FILE [--set path=value]... [--steps N] [--seconds S] [--workers W] [--no-arena]
 * (--workers: the executor's worker threads, run.workers; default 1, this thread alone. --no-arena: one
 * array per buffer, so the twins run their TypeScript loops, not the WebAssembly ones.)
 * Prints one JSON line: { file, replicas, steps, wallSeconds, stepsPerSecond (per replica), envStepsPerSecond (over replicas), cpuSeconds, envStepsPerCpuSecond (this process's CPU time, all threads: less noisy on a loaded machine) }.
 */
import { readFileSync } from 'node:fs';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperimentText } from '../../src/experiment/load.ts';
import { CpuExecutor } from '../../src/run/executor-cpu.ts';

const args = process.argv.slice(2);
const file = args[0];
if (!file) {
  console.error('usage: cpu-steps.ts FILE [--set path=value]... [--steps N] [--seconds S]');
  process.exit(2);
}
const sets: string[] = [];
let steps = 0,
  seconds = 5,
  workers = 1,
  arena = true;
for (let i = 1; i < args.length; i++) {
  if (args[i] === '--set') sets.push(args[++i]!);
  else if (args[i] === '--steps') steps = Number(args[++i]);
  else if (args[i] === '--seconds') seconds = Number(args[++i]);
  else if (args[i] === '--workers') workers = Number(args[++i]);
  else if (args[i] === '--no-arena') arena = false;
  else {
    console.error(`unknown argument ${args[i]}`);
    process.exit(2);
  }
}
const x = parseExperimentText(readFileSync(file, 'utf8'), file, sets);
const model = buildModel(x);
const ex = new CpuExecutor(model.program, { workers, experiment: x, arena });
ex.reset();
const run = (n: number) => ex.chunk(n, () => {});
await run(Math.min(50, model.stepsPerChunk)); // warm-up (JIT; workers started)
const chunk = model.stepsPerChunk;
let done = 0;
const t0 = performance.now();
const c0 = process.cpuUsage();
while (steps > 0 ? done < steps : performance.now() - t0 < seconds * 1000) {
  const n = steps > 0 ? Math.min(chunk, steps - done) : chunk;
  await run(n);
  done += n;
}
const wall = (performance.now() - t0) / 1000;
const cu = process.cpuUsage(c0);
const cpu = (cu.user + cu.system) / 1e6;
const R = x.run.replicas;
ex.destroy();
console.log(
  JSON.stringify({
    file,
    sets,
    arena,
    replicas: R,
    workers: ex.workers,
    steps: done,
    wallSeconds: +wall.toFixed(3),
    stepsPerSecond: +(done / wall).toFixed(1),
    envStepsPerSecond: +((done * R) / wall).toFixed(1),
    cpuSeconds: +cpu.toFixed(3),
    envStepsPerCpuSecond: +((done * R) / cpu).toFixed(1),
  }),
);
