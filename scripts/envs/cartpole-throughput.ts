/**
 * Throughput of the batched CartPole-v1 CPU twin with a random policy (for comparison).
 * Usage: npx tsx scripts/envs/cartpole-throughput.ts [numEnvs=1024] [steps=1e7]
 */
import { CartPoleCpu } from '../../src/envs/cartpole.ts';
import { bench, parseArgs } from './bench.ts';

const { numEnvs, totalSteps } = parseArgs(1024, 1e7);
bench('cartpole-v1', new CartPoleCpu(numEnvs), 2, totalSteps);
