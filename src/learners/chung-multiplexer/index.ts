/** Weight Maximization on the multiplexer, GPU runner and CPU twin (see gpu-runner.ts). */
export * from './config.ts';
export * from './network.ts';
export * from './cpu-runner.ts';
export * from './gpu-runner.ts';
export * from './train.ts';
export * from './presets.ts';
