/**
 * Where a preset's WebGPU step goes: after `--steps` ordinary steps (a running state), the whole
 * step's GPU ops and then each op alone are recorded `--reps` times into one pass, submitted, and
 * timed to onSubmittedWorkDone; prints each op's time per call beside the whole step's (ops run
 * alone see the state the last step left, so an op whose work depends on it, e.g. a learning
 * update, is timed for that state). The op-times.ts of the WebGPU executor; programs with host ops
 * (LunarLander's physics) are refused.
 * Usage: npx tsx scripts/bench/gpu-op-times.ts FILE [--set path=value]... [--steps N] [--reps N]
 */
import { readFileSync } from 'node:fs';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperimentText } from '../../src/experiment/load.ts';
import { createNodeGpu } from '../../src/gpu/node.ts';
import { GpuExecutor } from '../../src/run/executor-gpu.ts';

const args = process.argv.slice(2);
const sets: string[] = [];
let steps = 40,
  reps = 10;
for (let i = 1; i < args.length; i++) {
  if (args[i] === '--set') sets.push(args[++i]!);
  else if (args[i] === '--steps') steps = Number(args[++i]);
  else if (args[i] === '--reps') reps = Number(args[++i]);
  else {
    console.error(`unknown argument ${args[i]}`);
    process.exit(2);
  }
}
const x = parseExperimentText(readFileSync(args[0]!, 'utf8'), args[0]!, ['run.backend=webgpu', ...sets]);
const { program } = buildModel(x);
if (program.step.some((op) => op.kernel.host)) {
  console.error(`${args[0]}: the step has host ops (${program.step.filter((op) => op.kernel.host).map((op) => op.kernel.wgsl)}); time it with scripts/bench/cpu-steps.ts`);
  process.exit(2);
}
const ctx = await createNodeGpu();
const exec = new GpuExecutor(ctx, program);
exec.reset();
await exec.chunk(steps, () => {});
await exec.drain();
const dev = ctx.device;
/** ms per recording of `record` (reps of them in one pass). */
const time = async (record: (pass: GPUComputePassEncoder) => void): Promise<number> => {
  const t0 = performance.now();
  const enc = dev.createCommandEncoder();
  const pass = enc.beginComputePass();
  for (let k = 0; k < reps; k++) record(pass);
  pass.end();
  dev.queue.submit([enc.finish()]);
  await dev.queue.onSubmittedWorkDone();
  return (performance.now() - t0) / reps;
};
const start = exec.stepCount;
await time((pass) => exec.encodeSteps(pass, 1, start)); // warm-up: pipelines
const whole = await time((pass) => exec.encodeSteps(pass, 1, start));
const ms: number[] = [];
for (let i = 0; i < program.step.length; i++) ms.push(await time((pass) => exec.encodeOp(pass, i, start)));
const sum = ms.reduce((a, b) => a + b, 0);
program.step.forEach((op, i) => console.log(`${ms[i]!.toFixed(2).padStart(9)} ms ${((ms[i]! / sum) * 100).toFixed(1).padStart(5)}%  ${i} ${op.kernel.wgsl} ${JSON.stringify(op.layout).slice(0, 60)}`));
console.log(`whole step ${whole.toFixed(2)} ms, ops alone ${sum.toFixed(2)} ms (${x.run.replicas} replicas, ${ctx.adapterName()}, ${reps} reps)`);
exec.destroy();
ctx.destroy();
process.exit(0);
