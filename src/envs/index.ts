/// <reference types="@webgpu/types" preserve="true" />
/**
 * The environments: Gymnasium-faithful CPU twins (CartPole-v1, Acrobot-v1, MountainCar-v0,
 * LunarLander-v2, the k-bit multiplexer), their WGSL step kernels as KernelDefs, and the registry
 * that experiment files name them from (`env.name`).
 * @module hedonist/envs
 */
export * from './env-types.ts';
export * from './env-twin.ts';
export * from './env-kernel.ts';
export * from './registry.ts';
export * from './cartpole-params.ts';
export * from './cartpole.ts';
export * from './cartpole-gpu.ts';
export * from './acrobot-params.ts';
export * from './acrobot.ts';
export * from './acrobot-gpu.ts';
export * from './mountain-car.ts';
export * from './mountain-car-gpu.ts';
export * from './lunar-lander-params.ts';
export * from './lunar-lander.ts';
export * from './lunar-lander-heuristic.ts';
export * from './lunar-lander-op.ts';
export * from './multiplexer.ts';
export * from './multiplexer-gpu.ts';
