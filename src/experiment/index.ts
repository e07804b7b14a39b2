/// <reference types="@webgpu/types" preserve="true" />
/**
 * The one engine: experiment files (zod schema) -> models (step programs of KernelDefs) ->
 * executors (CPU twins or WebGPU) -> the training loop, plus the learning rules it builds from.
 * @module hedonist/experiment
 */
export * from './build.ts';
export * from './docs.ts';
export * from './load.ts';
export * from './rules.ts';
export * from './schema.ts';
export * from './train.ts';
export * from '../run/executor-cpu.ts';
export * from '../run/executor-gpu.ts';
export * from '../run/executor.ts';
export * from '../run/fits.ts';
export * from '../run/guard.ts';
export * from '../run/kernel-def.ts';
export * from '../run/loop.ts';
export * from '../run/model.ts';
export * from '../run/params-kernel.ts';
export * from '../run/program.ts';
export * from '../rules/coding-cost.ts';
export * from '../rules/ott.ts';
export * from '../rules/reinforce-model.ts';
export * from '../rules/reinforce.ts';
export * from '../rules/reward-terms.ts';
export * from '../rules/synaptic-q.ts';
export * from '../rules/synq-decoders.ts';
export * from '../rules/synq-format.ts';
export * from '../rules/synq-program.ts';
export * from '../rules/weight-max-sparse.ts';
export * from '../rules/weight-max.ts';
