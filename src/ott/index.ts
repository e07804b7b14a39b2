/// <reference types="@webgpu/types" preserve="true" />
/**
 * Ott (2020) "neurons as RL agents": CPU reference implementation (the GPU kernels' specification),
 * `trainOttCartpole` and `reproduceOttTable1`.
 * @module hedonist/ott
 */
export * from './config.ts';
export * from './wiring.ts';
export * from './mlp-policy.ts';
export * from './logistic-policy.ts';
export type { ForwardRun, GradientRun } from './policy-walk.ts';
export * from './adam.ts';
export * from './rewards.ts';
export * from './returns.ts';
export * from './network.ts';
export * from './summary.ts';
export * from './trainer.ts';
export * from './table1.ts';
