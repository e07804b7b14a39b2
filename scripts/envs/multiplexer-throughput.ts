/**
 * Throughput of the batched multiplexer (20-bit by default) in both stepping modes.
 * Usage: npx tsx scripts/envs/multiplexer-throughput.ts [numEnvs=1024] [steps=4e6] [addressBits=4]
 */
import { MultiplexerCpu } from '../../src/envs/multiplexer.ts';
import { bench, parseArgs } from './bench.ts';

const { numEnvs, totalSteps } = parseArgs(1024, 4e6);
const k = Number(process.argv[4] ?? 4);
const env = new MultiplexerCpu(numEnvs, k);
bench(`multiplexer-${env.obsDim} step (next-step autoreset)`, env, 2, totalSteps);
bench(`multiplexer-${env.obsDim} stepBandit`, env, 2, totalSteps, (a) => env.stepBandit(a));
