/** PCA of population activity (ml-pca): the variance each component explains and the activity's path on the first two. */
import { PCA } from 'ml-pca';
import { Matrix } from 'ml-matrix';
import type { ActivityMatrix } from './recording.ts';

export interface PcaResult {
  /** Units that vary (constant units carry no variance and are left out). */
  units: string[];
  /** Units left out because they never change. */
  constant: string[];
  /** Fraction of the total variance per component, largest first (sums to 1). */
  explained: number[];
  cumulative: number[];
  /** Each row's coordinates on PC1 and PC2 (0 where there is no second component). */
  pc1: number[];
  pc2: number[];
}

/** PCA of the activity's rows (steps) over its units, centred, not scaled. */
export function populationPca(a: ActivityMatrix): PcaResult {
  const U = a.units.length;
  const keep: number[] = [];
  for (let n = 0; n < U; n++) {
    const v0 = a.data[n]!;
    for (let r = 1; r < a.rows; r++)
      if (a.data[r * U + n] !== v0) {
        keep.push(n);
        break;
      }
  }
  if (keep.length === 0) throw new RangeError('no unit varies in the recording: PCA has nothing to explain');
  const m = new Matrix(a.rows, keep.length);
  for (let r = 0; r < a.rows; r++) for (let j = 0; j < keep.length; j++) m.set(r, j, a.data[r * U + keep[j]!]!);
  const pca = new PCA(m, { method: a.rows >= keep.length ? 'covarianceMatrix' : 'SVD', center: true, scale: false });
  const explained = pca.getExplainedVariance();
  const proj = pca.predict(m, { nComponents: Math.min(2, explained.length) });
  return {
    units: keep.map((n) => a.units[n]!),
    constant: a.units.filter((_, n) => !keep.includes(n)),
    explained,
    cumulative: pca.getCumulativeVariance(),
    pc1: proj.getColumn(0),
    pc2: proj.columns > 1 ? proj.getColumn(1) : new Array<number>(a.rows).fill(0),
  };
}
