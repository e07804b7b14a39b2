import { writeChalkReport } from '../chalk/reproduce-sweep.ts';
import { writeChungScalingReport } from '../chung/scaling-sweep.ts';
import { writeChungTable1Report } from '../chung/table1-sweep.ts';
import { writeOttTable1Report } from '../ott/table1-sweep.ts';
import { writeBhargavaTable1Report } from '../synq/table1-sweep.ts';
import { writeWormComparisonReport } from '../connectome/worm-sweep.ts';
import type { SweepDir } from './dir.ts';
import type { ReportName } from './schema.ts';

/** A paper's table written by `collect` beside the generic one (the sweep file's collect.report). */
const REPORTS: Record<ReportName, (dir: SweepDir) => string[]> = {
  'ott-table1': writeOttTable1Report,
  'chung-table1': writeChungTable1Report,
  'chung-scaling': writeChungScalingReport,
  'bhargava-table1': writeBhargavaTable1Report,
  chalk: writeChalkReport,
  'worm-chemotaxis': writeWormComparisonReport,
};

/** Write the sweep's report, if it names one; returns the files written (none until every cell is done). */
export function writeReport(dir: SweepDir): string[] {
  const name = dir.manifest.sweep.collect.report;
  return name ? REPORTS[name](dir) : [];
}
