import { cartpoleBench } from './cartpole-bench.ts';
import type { BenchSuite } from './harness.ts';
import { reinforceBench } from './reinforce-bench.ts';
import { spikeBench } from './spike-bench.ts';
import { synqBench } from './synq-bench.ts';
import { ottBenches } from './ott-bench.ts';
import { criticBench } from './critic-bench.ts';
import { weightMaxBench } from './wm-bench.ts';

/**
 * Every benchmark suite `npm run bench` runs, in order.
 *
 * Adding a family takes one file and one line: write `src/bench/<family>-bench.ts` exporting a
 * `BenchSuite` whose `setup(ctx, size)` builds `size` agents/synapses/envs and returns a `BenchCase`
 * (one GPU step to encode, one CPU-twin step over all items or a prefix, the items and the bytes a
 * step moves; see spike-bench.ts), then append it below. The harness runs it at every size
 * (2^16, 2^20, 2^22; 2^12..2^16 with --quick), times both paths, and derives items/s, GB/s, the
 * fraction of the copy roofline and the ratio to the CPU twin; the report gets a table for it.
 */
export const BENCH_SUITES: BenchSuite[] = [spikeBench, cartpoleBench, reinforceBench, synqBench, ...ottBenches, criticBench, weightMaxBench];
