/**
 * Throughput of the batched LunarLander-v2 (one planck World per env) with a random policy, which
 * crashes often, so resets (world rebuilds) are included in the rate.
 * Usage: npx tsx scripts/envs/lunar-lander-throughput.ts [numEnvs=10] [steps=1e5]
 */
import { LunarLanderCpu } from '../../src/envs/lunar-lander.ts';
import { bench, parseArgs } from './bench.ts';

const { numEnvs, totalSteps } = parseArgs(10, 1e5);
bench('lunar-lander-v2', new LunarLanderCpu(numEnvs), 4, totalSteps);
