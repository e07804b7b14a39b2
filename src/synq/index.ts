/**
 * Synaptic Q-learning (Bhargava, Rezaei, Lankarany): CPU reference ("CPU twin") of the kernels
 * and trainers. Each exported kernel function documents the GPU kernel it specifies.
 */
export * from './config.ts';
export * from './packed-state.ts';
export * from './q-table.ts';
export * from './policy-kernels.ts';
export * from './td-update.ts';
export * from './mlp.ts';
export * from './loss.ts';
export * from './gradient.ts';
export * from './synq-core.ts';
export * from './boundary-task.ts';
export * from './mnist-task.ts';
export { trainSynqBoundary, BOUNDARY_THRESHOLDS, type SynqBoundarySummary, type SynqHooks } from './train-boundary.ts';
export { trainSynqMnist, type SynqMnistSummary } from './train-mnist.ts';
export { trainGdMnist, type GdMnistSummary } from './train-gd.ts';
export { reproduceBhargavaTable1, table1Gaps, PAPER_TABLE1, type Table1Gap, type Table1Options, type Table1Row } from './table1.ts';
