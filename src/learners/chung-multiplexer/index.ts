/**
 * Weight Maximization on the multiplexer at scale: the config of the k-major actor and its presets
 * (the million-agent network), and its host-built initial network. The rule that runs it on the
 * core: src/rules/weight-max-sparse.ts.
 */
export * from './config.ts';
export * from './network.ts';
export * from './presets.ts';
