/// <reference types="@webgpu/types" preserve="true" />
/**
 * Chalk et al. coding-cost networks and inverse RL: CPU reference, training (`trainChalkCounts`,
 * `trainChalkPixels`) and `reproduceChalk`.
 * @module hedonist/chalk
 */
export * from './problem.ts';
export * from './analysis.ts';
export * from './exact-solver.ts';
export * from './dynamics.ts';
export * from './sampling-learner.ts';
export * from './spike-file.ts';
export * from './inverse.ts';
export * from './cell-death.ts';
export * from './config.ts';
export * from './counts.ts';
export * from './pixels.ts';
export * from './infer.ts';
export * from './reproduce.ts';
export * from './logistic-learner.ts';
