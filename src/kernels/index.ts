/// <reference types="@webgpu/types" preserve="true" />
/**
 * Every registered compute kernel: each WGSL kernel (shaders/*.wgsl) as a KernelDef together with
 * its CPU twin, the reference arithmetic that parity tests hold the GPU to.
 * @module hedonist/kernels
 */
export * from './chalk-fa.ts';
export * from './chalk.ts';
export * from './chung-ac-cpu.ts';
export * from './chung-ac.ts';
export * from './chung-cpu.ts';
export * from './chung-critic-cpu.ts';
export * from './chung-critic.ts';
export * from './chung.ts';
export * from './clock.ts';
export * from './dale-project.ts';
export * from './f32-math.ts';
export * from './gd-mlp.ts';
export * from './ott-cpu.ts';
export * from './ott.ts';
export * from './ott-fused.ts';
export * from './reinforce-cpu.ts';
export * from './reinforce.ts';
export * from './rng-stream.ts';
export * from './sharded-spike-layer.ts';
export * from './spike-sample-cpu.ts';
export * from './spike-sample.ts';
export * from './synq-batch-select.ts';
export * from './synq-forward.ts';
export * from './synq-log.ts';
export * from './synq-loss-reward.ts';
export * from './synq-sample-loss.ts';
export * from './synq-select-apply.ts';
export * from './synq-shift-count.ts';
export * from './synq-snapshot.ts';
export * from './synq-td-sequential.ts';
export * from './synq-td.ts';
// Two twins share a name: the kernels' plain f32 logistic, and the Chung critic's clamped one.
export { sigmoidF32 } from './f32-math.ts';
export { sigmoidF32 as criticSigmoidF32 } from './chung-critic-cpu.ts';
