import type { BenchSuite } from './harness.ts';
import { spikeBench } from './spike-bench.ts';

/** Every benchmark suite `npm run bench` runs; a family adds its suites here. */
export const BENCH_SUITES: BenchSuite[] = [spikeBench];
