/** Linear CKA (Kornblith et al. 2019) between two representations of the same samples (ml-matrix). */
import { Matrix } from 'ml-matrix';

/** Rows = samples, columns = units, from a row-major array. */
export function matrixOf(data: ArrayLike<number>, rows: number, cols: number): Matrix {
  const m = new Matrix(rows, cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) m.set(r, c, data[r * cols + c]!);
  return m;
}

/**
 * CKA(X, Y) = ||Yc^T Xc||_F^2 / (||Xc^T Xc||_F ||Yc^T Yc||_F), Xc, Yc column-centred: 1 for
 * representations equal up to rotation and scale, 0 for unrelated ones. NaN when either has no variance.
 */
export function linearCka(x: Matrix, y: Matrix): number {
  if (x.rows !== y.rows) throw new RangeError(`CKA needs the same samples: ${x.rows} rows vs ${y.rows}`);
  const xc = x.clone().center('column');
  const yc = y.clone().center('column');
  const cross = yc.transpose().mmul(xc).norm('frobenius') ** 2;
  const nx = xc.transpose().mmul(xc).norm('frobenius');
  const ny = yc.transpose().mmul(yc).norm('frobenius');
  return nx > 0 && ny > 0 ? cross / (nx * ny) : Number.NaN;
}
