import type { GpuContext } from '../gpu/context.ts';
import type { LoopOptions } from '../run/loop.ts';
import { parseExperiment } from './load.ts';
import type { Experiment } from './schema.ts';
import { trainExperiment, type TrainResult } from './train.ts';

/** Options of {@link run}: the loop's options plus where to run. */
export interface RunOptions extends LoopOptions {
  /**
   * The WebGPU device (from `createNodeGpu()` in hedonist/node or `createBrowserGpu()` in
   * hedonist/browser). Absent: the experiment runs on the CPU twins (`run.backend` auto or cpu).
   */
  ctx?: GpuContext;
  /** `path=value` overrides applied before validation, as the CLI's `--set` (e.g. `run.episodes=50`). */
  sets?: readonly string[];
}

/**
 * Train one experiment: the library form of `hedonist run FILE`. The input is an experiment
 * file's JSON as a plain object (or an already parsed {@link Experiment}); it is validated with
 * defaults filled (a bad field throws a `ConfigError` naming it), built into a step program and run
 * through the one loop on WebGPU or the CPU twins, as `run.backend` and `ctx` allow.
 *
 * @example
 * ```ts
 * import { run } from 'hedonist';
 * const r = await run({ env: { name: 'cartpole' }, population: { agents: 'logistic-neurons', hidden: [8] },
 *   rule: { name: 'reinforce', lr: 0.03 }, run: { replicas: 4, episodes: 20, backend: 'cpu' } });
 * console.log(r.summary);
 * ```
 */
export async function run(input: unknown, o: RunOptions = {}): Promise<TrainResult> {
  const { sets = [], ...loop } = o;
  const x: Experiment = parseExperiment(input, sets);
  return trainExperiment(x, loop);
}
