/// <reference types="@webgpu/types" preserve="true" />
/**
 * hedonist's platform-neutral API. Create a GpuContext with `createNodeGpu` (hedonist/node) or
 * `createBrowserGpu` (hedonist/browser), or none for the CPU twins, then train with {@link run}
 * (an experiment file's JSON) or use the envs, kernels and executors below. Each paper's family has
 * its own entry: hedonist/ott, hedonist/chung, hedonist/synq, hedonist/chalk; the whole engine is in
 * hedonist/experiment, hedonist/envs and hedonist/kernels.
 * @module hedonist
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
// The one engine: experiment files -> step programs -> executors -> the loop.
export { ExperimentSchema, type Experiment, type ExperimentInput } from './experiment/schema.ts';
export { parseExperiment, parseExperimentText, applySets } from './experiment/load.ts';
export { buildModel } from './experiment/build.ts';
export { trainExperiment, chooseBackend, type TrainResult, type BackendChoice } from './experiment/train.ts';
export { RULES, type BuildInputs } from './experiment/rules.ts';
export { mnistFromIdx, parseIdxImages, parseIdxLabels, type MnistSet, type MnistSource } from './data/mnist.ts';
export { ENVS, envOps, type EnvDef } from './envs/registry.ts';
export { runLoop, RUN_CHECKPOINT, type LoopOptions, type LoopResult, type MetricsSink } from './run/loop.ts';
export { NonFiniteError } from './run/guard.ts';
export { CpuExecutor } from './run/executor-cpu.ts';
export { GpuExecutor } from './run/executor-gpu.ts';
export type { Executor } from './run/executor.ts';
export type { StepProgram, Op, BufferDecl, Binding, MetricsWindow } from './run/program.ts';
export type { KernelDef, GpuKernel, HostArray } from './run/kernel-def.ts';
export type { Model, MetricsDecoder, MetricsRecord } from './run/model.ts';
export type { EpisodicSummary } from './rules/reinforce-model.ts';
export { buildCodingCost, type CodingCostModel, type CodingCostSummary, type CodingCostTrained } from './rules/coding-cost.ts';
export { run, type RunOptions } from './experiment/run.ts';
export * from './connectivity/fan-in.ts';
