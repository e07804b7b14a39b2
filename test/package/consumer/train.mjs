// A user's plain Node ESM script: the packed hedonist from node_modules, no TypeScript, no loader.
import { readFileSync } from 'node:fs';
import { CartPoleCpu, run } from 'hedonist';
import { createNodeGpu } from 'hedonist/node';
import { reproduceChalk } from 'hedonist/chalk';
import { reproduceChungTable1, trainChung } from 'hedonist/chung';
import { ENVS } from 'hedonist/envs';
import { runLoop, trainExperiment } from 'hedonist/experiment';
import { SPIKE_SAMPLE } from 'hedonist/kernels';
import { reproduceOttTable1, trainOttCartpole } from 'hedonist/ott';
import { reproduceBhargavaTable1 } from 'hedonist/synq';

// Every family's subpath resolves to its functions.
const entries = { reproduceChalk, reproduceChungTable1, trainChung, runLoop, trainExperiment, reproduceOttTable1, trainOttCartpole, reproduceBhargavaTable1 };
const missing = Object.entries(entries)
  .filter(([, f]) => typeof f !== 'function')
  .map(([k]) => k);
if (missing.length || !ENVS.cartpole || !SPIKE_SAMPLE) throw new Error(`missing exports: ${missing.join(', ')}`);

const experiment = JSON.parse(readFileSync(new URL('./experiment.json', import.meta.url), 'utf8'));
const cpu = await run(experiment);
const env = new CartPoleCpu(2, 1);
console.log(JSON.stringify({ typeofGpu: typeof createNodeGpu, backend: cpu.backend, envSteps: cpu.envSteps, summary: cpu.summary, obsDim: env.obsDim }));
