/**
 * Where a preset's CPU step goes: after `--steps` ordinary steps (so the state is a running one),
 * each step op of the program is called alone `--reps` times and its CPU time per call printed
 * (process CPU time: steadier than wall time on a loaded machine), with the sum per step.
 * Usage: npx tsx scripts/bench/op-times.ts FILE [--set path=value]... [--steps N] [--reps N] [--no-arena]
 */
import { readFileSync } from 'node:fs';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperimentText } from '../../src/experiment/load.ts';
import { bindingsAt, hostBuffers } from '../../src/run/program.ts';
import { localHostBuffers, pickArrays } from '../../src/run/shared-buffers.ts';

const args = process.argv.slice(2);
const sets: string[] = [];
let steps = 2000,
  reps = 2000,
  arena = true;
for (let i = 1; i < args.length; i++) {
  if (args[i] === '--set') sets.push(args[++i]!);
  else if (args[i] === '--steps') steps = Number(args[++i]);
  else if (args[i] === '--reps') reps = Number(args[++i]);
  else if (args[i] === '--no-arena') arena = false;
  else {
    console.error(`unknown argument ${args[i]}`);
    process.exit(2);
  }
}
const x = parseExperimentText(readFileSync(args[0]!, 'utf8'), args[0]!, sets);
const { program } = buildModel(x);
const arrays = arena ? localHostBuffers(program) : hostBuffers(program);
const compile = (p: number) => program.step.map((op) => op.kernel.cpu(op.layout, pickArrays(arrays, bindingsAt(op, p))));
const ops = [compile(0), compile(1)];
for (const r of program.reset) r.kernel.cpu(r.layout, pickArrays(arrays, bindingsAt(r, 0)))();
for (let s = 0; s < steps; s++) for (const op of ops[s & 1]!) op();
const us = ops[0]!.map((op) => {
  const c0 = process.cpuUsage();
  for (let k = 0; k < reps; k++) op();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / reps;
});
const tot = us.reduce((a, b) => a + b, 0);
program.step.forEach((op, i) => console.log(`${us[i]!.toFixed(2).padStart(8)} us ${((us[i]! / tot) * 100).toFixed(1).padStart(5)}%  ${i} ${op.kernel.wgsl} ${JSON.stringify(op.layout).slice(0, 60)}`));
console.log(`${tot.toFixed(1)} us per step (${x.run.replicas} replicas, ${arena ? 'arena: WebAssembly loops' : 'no arena: TypeScript loops'})`);
