// A user's TypeScript: the package's .d.ts through its exports map (tsc --noEmit, NodeNext).
import { run, type RunOptions, type TrainResult } from 'hedonist';
import { createNodeGpu } from 'hedonist/node';
import { trainOttCartpole } from 'hedonist/ott';

const opts: RunOptions = { sets: ['run.episodes=5'] };
const r: Promise<TrainResult> = run({ env: { name: 'cartpole' } }, opts);
const steps: Promise<number> = r.then((x) => x.envSteps);
// @ts-expect-error: run's options have no such field; the types must say so.
run({}, { notAnOption: 1 });
export { steps, createNodeGpu, trainOttCartpole };
