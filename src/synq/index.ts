/// <reference types="@webgpu/types" preserve="true" />
/**
 * Synaptic Q-learning (Bhargava, Rezaei, Lankarany): the CPU reference ("CPU twins") of its
 * kernels, the tasks and their presets. Each exported kernel function documents the GPU kernel it
 * specifies; the runs are the 'synaptic-q' and 'gd' rules on the core (src/rules/synaptic-q.ts);
 * `reproduceBhargavaTable1` runs Table 1.
 * @module hedonist/synq
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
export * from './gd-init.ts';
export { BOUNDARY_THRESHOLDS, type GdMnistSummary, type SynqBoundarySummary, type SynqMnistSummary } from '../rules/synq-decoders.ts';
export { reproduceBhargavaTable1, table1Gaps, PAPER_TABLE1, type Table1Gap, type Table1Options, type Table1Row } from './table1.ts';
