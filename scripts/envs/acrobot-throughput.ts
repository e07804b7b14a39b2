/**
 * Throughput of the batched Acrobot-v1 CPU twin with a random policy.
 * Usage: npx tsx scripts/envs/acrobot-throughput.ts [numEnvs=1024] [steps=4e6]
 */
import { AcrobotCpu } from '../../src/envs/acrobot.ts';
import { bench, parseArgs } from './bench.ts';

const { numEnvs, totalSteps } = parseArgs(1024, 4e6);
bench('acrobot-v1', new AcrobotCpu(numEnvs), 3, totalSteps);
