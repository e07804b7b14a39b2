/**
 * hedonist's platform-neutral API. Create a GpuContext with `createNodeGpu` (hedonist/node) or
 * `createBrowserGpu` (hedonist/browser), then use the envs, kernels and learners below.
 */
export { GpuContext, type GpuContextOptions, type AdapterSummary } from './gpu/context.ts';
export { GpuDeviceLostError, GpuKernelError, GpuLimitError } from './gpu/errors.ts';
export { ReadbackRing, readBuffer, readF32, readU32 } from './gpu/readback.ts';
export { rngU32, rngUniform, CounterRng, Stream } from './rng/counter-rng.ts';
export { CartPoleCpu } from './envs/cartpole.ts';
export { CartPoleGpu, type CartPoleState } from './envs/cartpole-gpu.ts';
export { AcrobotGpu, type AcrobotState } from './envs/acrobot-gpu.ts';
export { CARTPOLE_V1, type CartPoleParams } from './envs/cartpole-params.ts';
export { AcrobotCpu } from './envs/acrobot.ts';
export { MultiplexerCpu } from './envs/multiplexer.ts';
export { LunarLanderCpu } from './envs/lunar-lander.ts';
export { SpikeSampleKernel } from './kernels/spike-sample.ts';
export { spikeSampleCpu, type SpikeLayout } from './kernels/spike-sample-cpu.ts';
export { trainCartpoleReinforce, type CartpoleReinforceSummary } from './learners/cartpole-reinforce/train.ts';
export { CARTPOLE_REINFORCE_DEFAULTS, type CartpoleReinforceConfig } from './learners/cartpole-reinforce/config.ts';
