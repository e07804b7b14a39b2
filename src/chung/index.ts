/// <reference types="@webgpu/types" preserve="true" />
/**
 * Weight Maximization family (Chung 2022): CPU reference implementation, `trainChung`,
 * `reproduceChungTable1` and `runChungScaling`.
 * @module hedonist/chung
 */
export * from './config.ts';
export * from './adam.ts';
export * from './network.ts';
export * from './forward.ts';
export * from './learning.ts';
export * from './actor.ts';
export * from './critic.ts';
export * from './trainer.ts';
export * from './reproduce.ts';
