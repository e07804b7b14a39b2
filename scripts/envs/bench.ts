/**
 * Shared timing loop for the CPU env throughput scripts: steps a batched env with uniformly random
 * actions (precomputed from the counter RNG so drawing them is not timed) and prints env steps/s.
 */
import { rngU32, Stream } from '../../src/rng/counter-rng.ts';
import type { BatchedEnv } from '../../src/envs/env-types.ts';

/** Reads `[numEnvs] [totalSteps]` from argv with the given defaults. */
export function parseArgs(defaultEnvs: number, defaultSteps: number): { numEnvs: number; totalSteps: number } {
  const numEnvs = Number(process.argv[2] ?? defaultEnvs);
  const totalSteps = Number(process.argv[3] ?? defaultSteps);
  if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new RangeError(`numEnvs must be an integer >= 1, got ${process.argv[2]}`);
  if (!Number.isFinite(totalSteps) || totalSteps < 1) throw new RangeError(`totalSteps must be >= 1, got ${process.argv[3]}`);
  return { numEnvs, totalSteps };
}

/**
 * Runs `env` for at least `totalSteps` env steps (batch steps x numEnvs) after a short warm-up
 * and prints the rate. `step` defaults to `env.step`; pass another stepping function (e.g. the
 * multiplexer's bandit mode) to time it instead.
 */
export function bench(name: string, env: BatchedEnv, numActions: number, totalSteps: number, step: (actions: Int32Array) => void = (a) => env.step(a)): void {
  const n = env.numEnvs;
  const table = Array.from({ length: 64 }, (_, t) => Int32Array.from({ length: n }, (_, i) => rngU32(0, Stream.test, i, t) % numActions));
  env.reset(1);
  const batches = Math.max(1, Math.ceil(totalSteps / n));
  const warm = Math.min(batches, Math.max(1, Math.floor(batches / 10)));
  for (let t = 0; t < warm; t++) step(table[t & 63]!);
  let episodes = 0;
  const t0 = performance.now();
  for (let t = 0; t < batches; t++) {
    step(table[t & 63]!);
    for (let i = 0; i < n; i++) episodes += env.terminated[i]! | env.truncated[i]!;
  }
  const s = (performance.now() - t0) / 1000;
  const steps = batches * n;
  console.log(`${name}: ${n} envs, ${steps} steps in ${s.toFixed(3)} s = ${Math.round(steps / s).toLocaleString('en-US')} steps/s` + ` (${episodes} episodes ended, node ${process.version})`);
}
