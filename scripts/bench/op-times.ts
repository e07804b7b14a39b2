/**
 * Where a preset's CPU step goes: each step op of the program timed alone over many steps
 * (performance.now around every op call), summed per op. Usage: npx tsx scripts/bench/op-times.ts FILE [--set path=value]... [--steps N]
 */
import { readFileSync } from 'node:fs';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperimentText } from '../../src/experiment/load.ts';
import { bindingsAt } from '../../src/run/program.ts';
import { localHostBuffers, pickArrays } from '../../src/run/shared-buffers.ts';

const args = process.argv.slice(2);
const sets: string[] = [];
let steps = 5000;
for (let i = 1; i < args.length; i++) {
  if (args[i] === '--set') sets.push(args[++i]!);
  else if (args[i] === '--steps') steps = Number(args[++i]);
}
const x = parseExperimentText(readFileSync(args[0]!, 'utf8'), args[0]!, sets);
const { program } = buildModel(x);
const arrays = localHostBuffers(program);
const compile = (p: number) => program.step.map((op) => op.kernel.cpu(op.layout, pickArrays(arrays, bindingsAt(op, p))));
const ops = [compile(0), compile(1)];
for (const r of program.reset) r.kernel.cpu(r.layout, pickArrays(arrays, bindingsAt(r, 0)))();
const names = program.step.map((op, i) => `${i} ${op.kernel.wgsl} ${JSON.stringify(op.layout).slice(0, 60)}`);
const t = new Float64Array(ops[0]!.length);
for (let s = 0; s < steps; s++) {
  const list = ops[s & 1]!;
  for (let i = 0; i < list.length; i++) {
    const a = performance.now();
    list[i]!();
    t[i] += performance.now() - a;
  }
}
// CPU time of each op alone, repeated (less noisy than wall time on a loaded machine).
const reps = 2000;
for (let i = 0; i < t.length; i++) {
  const c0 = process.cpuUsage();
  const op = ops[0]![i]!;
  for (let k = 0; k < reps; k++) op();
  const c = process.cpuUsage(c0);
  t[i] = ((c.user + c.system) / 1000 / reps) * steps;
}
const tot = t.reduce((a, b) => a + b, 0);
for (let i = 0; i < t.length; i++) console.log(`${((t[i]! / steps) * 1000).toFixed(1).padStart(7)} us ${((t[i]! / tot) * 100).toFixed(1).padStart(5)}%  ${names[i]}`);
console.log(`${((tot / steps) * 1000).toFixed(1)} us per step (x${x.run.replicas} replicas)`);
